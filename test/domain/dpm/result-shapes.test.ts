/**
 * The result shapes a run ends in (docs/engine.md#result-shapes) and the JSON key order
 * (docs/engine.md#request-and-result).
 */
import { describe, expect, it } from 'vitest';
import { position, price, request, run, shelf, target } from './fixtures.ts';

describe('early-blocked result', () => {
  const result = run(
    request({
      positions: [position('HELD', '10')],
      prices: [price('HELD', '100')],
      targets: [target('HELD', '0.5'), target('NO_PRICE', '0.5')],
      shelf: [shelf('HELD'), shelf('NO_PRICE')],
      options: { enable_tax_awareness: true, compare_target_methods: true },
    }),
  );

  it('has no intents, the before-state as after-state, no reconciliation or tax impact', () => {
    expect(result.status).toBe('BLOCKED');
    expect(result.intents).toEqual([]);
    expect(result.after_simulated).toEqual(result.before);
    expect(result.reconciliation).toBeNull();
    expect(result.tax_impact).toBeNull();
    expect(result.universe.coverage).toEqual({ price_coverage_pct: '0', fx_coverage_pct: '0' });
  });

  it('drops the method comparison from the explanation', () => {
    expect(result.explanation).toEqual({ summary: 'Blocked' });
  });

  it('evaluates the rules on the before-state and blocks at the gate', () => {
    expect(result.rule_results.find((r) => r.rule_id === 'CASH_BAND')?.measured).toBe(
      '0.9090909090909090909090909091',
    );
    expect(result.rule_results.find((r) => r.rule_id === 'DATA_QUALITY')).toMatchObject({ status: 'FAIL', measured: '1' });
    expect(result.gate_decision).toMatchObject({ gate: 'BLOCKED', recommended_next_step: 'FIX_INPUT' });
  });
});

describe('JSON key order', () => {
  it('follows the reference at every level of a full result', () => {
    const result = run(
      request({
        prices: [price('EQ', '100')],
        targets: [target('EQ', '0.5')],
        shelf: [shelf('EQ', 'APPROVED', { attributes: { sector: 'TECH' } })],
        options: { compare_target_methods: true, enable_tax_awareness: true },
      }),
    );
    expect(Object.keys(result)).toEqual([
      'rebalance_run_id',
      'correlation_id',
      'status',
      'before',
      'universe',
      'target',
      'intents',
      'after_simulated',
      'reconciliation',
      'tax_impact',
      'rule_results',
      'explanation',
      'diagnostics',
      'gate_decision',
      'lineage',
    ]);
    expect(Object.keys(result.diagnostics)).toEqual([
      'warnings',
      'suppressed_intents',
      'dropped_intents',
      'group_constraint_events',
      'tax_budget_constraint_events',
      'cash_ladder',
      'cash_ladder_breaches',
      'missing_fx_pairs',
      'funding_plan',
      'insufficient_cash',
      'data_quality',
    ]);
    expect(Object.keys(result.after_simulated.positions[0] ?? {})).toEqual([
      'instrument_id',
      'quantity',
      'instrument_currency',
      'asset_class',
      'price',
      'value_in_instrument_ccy',
      'value_in_base_ccy',
      'weight',
    ]);
    expect(Object.keys(result.explanation)).toEqual(['summary', 'target_method_comparison']);
    expect(Object.keys(result.tax_impact ?? {})).toEqual([
      'total_realized_gain',
      'total_realized_loss',
      'budget_limit',
      'budget_used',
    ]);
    expect(result.lineage).toEqual({
      portfolio_snapshot_id: 'pf_test',
      market_data_snapshot_id: 'md',
      request_hash: 'no_hash',
      idempotency_key: null,
      engine_version: null,
    });
  });
});
