/** Turnover cap (docs/engine.md#turnover-cap): rank by size, skip what does not fit, keep going. */
import { describe, expect, it } from 'vitest';
import { expectDecimal, price, request, run, shelf, target, trades } from './fixtures.ts';

const body = (pct: string) =>
  request({
    cash: [{ currency: 'SGD', amount: '100000' }],
    prices: ['A', 'B', 'C', 'D'].map((id) => price(id, '1')),
    // Trades of 2,000 (C), 10,000 (A), 9,000 (B) and 2,000 (D): proposed 23,000.
    targets: [target('C', '0.02'), target('A', '0.1'), target('B', '0.09'), target('D', '0.02')],
    shelf: ['A', 'B', 'C', 'D'].map((id) => shelf(id)),
    options: { max_turnover_pct: pct },
  });

describe('turnover cap', () => {
  it('keeps everything, in original order, when it fits', () => {
    const result = run(body('0.23'));
    expect(trades(result).map((t) => t.instrument_id)).toEqual(['C', 'A', 'B', 'D']);
    expect(result.diagnostics.dropped_intents).toEqual([]);
  });

  it('skips a trade that does not fit and still takes smaller ones, in ranked order without renumbering', () => {
    const result = run(body('0.13'));
    // Budget 13,000: A (10,000) fits, B (9,000) does not, C and D (2,000 each; tie → id) — C fits.
    expect(trades(result).map((t) => [t.intent_id, t.instrument_id])).toEqual([
      ['oi_2', 'A'],
      ['oi_1', 'C'],
    ]);
    expect(result.diagnostics.dropped_intents.map((d) => [d.instrument_id, d.reason])).toEqual([
      ['B', 'TURNOVER_LIMIT'],
      ['D', 'TURNOVER_LIMIT'],
    ]);
    const [b] = result.diagnostics.dropped_intents;
    expect(b?.potential_notional).toEqual({ amount: '9000', currency: 'SGD' });
    expectDecimal(b?.score, '0.09');
    expect(result.diagnostics.warnings).toEqual(['PARTIAL_REBALANCE_TURNOVER_LIMIT']);
    // Dropping trades alone does not change the status.
    expect(result.status).toBe('READY');
  });

  it('drops everything, in rank order, with a zero budget', () => {
    const result = run(body('0'));
    expect(result.intents).toEqual([]);
    expect(result.diagnostics.dropped_intents.map((d) => d.instrument_id)).toEqual(['A', 'B', 'C', 'D']);
  });
});
