/**
 * Field-level differences of reproduce reports (docs/dpm-api.md#reproducing-a-run): paths named as
 * validation names fields, arrays by position, key order ignored, decimals compared as text,
 * large values described instead of repeated, every difference counted but only `limit` listed.
 */
import { describe, expect, it } from 'vitest';
import { diffJson } from '../../src/services/json-diff.ts';

describe('diffJson', () => {
  it('finds nothing between equal values, whatever their key order', () => {
    expect(diffJson({ a: 1, b: { c: ['x', null] } }, { b: { c: ['x', null] }, a: 1 }, { limit: 10 })).toEqual({ count: 0, differences: [] });
  });

  it('names changed, added and removed paths the way validation names fields', () => {
    const recorded = { intents: [{ quantity: '10' }, { quantity: '5' }], group_constraints: { 'sector:TECH': { max_weight: '0.25' } }, old: true };
    const reproduced = { intents: [{ quantity: '10.0' }], group_constraints: { 'sector:TECH': { max_weight: '0.25', min_weight: '0' } } };
    expect(diffJson(recorded, reproduced, { limit: 10 }).differences).toEqual([
      { path: 'intents[0].quantity', change: 'CHANGED', recorded: '10', reproduced: '10.0' },
      { path: 'intents[1]', change: 'REMOVED', recorded: { quantity: '5' } },
      { path: 'group_constraints["sector:TECH"].min_weight', change: 'ADDED', reproduced: '0' },
      { path: 'old', change: 'REMOVED', recorded: true },
    ]);
  });

  it('treats a change of type as a change, and names the whole value $', () => {
    expect(diffJson({ a: [1] }, { a: { 0: 1 } }, { limit: 10 }).differences).toEqual([{ path: 'a', change: 'CHANGED', recorded: [1], reproduced: { 0: 1 } }]);
    expect(diffJson('x', null, { limit: 10 }).differences).toEqual([{ path: '$', change: 'CHANGED', recorded: 'x', reproduced: null }]);
  });

  it('leaves ignored paths out', () => {
    const diff = diffJson({ lineage: { engine_version: 'a', request_hash: 'h' } }, { lineage: { engine_version: 'b', request_hash: 'h' } }, { limit: 10, ignore: ['lineage.engine_version'] });
    expect(diff.count).toBe(0);
  });

  it('counts every difference but lists only `limit`, and describes large values', () => {
    const many = (value: string) => Array.from({ length: 150 }, () => value);
    const diff = diffJson({ xs: many('a') }, { xs: many('b') }, { limit: 100 });
    expect(diff.count).toBe(150);
    expect(diff.differences).toHaveLength(100);
    const big = { positions: Array.from({ length: 500 }, (_, i) => ({ instrument_id: `INS_${i}` })) };
    expect(diffJson(big, {}, { limit: 10 }).differences).toEqual([
      { path: 'positions', change: 'REMOVED', recorded: { omitted: expect.stringMatching(/^array of 500 items, \d+ characters of JSON$/) } },
    ]);
  });
});
