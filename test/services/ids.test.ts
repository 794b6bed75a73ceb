/**
 * Record ids (docs/dpm-api.md#ids): the reference's prefixes with 96 random bits, so a collision
 * stays out of reach for the life of a database (32 bits collide around 77,000 runs).
 */
import { describe, expect, it } from 'vitest';
import { ID_RANDOM_BYTES, newId, randomHex, randomIdHex } from '../../src/services/ids.ts';

describe('record ids', () => {
  it('are the prefix and 24 hex digits (96 random bits)', () => {
    expect(ID_RANDOM_BYTES * 8).toBeGreaterThanOrEqual(96);
    for (const prefix of ['rr', 'dop', 'batch', 'pp', 'ppv', 'pop', 'corr']) {
      expect(newId(prefix)).toMatch(new RegExp(`^${prefix}_[0-9a-f]{24}$`));
    }
  });

  it('never repeat across many refills of the pooled buffer', () => {
    const seen = new Set<string>();
    // 200,000 ids: far past the 32-bit birthday bound, and ~290 refills of the pool.
    for (let i = 0; i < 200_000; i += 1) seen.add(randomIdHex());
    expect(seen.size).toBe(200_000);
  });

  it('use every hex digit in every position (no stuck bytes from the pool)', () => {
    const digits = Array.from({ length: ID_RANDOM_BYTES * 2 }, () => new Set<string>());
    for (let i = 0; i < 2_000; i += 1) [...randomIdHex()].forEach((digit, position) => digits[position]?.add(digit));
    expect(digits.every((seenAt) => seenAt.size === 16)).toBe(true);
  });

  it('hand out any length, straddling refills, without reusing a byte', () => {
    const seen = new Set<string>();
    // Odd lengths make requests straddle the pool's end; 16 bytes is a trace id.
    for (let i = 0; i < 50_000; i += 1) seen.add(randomHex(i % 2 === 0 ? 16 : 7 + (i % 5)));
    expect(seen.size).toBe(50_000);
    expect(randomHex(16)).toMatch(/^[0-9a-f]{32}$/);
  });
});
