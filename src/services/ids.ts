/**
 * Record ids: `<prefix>_` + 24 hex digits = 96 random bits (docs/dpm-api.md#ids).
 *
 * The reference used 8 hex digits for run ids (32 bits). Those ids are primary keys that live for
 * years: with 32 bits a collision becomes more likely than not around 77,000 runs (the birthday
 * bound, 1.18 × 2^16), and a collision is a failed insert or, worse, a lookup answering someone
 * else's run. 96 bits push a 50 % chance out to ~3.3 × 10^14 ids. The prefixes stay the reference's.
 *
 * Generating ids is on every write path, so random bytes come from one pooled buffer refilled a
 * few KiB at a time instead of one `randomBytes` call (and its allocation) per id.
 */
import { randomFillSync } from 'node:crypto';

/** Random bytes behind each id. */
export const ID_RANDOM_BYTES = 12;

const POOL_SIZE = ID_RANDOM_BYTES * 256;
const pool = Buffer.allocUnsafe(POOL_SIZE);
let offset = POOL_SIZE;

/** 24 lowercase hex digits of fresh randomness. */
export function randomIdHex(): string {
  if (offset + ID_RANDOM_BYTES > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + ID_RANDOM_BYTES);
  offset += ID_RANDOM_BYTES;
  return hex;
}

/** `rr_3f9a…` and the like: the prefix names the kind of record. */
export function newId(prefix: string): string {
  return `${prefix}_${randomIdHex()}`;
}
