/** FX generation, dependencies and execution order (docs/engine.md#fx-and-execution-order). */
import { describe, expect, it } from 'vitest';
import { cash, expectDecimal, fxTrades, position, price, request, run, shelf, target } from './fixtures.ts';

describe('FX and execution order', () => {
  it('funds a foreign buy with one FX (buffer included), quoted CCY/BASE whatever the rate direction', () => {
    const result = run(
      request({
        prices: [price('US', '100', 'USD')],
        // Only SGD/USD is quoted: 1 USD = 1 / 0.8 = 1.25 SGD.
        fx: [{ pair: 'SGD/USD', rate: '0.8' }],
        targets: [target('US', '0.5')],
        shelf: [shelf('US')],
        options: { fx_buffer_pct: '0.02' },
      }),
    );
    // 5,000 SGD / 1.25 = 4,000 USD → 40 units; FX buys 4,000 × 1.02 USD.
    expect(result.intents.map((i) => [i.intent_type, i.intent_id])).toEqual([
      ['FX_SPOT', 'oi_fx_2'],
      ['SECURITY_TRADE', 'oi_1'],
    ]);
    const [fx] = fxTrades(result);
    expect(fx).toMatchObject({ pair: 'USD/SGD', buy_currency: 'USD', sell_currency: 'SGD', rationale: { code: 'FUNDING', message: 'Fund' } });
    expectDecimal(fx?.buy_amount, 4080);
    expectDecimal(fx?.sell_amount_estimated, 5100);
    expect(result.intents[1]?.dependencies).toEqual(['oi_fx_2']);
  });

  it('sweeps leftover foreign cash back to base without a buffer, and never depends on sweeps', () => {
    const result = run(
      request({
        cash: [cash('SGD', '1000'), cash('USD', '100')],
        fx: [{ pair: 'USD/SGD', rate: '1.5' }],
      }),
    );
    expect(fxTrades(result)).toEqual([
      {
        intent_type: 'FX_SPOT',
        intent_id: 'oi_fx_1',
        pair: 'USD/SGD',
        buy_currency: 'SGD',
        buy_amount: '150',
        sell_currency: 'USD',
        sell_amount_estimated: '100',
        dependencies: [],
        rationale: { code: 'SWEEP', message: 'Sweep' },
      },
    ]);
  });

  it('orders SELLs, then FX, then BUYs; a BUY depends on its funding FX, then on the last same-currency SELL', () => {
    const body = (link?: boolean) =>
      request({
        positions: [position('SG1', '10'), position('SG2', '10'), position('US_OLD', '10')],
        cash: [cash('SGD', '0')],
        prices: [price('SG1', '100'), price('SG2', '100'), price('US_OLD', '100', 'USD'), price('US_NEW', '100', 'USD'), price('SG_NEW', '100')],
        fx: [{ pair: 'USD/SGD', rate: '1' }],
        targets: [target('SG_NEW', '0.3'), target('US_NEW', '0.6')],
        shelf: ['SG1', 'SG2', 'US_OLD', 'US_NEW', 'SG_NEW'].map((id) => shelf(id)),
        options: { fx_buffer_pct: '0', ...(link === undefined ? {} : { link_buy_to_same_currency_sell_dependency: link }) },
      });
    const result = run(body());
    expect(result.intents.map((i) => [i.intent_id, i.intent_type === 'SECURITY_TRADE' ? `${i.side} ${i.instrument_id}` : 'FX'])).toEqual([
      ['oi_3', 'SELL SG1'],
      ['oi_4', 'SELL SG2'],
      ['oi_5', 'SELL US_OLD'],
      ['oi_fx_6', 'FX'],
      ['oi_1', 'BUY SG_NEW'],
      ['oi_2', 'BUY US_NEW'],
    ]);
    expect(result.intents[4]?.dependencies).toEqual(['oi_4']);
    expect(result.intents[5]?.dependencies).toEqual(['oi_fx_6', 'oi_5']);

    const unlinked = run(body(false));
    expect(unlinked.intents[4]?.dependencies).toEqual([]);
    expect(unlinked.intents[5]?.dependencies).toEqual(['oi_fx_6']);
  });
});
