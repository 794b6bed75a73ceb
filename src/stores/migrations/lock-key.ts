import { createHash } from 'node:crypto';

/**
 * The reference's advisory-lock key: the first 8 bytes of SHA-256(namespace) read as a signed
 * big-endian 64-bit integer (`dpm` → -7168526539896612686). Returned as a string because it
 * does not fit a JS number; PostgreSQL casts it with `::bigint`.
 */
export function migrationLockKey(namespace: string): string {
  return createHash('sha256').update(namespace, 'utf8').digest().readBigInt64BE(0).toString();
}
