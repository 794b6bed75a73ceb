/** Settlement ladder (docs/engine.md#settlement-ladder) and its blocked-result shape. */
import { describe, expect, it } from 'vitest';
import { cash, position, price, request, run, shelf, target } from './fixtures.ts';

/** Sell a T+3 fund to buy a T+1 stock, in USD; an EUR balance rides along. */
const body = (options: Record<string, unknown>) =>
  request({
    base: 'USD',
    positions: [position('SLOW', '10')],
    cash: [cash('USD', '0'), cash('EUR', '0', { settled: '0' })],
    prices: [price('SLOW', '100', 'USD'), price('FAST', '100', 'USD')],
    fx: [{ pair: 'EUR/USD', rate: '1.1' }],
    targets: [target('SLOW', '0'), target('FAST', '1')],
    shelf: [shelf('SLOW', 'APPROVED', { settlement_days: 3 }), shelf('FAST', 'APPROVED', { settlement_days: 1 })],
    options: { enable_settlement_awareness: true, enable_tax_awareness: true, ...options },
  });

describe('settlement ladder', () => {
  it('projects every currency (sorted) day by day and records every breaching day', () => {
    const result = run(body({ settlement_horizon_days: 4 }));
    expect(result.diagnostics.cash_ladder.map((p) => `${p.currency} T+${p.date_offset} ${p.projected_balance}`)).toEqual([
      'EUR T+0 0',
      'EUR T+1 0',
      'EUR T+2 0',
      'EUR T+3 0',
      'EUR T+4 0',
      'USD T+0 0',
      'USD T+1 -1000',
      'USD T+2 -1000',
      'USD T+3 0',
      'USD T+4 0',
    ]);
    expect(result.diagnostics.cash_ladder_breaches.map((b) => [b.date_offset, b.reason_code])).toEqual([
      [1, 'OVERDRAFT_ON_T_PLUS_1'],
      [2, 'OVERDRAFT_ON_T_PLUS_2'],
    ]);
    expect(result.diagnostics.warnings).toEqual(['OVERDRAFT_ON_T_PLUS_1']);
  });

  it('blocks with the ladder rule only, the untouched portfolio as after-state, intents and tax impact kept', () => {
    const result = run(body({}));
    expect(result.status).toBe('BLOCKED');
    expect(result.rule_results).toEqual([
      {
        rule_id: 'SETTLEMENT_CASH_LADDER',
        severity: 'HARD',
        status: 'FAIL',
        measured: '1000',
        threshold: { min: '0' },
        reason_code: 'OVERDRAFT_ON_T_PLUS_1',
        remediation_hint: 'Adjust timing, funding, or overdraft settings.',
      },
    ]);
    expect(result.after_simulated).toEqual(result.before);
    expect(result.intents).toHaveLength(2);
    expect(result.reconciliation).toBeNull();
    expect(result.tax_impact).not.toBeNull();
    expect(result.explanation).toEqual({ summary: 'BLOCKED', target_method_comparison: null });
    expect(result.universe.coverage.price_coverage_pct).toBe('1');
    expect(result.gate_decision?.reasons.map((r) => r.reason_code)).toEqual(['HARD_RULE_FAIL:SETTLEMENT_CASH_LADDER']);
  });

  it('lets an overdraft allowance cover the gap, and says so', () => {
    const result = run(body({ max_overdraft_by_ccy: { USD: '1000' } }));
    expect(result.status).toBe('READY');
    expect(result.diagnostics.cash_ladder_breaches).toEqual([]);
    expect(result.diagnostics.warnings).toEqual(['SETTLEMENT_OVERDRAFT_UTILIZED']);
  });

  it('is not run without settlement awareness', () => {
    const result = run(body({ enable_settlement_awareness: false }));
    expect(result.status).toBe('READY');
    expect(result.diagnostics.cash_ladder).toEqual([]);
  });
});
