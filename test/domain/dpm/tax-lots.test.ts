/** Tax-aware selling: HIFO and the run-wide gains budget (docs/engine.md#tax-aware-selling). */
import { Decimal as DecimalJs } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../src/domain/decimal.ts';
import { hifoOrder } from '../../../src/domain/dpm/stages/tax-lots.ts';
import { expectDecimal, position, price, request, run, shelf, target, trades } from './fixtures.ts';

const D = DecimalJs.clone({ precision: 28, rounding: DecimalJs.ROUND_HALF_EVEN });
const lot = (lot_id: string, quantity: string, cost: string, purchase_date: string, currency = 'USD') => ({
  lot_id,
  quantity,
  unit_cost: { amount: cost, currency },
  purchase_date,
});

function sellAll(lots: unknown[], options: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return request({
    base: 'USD',
    cash: [{ currency: 'USD', amount: '0' }],
    positions: [position('EQ', '100', { lots })],
    prices: [price('EQ', '100', 'USD')],
    targets: [target('EQ', '0')],
    shelf: [shelf('EQ')],
    options: { enable_tax_awareness: true, ...options },
    ...extra,
  });
}

describe('HIFO selling', () => {
  it('orders lots by cost, then purchase date text, then lot id — all descending', () => {
    const costed = (lotId: string, cost: string, purchaseDate: string) => ({
      lotId,
      quantity: Decimal.from(1),
      unitCost: Decimal.from(cost),
      purchaseDate,
    });
    const lots = [
      costed('L_A', '90', '2020-01-01'),
      costed('L_B', '90', '2021-06-30'),
      costed('L_C', '90', '2021-06-30'),
      costed('L_HIGH', '120', '2019-01-01'),
      costed('L_LOW', '9', '2022-01-01'),
    ];
    expect([...lots].sort(hifoOrder).map((l) => l.lotId)).toEqual(['L_HIGH', 'L_C', 'L_B', 'L_A', 'L_LOW']);
  });

  it('sells the highest-cost lots first, free at a loss, until the gains budget is used', () => {
    const lots = [
      lot('L_LOW', '50', '50', '2020-01-01'),
      lot('L_MID', '25', '95', '2021-06-30'),
      lot('L_HIGH', '25', '120', '2019-01-01'),
    ];
    const result = run(sellAll(lots, { max_realized_capital_gains: '30' }));
    // L_HIGH at a loss: 25 units; L_MID gains 5 per unit: 6 units use the 30 budget.
    expect(trades(result).map((t) => t.quantity)).toEqual(['31']);
    expectDecimal(result.tax_impact?.total_realized_loss.amount, 500);
    expectDecimal(result.tax_impact?.total_realized_gain.amount, 30);
    expect(result.tax_impact?.budget_used).toEqual({ amount: '30', currency: 'USD' });
    expect(result.diagnostics.tax_budget_constraint_events).toEqual([
      { instrument_id: 'EQ', requested_quantity: '100', allowed_quantity: '31', reason_code: 'TAX_BUDGET_LIMIT_REACHED' },
    ]);
    expect(trades(result)[0]?.constraints_applied).toEqual(['TAX_BUDGET']);
  });

  it('stops inside a lot with a fractional quantity when the budget runs out', () => {
    const result = run(sellAll([lot('L_HIGH', '50', '100', '2020-01-01'), lot('L_LOW', '50', '10', '2020-01-01')], { max_realized_capital_gains: '100' }));
    // Free at cost: 50, then 100 / 90 units of the cheap lot.
    const [sell] = trades(result);
    expectDecimal(sell?.quantity, new D(50).plus(new D(100).div(90)));
    expect(result.diagnostics.warnings).toEqual(['TAX_BUDGET_LIMIT_REACHED']);
    expect(result.status).toBe('READY');
  });

  it('shares the budget across the run, in target-table order', () => {
    const body = request({
      base: 'USD',
      cash: [{ currency: 'USD', amount: '0' }],
      positions: [
        position('FIRST', '10', { lots: [lot('F1', '10', '50', '2020-01-01')] }),
        position('SECOND', '10', { lots: [lot('S1', '10', '50', '2020-01-01')] }),
      ],
      prices: [price('FIRST', '100', 'USD'), price('SECOND', '100', 'USD')],
      targets: [target('FIRST', '0'), target('SECOND', '0')],
      shelf: [shelf('FIRST'), shelf('SECOND')],
      options: { enable_tax_awareness: true, max_realized_capital_gains: '300' },
    });
    const result = run(body);
    // 50 gain per unit: FIRST uses 6 units' worth (300), SECOND gets nothing and is not sold.
    expect(trades(result).map((t) => [t.instrument_id, t.quantity])).toEqual([['FIRST', '6']]);
    expect(result.diagnostics.tax_budget_constraint_events.map((e) => [e.instrument_id, e.allowed_quantity])).toEqual([
      ['FIRST', '6'],
      ['SECOND', '0'],
    ]);
  });

  it('falls back to the full sell and reports the pair when a lot cost cannot be converted', () => {
    const result = run(sellAll([lot('L1', '100', '80', '2020-01-01', 'EUR')], { max_realized_capital_gains: '0' }));
    expect(result.diagnostics.data_quality.fx_missing).toEqual(['EUR/USD']);
    expect(result.status).toBe('BLOCKED');
    expect(result.tax_impact).toBeNull();
  });

  it('reports tax impact whenever tax awareness is on, even without lots; sells as usual without it', () => {
    const noLots = run(sellAll([], {}));
    expect(noLots.tax_impact).toEqual({
      total_realized_gain: { amount: '0', currency: 'USD' },
      total_realized_loss: { amount: '0', currency: 'USD' },
      budget_limit: null,
      budget_used: null,
    });
    const off = run(sellAll([lot('L1', '100', '10', '2020-01-01')], { enable_tax_awareness: false, max_realized_capital_gains: '1' }));
    expect(trades(off).map((t) => t.quantity)).toEqual(['100']);
    expect(off.tax_impact).toBeNull();
  });
});
