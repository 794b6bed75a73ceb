/** The conformance comparator itself must be able to fail: each README rule, both ways. */
import { describe, expect, it } from 'vitest';
import { compareToExpected, REBALANCE_RESULT_RULES } from '../../support/conformance.ts';

const expected = {
  rebalance_run_id: 'rr_RUN',
  status: 'READY',
  amount: '3737.000',
  intents: [{ id: 'oi_1', quantity: '37' }],
  diagnostics: { warnings: ['A', 'B'] },
};

describe('compareToExpected', () => {
  it('compares decimals numerically and ignores random ids', () => {
    const actual = { ...expected, rebalance_run_id: 'rr_1234abcd', amount: '3737' };
    expect(compareToExpected(actual, expected, REBALANCE_RESULT_RULES)).toEqual([]);
    expect(compareToExpected({ ...actual, amount: '3737.001' }, expected, REBALANCE_RESULT_RULES)).toEqual([
      'amount: expected "3737.000", got "3737.001"',
    ]);
  });

  it('compares warnings as a set and other arrays in order', () => {
    const reordered = { ...expected, diagnostics: { warnings: ['B', 'A'] } };
    expect(compareToExpected(reordered, expected, REBALANCE_RESULT_RULES)).toEqual([]);
    const swapped = { ...expected, intents: [{ id: 'oi_1', quantity: '38' }] };
    expect(compareToExpected(swapped, expected, REBALANCE_RESULT_RULES)).toEqual(['intents[0].quantity: expected "37", got "38"']);
    const missingWarning = { ...expected, diagnostics: { warnings: ['A'] } };
    expect(compareToExpected(missingWarning, expected, REBALANCE_RESULT_RULES)).toHaveLength(1);
  });

  it('reports missing and unexpected keys, and key order when asked', () => {
    const { status: _status, ...withoutStatus } = expected;
    expect(compareToExpected({ ...withoutStatus, extra: 1 }, expected)).toEqual(['status: missing', 'extra: unexpected key']);
    const reorderedKeys = { status: 'READY', ...withoutStatus };
    expect(compareToExpected(reorderedKeys, expected)).toEqual([]);
    expect(compareToExpected(reorderedKeys, expected, { keyOrder: true })).toHaveLength(1);
  });

  it('checks only the pinned keys of a partial expectation', () => {
    const pinned = { status: 'READY', intents: [{ quantity: '37.0' }] };
    expect(compareToExpected(expected, pinned, { partial: true })).toEqual([]);
    expect(compareToExpected({ ...expected, intents: [] }, pinned, { partial: true })).toEqual(['intents: expected 1 items, got 0']);
  });
});
