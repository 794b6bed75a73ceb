/**
 * Properties of the whole engine on random well-formed requests (fast-check): it never throws,
 * it is deterministic, weights are never negative, and a BLOCKED result always says why.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { simulateRebalance, validateRebalanceRequest, type RebalanceResult } from '../../../src/domain/dpm/index.ts';
import { num } from './fixtures.ts';

const IDS = ['I0', 'I1', 'I2', 'I3', 'I4', 'I5'];
const amount = (max: number, scale = 2) => fc.integer({ min: 0, max: max * 10 ** scale }).map((n) => (n / 10 ** scale).toFixed(scale));
const positive = (max: number) => fc.integer({ min: 1, max: max * 100 }).map((n) => (n / 100).toFixed(2));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const rarely = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 6 }, { arbitrary: arb, weight: 1 });

const requestArb = fc
  .record({
    base: fc.constantFrom('SGD', 'USD'),
    held: fc.subarray(IDS),
    modelIds: fc.subarray(IDS),
    // At most one instrument without a price, one without a shelf entry: most runs get past data quality.
    unpriced: rarely(fc.constantFrom(...IDS)),
    unshelved: rarely(fc.constantFrom(...IDS)),
    quantities: fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 6, maxLength: 6 }),
    weights: fc.array(amount(0.6, 3), { minLength: 6, maxLength: 6 }),
    prices: fc.array(positive(500), { minLength: 6, maxLength: 6 }),
    currencies: fc.array(fc.constantFrom('SGD', 'USD', 'EUR'), { minLength: 6, maxLength: 6 }),
    statuses: fc.array(fc.constantFrom('APPROVED', 'APPROVED', 'APPROVED', 'RESTRICTED', 'BANNED', 'SUSPENDED', 'SELL_ONLY'), {
      minLength: 6,
      maxLength: 6,
    }),
    sectors: fc.array(fc.constantFrom('TECH', 'FI'), { minLength: 6, maxLength: 6 }),
    lotsFor: fc.subarray(IDS),
    marketValueFor: fc.subarray(IDS, { maxLength: 1 }),
    baseCash: amount(50000),
    foreignCash: maybe(amount(5000)),
    fx: fc.record({ usd: maybe(fc.constantFrom('1.35', '0.74')), eur: maybe(fc.constantFrom('1.45', '0.69')), inverse: fc.boolean() }),
    options: fc.record(
      {
        target_method: fc.constantFrom('HEURISTIC', 'SOLVER'),
        compare_target_methods: fc.boolean(),
        valuation_mode: fc.constantFrom('CALCULATED', 'TRUST_SNAPSHOT'),
        single_position_max_weight: amount(1, 2),
        cash_band_min_weight: amount(0.2, 2),
        cash_band_max_weight: amount(1, 2),
        min_cash_buffer_pct: amount(0.1, 3),
        max_turnover_pct: amount(1, 2),
        enable_tax_awareness: fc.boolean(),
        max_realized_capital_gains: amount(2000),
        enable_settlement_awareness: fc.boolean(),
        max_overdraft_by_ccy: fc.record({ SGD: amount(5000) }),
        group_constraints: fc.record({ 'sector:TECH': fc.record({ max_weight: amount(1, 2) }) }),
        min_trade_notional: fc.record({ amount: amount(500), currency: fc.constant('SGD') }),
        block_on_missing_prices: fc.boolean(),
        block_on_missing_fx: fc.boolean(),
        allow_restricted: fc.boolean(),
        fx_buffer_pct: amount(0.05, 3),
      },
      { requiredKeys: [] },
    ),
  })
  .map((g) => {
    const index = (id: string) => IDS.indexOf(id);
    const fxRates: { pair: string; rate: string }[] = [];
    for (const [ccy, rate] of [['USD', g.fx.usd], ['EUR', g.fx.eur]] as const) {
      if (rate !== undefined && ccy !== g.base) fxRates.push({ pair: g.fx.inverse ? `${g.base}/${ccy}` : `${ccy}/${g.base}`, rate });
    }
    if (g.base === 'USD') fxRates.push({ pair: 'SGD/USD', rate: '0.74' });
    return {
      portfolio_snapshot: {
        portfolio_id: 'pf_prop',
        base_currency: g.base,
        positions: g.held.map((id) => {
          const quantity = String(g.quantities[index(id)]);
          const lots = g.lotsFor.includes(id)
            ? [
                { lot_id: `${id}_a`, quantity, unit_cost: { amount: '50', currency: g.currencies[index(id)] }, purchase_date: '2020-01-01' },
              ]
            : [];
          const market_value = g.marketValueFor.includes(id) ? { amount: '1000', currency: g.base } : null;
          return { instrument_id: id, quantity, lots, market_value };
        }),
        cash_balances: [
          { currency: g.base, amount: g.baseCash },
          ...(g.foreignCash === undefined ? [] : [{ currency: 'EUR', amount: g.foreignCash }]),
        ],
      },
      market_data_snapshot: {
        prices: IDS.filter((id) => id !== g.unpriced).map((id) => ({ instrument_id: id, price: g.prices[index(id)], currency: g.currencies[index(id)] })),
        fx_rates: fxRates,
      },
      model_portfolio: { targets: g.modelIds.map((id) => ({ instrument_id: id, weight: g.weights[index(id)] })) },
      shelf_entries: IDS.filter((id) => id !== g.unshelved).map((id) => ({
        instrument_id: id,
        status: g.statuses[index(id)],
        attributes: { sector: g.sectors[index(id)] },
        settlement_days: index(id) % 4,
      })),
      options: g.options,
    };
  });

function simulate(body: unknown, runId: string): RebalanceResult {
  const validated = validateRebalanceRequest(body);
  if (!validated.ok) throw new Error(`generator produced an invalid request: ${JSON.stringify(validated.problems)}`);
  return simulateRebalance(validated.value, { runId });
}

const withoutIds = (r: RebalanceResult) => ({
  ...r,
  rebalance_run_id: '',
  universe: { ...r.universe, universe_id: '' },
  target: { ...r.target, target_id: '' },
});

describe('engine properties', () => {
  it('never throws on a well-formed request, and gives the same result every time', () => {
    fc.assert(
      fc.property(requestArb, (body) => {
        const first = simulate(body, 'rr_aaaaaaaa');
        expect(simulate(body, 'rr_aaaaaaaa')).toEqual(first);
        expect(withoutIds(simulate(structuredClone(body), 'rr_bbbbbbbb'))).toEqual(withoutIds(first));
      }),
      { numRuns: 250, seed: 7 },
    );
  });

  it('never produces a negative target or before-state weight', () => {
    fc.assert(
      fc.property(requestArb, (body) => {
        const result = simulate(body, 'rr_cccccccc');
        for (const row of result.target.targets) expect(num(row.final_weight).gte(0)).toBe(true);
        for (const p of result.before.positions) expect(num(p.weight).gte(0)).toBe(true);
        for (const m of result.before.allocation_by_asset_class) expect(num(m.weight).gte(0)).toBe(true);
      }),
      { numRuns: 250, seed: 11 },
    );
  });

  it('explains every BLOCKED result (a failed hard rule or a warning) and every non-READY one', () => {
    fc.assert(
      fc.property(requestArb, (body) => {
        const result = simulate(body, 'rr_dddddddd');
        const hardFail = result.rule_results.some((r) => r.severity === 'HARD' && r.status === 'FAIL');
        if (result.status === 'BLOCKED') {
          expect(hardFail || result.diagnostics.warnings.length > 0).toBe(true);
          if (result.gate_decision !== null) expect(result.gate_decision.gate).toBe('BLOCKED');
        } else {
          expect(hardFail).toBe(false);
        }
        if (result.status === 'READY') expect(result.rule_results.every((r) => r.status === 'PASS')).toBe(true);
      }),
      { numRuns: 250, seed: 13 },
    );
  });
});
