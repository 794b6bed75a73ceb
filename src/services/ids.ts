/**
 * Record ids: `<prefix>_` + 24 hex digits = 96 random bits (docs/dpm-api.md#ids).
 *
 * The reference used 8 hex digits for run ids (32 bits). Those ids are primary keys that live for
 * years: with 32 bits a collision becomes more likely than not around 77,000 runs (the birthday
 * bound, 1.18 × 2^16), and a collision is a failed insert or, worse, a lookup answering someone
 * else's run. 96 bits push a 50 % chance out to ~3.3 × 10^14 ids. The prefixes stay the reference's.
 *
 * Generating ids is on every request's path (correlation and trace ids too), so random bytes come
 * from one pooled buffer refilled 8 KiB at a time instead of one `randomBytes` call (and its
 * allocation) per id: `randomBytes(16)` costs a few microseconds, a slice of the pool a fraction of one.
 */
import { randomFillSync } from 'node:crypto';

/** Random bytes behind each id. */
export const ID_RANDOM_BYTES = 12;

// One refill serves a few hundred requests (each takes ~64 bytes: its correlation and trace ids,
// the run id, two edge ids); a refill of 8 KiB costs a few microseconds.
const POOL_SIZE = 8192;
const pool = Buffer.allocUnsafe(POOL_SIZE);
let offset = POOL_SIZE;

/** `bytes` fresh random bytes as lowercase hex (each byte is used once, never reread). */
export function randomHex(bytes: number): string {
  if (offset + bytes > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + bytes);
  offset += bytes;
  return hex;
}

/** 24 lowercase hex digits of fresh randomness. */
export function randomIdHex(): string {
  return randomHex(ID_RANDOM_BYTES);
}

/** `rr_3f9a…` and the like: the prefix names the kind of record. */
export function newId(prefix: string): string {
  return `${prefix}_${randomIdHex()}`;
}
