/** Valuation and currency truth (docs/engine.md#valuation). */
import { describe, expect, it } from 'vitest';
import { cash, expectDecimal, position, price, request, run, shelf } from './fixtures.ts';

describe('valuation', () => {
  it('values positions at quantity × price in base currency, through the inverse rate when only BASE/CCY is quoted', () => {
    const result = run(
      request({
        positions: [position('US_EQ', '10')],
        prices: [price('US_EQ', '100', 'USD')],
        // 1 SGD = 0.8 USD, so 1 USD = 1.25 SGD; the zero USD/SGD row counts as missing.
        fx: [
          { pair: 'USD/SGD', rate: '0' },
          { pair: 'SGD/USD', rate: '0.8' },
        ],
        shelf: [shelf('US_EQ')],
      }),
    );
    const [summary] = result.before.positions;
    expectDecimal(summary?.value_in_instrument_ccy.amount, 1000);
    expect(summary?.value_in_instrument_ccy.currency).toBe('USD');
    expectDecimal(summary?.value_in_base_ccy.amount, 1250);
    expectDecimal(result.before.total_value.amount, 11250);
    expect(summary?.weight).toBe('0.1111');
  });

  it('trusts snapshot market values only in TRUST_SNAPSHOT, which also takes their currency', () => {
    const body = (mode: string) =>
      request({
        positions: [position('EQ', '10', { market_value: { amount: '500', currency: 'USD' } })],
        prices: [price('EQ', '100')],
        fx: [{ pair: 'USD/SGD', rate: '2' }],
        shelf: [shelf('EQ')],
        options: { valuation_mode: mode },
      });
    const calculated = run(body('CALCULATED')).before.positions[0];
    expect(calculated?.instrument_currency).toBe('SGD');
    expectDecimal(calculated?.value_in_base_ccy.amount, 1000);
    const trusted = run(body('TRUST_SNAPSHOT')).before.positions[0];
    expect(trusted?.instrument_currency).toBe('USD');
    expect(trusted?.price).toEqual({ amount: '100', currency: 'USD' });
    expectDecimal(trusted?.value_in_base_ccy.amount, 1000);
  });

  it('puts CASH last among asset classes unless a position already opened the bucket', () => {
    const plain = run(
      request({ positions: [position('EQ', '10')], prices: [price('EQ', '100')], shelf: [shelf('EQ', 'APPROVED', { asset_class: 'EQUITY' })] }),
    );
    expect(plain.before.allocation_by_asset_class.map((m) => m.key)).toEqual(['EQUITY', 'CASH']);

    const cashFund = run(
      request({
        positions: [position('MMF', '10'), position('EQ', '10')],
        prices: [price('MMF', '100'), price('EQ', '100')],
        shelf: [shelf('MMF', 'APPROVED', { asset_class: 'CASH' }), shelf('EQ', 'APPROVED', { asset_class: 'EQUITY' })],
      }),
    );
    const buckets = cashFund.before.allocation_by_asset_class;
    expect(buckets.map((m) => m.key)).toEqual(['CASH', 'EQUITY']);
    expectDecimal(buckets[0]?.value.amount, 11000);
  });

  it('records missing prices and FX (zero-quantity positions too) and values them at 0', () => {
    const result = run(
      request({
        positions: [position('NO_PRICE', '0'), position('JP', '5')],
        prices: [price('JP', '1000', 'JPY')],
        cash: [cash('SGD', '100'), cash('EUR', '50')],
        shelf: [shelf('NO_PRICE'), shelf('JP')],
        options: { block_on_missing_prices: false, block_on_missing_fx: false },
      }),
    );
    expect(result.diagnostics.data_quality.price_missing[0]).toBe('NO_PRICE');
    expect(result.diagnostics.data_quality.fx_missing.slice(0, 2)).toEqual(['JPY/SGD', 'EUR/SGD']);
    expectDecimal(result.before.total_value.amount, 100);
    expect(result.before.positions[0]?.price).toBeNull();
  });

  it('groups allocation by shelf attributes in first-seen order, for positions on the shelf only', () => {
    const result = run(
      request({
        positions: [position('B', '10'), position('A', '10'), position('OFF_SHELF', '10')],
        prices: [price('A', '100'), price('B', '100'), price('OFF_SHELF', '100')],
        shelf: [
          shelf('A', 'APPROVED', { attributes: { sector: 'TECH', region: 'US' } }),
          shelf('B', 'APPROVED', { attributes: { sector: 'FI' } }),
        ],
      }),
    );
    const sectors = result.before.allocation_by_attribute.sector ?? [];
    expect(sectors.map((m) => m.key)).toEqual(['FI', 'TECH']);
    expect(result.before.allocation_by_attribute.region?.map((m) => m.key)).toEqual(['US']);
    expect(result.before.allocation_by_instrument.map((m) => m.key)).toEqual(['B', 'A', 'OFF_SHELF']);
    expect(result.before.allocation).toEqual(result.before.allocation_by_instrument);
  });
});
