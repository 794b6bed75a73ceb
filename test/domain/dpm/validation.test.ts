/** Request validation: every problem, named by field; defaults; the reference's lax coercion. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  validateBatchRebalanceRequest,
  validateEngineOptions,
  validateRebalanceRequest,
} from '../../../src/domain/dpm/index.ts';
import { position, request, shelf } from './fixtures.ts';

function problems(body: unknown) {
  const result = validateRebalanceRequest(body);
  return result.ok ? [] : result.problems.map((p) => [p.field, p.code, p.message]);
}

describe('validateRebalanceRequest', () => {
  it('lists every problem with its field path, code and message', () => {
    const body = request({
      positions: [position('OK', '1'), position('BAD', 'ten'), { instrument_id: 'NO_QTY' }],
      prices: [{ instrument_id: 'P', price: '0', currency: 'SGD' }],
      shelf: [shelf('S', 'approved', { settlement_days: 11 })],
      options: {
        target_method: 'OPTIMAL',
        max_turnover_pct: '1.5',
        fx_buffer_pct: true,
        group_constraints: { 'sector:TECH': { max_weight: '2' }, sector: { max_weight: '0.1' } },
        max_overdraft_by_ccy: { USD: '-1' },
      },
    });
    expect(problems(body)).toEqual([
      ['portfolio_snapshot.positions[1].quantity', 'decimal_parsing', 'Input should be a valid decimal'],
      ['portfolio_snapshot.positions[2].quantity', 'missing', 'Field required'],
      ['market_data_snapshot.prices[0].price', 'greater_than', 'Input should be greater than 0'],
      ['shelf_entries[0].status', 'literal_error', "Input should be 'APPROVED', 'RESTRICTED', 'BANNED', 'SUSPENDED' or 'SELL_ONLY'"],
      ['shelf_entries[0].settlement_days', 'less_than_equal', 'Input should be less than or equal to 10'],
      ['options.target_method', 'literal_error', "Input should be 'HEURISTIC' or 'SOLVER'"],
      ['options.fx_buffer_pct', 'decimal_type', 'Decimal input should be an integer, float, string or Decimal object'],
      ['options.max_turnover_pct', 'value_error', 'Value error, max_turnover_pct must be between 0 and 1 inclusive'],
      ['options.max_overdraft_by_ccy.USD', 'value_error', 'Value error, max_overdraft_by_ccy values must be non-negative'],
      ['options.group_constraints["sector:TECH"].max_weight', 'value_error', 'Value error, max_weight must be between 0 and 1 inclusive'],
      [
        'options.group_constraints.sector',
        'value_error',
        "Value error, group_constraints keys must use format '<attribute_key>:<attribute_value>'",
      ],
    ]);
  });

  it('reports missing top-level fields and non-objects without throwing', () => {
    expect(problems({}).map(([field]) => field)).toEqual([
      'portfolio_snapshot',
      'market_data_snapshot',
      'model_portfolio',
      'shelf_entries',
      'options',
    ]);
    expect(problems(null)).toEqual([['', 'model_type', 'Input should be a valid dictionary or object to extract fields from']]);
  });

  it('checks that lots add up to the position quantity within 0.0001', () => {
    const lot = (quantity: string) => ({ lot_id: quantity, quantity, unit_cost: { amount: '1', currency: 'SGD' }, purchase_date: '2020-01-01' });
    expect(problems(request({ positions: [position('A', '10', { lots: [lot('4'), lot('5.99995')] })] }))).toEqual([]);
    expect(problems(request({ positions: [position('A', '10', { lots: [lot('4'), lot('5.9998')] })] }))).toEqual([
      ['portfolio_snapshot.positions[0].lots', 'value_error', 'Value error, sum(lot.quantity) must equal position.quantity within tolerance 0.0001'],
    ]);
  });

  it('fills defaults, drops unknown keys, coerces like the reference and normalises decimal text', () => {
    const result = validateRebalanceRequest({
      ...request({ shelf: [shelf('S')], positions: [position('A', ' 1.50 ')] }),
      extra: 'ignored',
      options: { enable_tax_awareness: 'yes', settlement_horizon_days: '3', fx_buffer_pct: 0.1, min_cash_buffer_pct: '1e-7', cash_band_max_weight: 1 },
    });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const { value } = result;
    expect('extra' in value).toBe(false);
    expect(value.portfolio_snapshot.positions[0]).toEqual({ instrument_id: 'A', quantity: '1.50', market_value: null, lots: [] });
    expect(value.shelf_entries[0]).toEqual({
      instrument_id: 'S',
      status: 'APPROVED',
      asset_class: 'UNKNOWN',
      issuer_id: null,
      liquidity_tier: null,
      settlement_days: 2,
      min_notional: null,
      attributes: {},
    });
    expect(value.options.enable_tax_awareness).toBe(true);
    expect(value.options.settlement_horizon_days).toBe(3);
    expect(value.options.fx_buffer_pct).toBe('0.1');
    expect(value.options.min_cash_buffer_pct).toBe('1E-7');
    expect(value.options.cash_band_max_weight).toBe('1');
    expect(value.options.cash_band_min_weight).toBe('0.00');
    expect(Object.keys(value.options)).toHaveLength(40);
  });

  it('never throws, whatever JSON it is given', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (body) => {
        const result = validateRebalanceRequest(body);
        expect(result.ok).toBe(false);
      }),
      { numRuns: 300 },
    );
    const shaped = fc.record({
      portfolio_snapshot: fc.jsonValue(),
      market_data_snapshot: fc.jsonValue(),
      model_portfolio: fc.record({ targets: fc.jsonValue() }),
      shelf_entries: fc.array(fc.jsonValue()),
      options: fc.dictionary(fc.constantFrom('fx_buffer_pct', 'group_constraints', 'target_method', 'max_turnover_pct'), fc.jsonValue()),
    });
    fc.assert(
      fc.property(shaped, (body) => {
        expect(() => validateRebalanceRequest(body)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});

describe('batch validation', () => {
  const snapshots = () => {
    const { options: _options, ...rest } = request();
    return rest;
  };

  it('requires 1 to 20 scenarios named ^[a-z0-9_-]{1,64}$', () => {
    const check = (scenarios: unknown) => {
      const result = validateBatchRebalanceRequest({ ...snapshots(), scenarios });
      return result.ok ? [] : result.problems.map((p) => [p.field, p.message]);
    };
    expect(check({})).toEqual([['scenarios', 'Value error, at least one scenario is required']]);
    const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`s${i}`, {}]));
    expect(check(many)).toEqual([['scenarios', 'Value error, scenario count exceeds maximum of 20']]);
    expect(check({ Base: {} })).toEqual([['scenarios.Base', 'Value error, scenario names must match ^[a-z0-9_-]{1,64}$']]);
    expect(check({ base_case: { options: { anything: 1 } } })).toEqual([]);
  });

  it('validates scenario options on their own, reporting under their path', () => {
    const result = validateEngineOptions({ target_method: 'X' }, ['scenarios', 'what_if', 'options']);
    expect(result.ok ? [] : result.problems).toEqual([
      { field: 'scenarios.what_if.options.target_method', code: 'literal_error', message: "Input should be 'HEURISTIC' or 'SOLVER'" },
    ]);
  });
});
