/** Trade intents (docs/engine.md#intents). */
import { describe, expect, it } from 'vitest';
import { expectDecimal, position, price, request, run, shelf, target, trades } from './fixtures.ts';

describe('intent generation', () => {
  it('truncates quantities toward zero on both sides, never rounding up', () => {
    const result = run(
      request({
        positions: [position('SELL_ME', '100')],
        cash: [{ currency: 'SGD', amount: '9999' }],
        prices: [price('SELL_ME', '1'), price('BUY_ME', '3')],
        // BUY: 0.5 × 10,099 / 3 = 1,683.17 → 1,683; SELL: 100 − 0.0049 × 10,099 = 50.51 → 50.
        targets: [target('SELL_ME', '0.0049'), target('BUY_ME', '0.5')],
        shelf: [shelf('SELL_ME'), shelf('BUY_ME')],
      }),
    );
    expect(trades(result).map((t) => [t.instrument_id, t.side, t.quantity])).toEqual([
      ['SELL_ME', 'SELL', '50'],
      ['BUY_ME', 'BUY', '1683'],
    ]);
  });

  it('numbers intents by appended trades only: suppressed and zero-quantity rows take no number', () => {
    const result = run(
      request({
        positions: [position('HELD', '10')],
        prices: [price('DUST', '1'), price('HELD', '100'), price('BIG', '1')],
        targets: [target('DUST', '0.001'), target('HELD', '0.0909'), target('BIG', '0.5')],
        shelf: [shelf('DUST', 'APPROVED', { min_notional: { amount: '100', currency: 'SGD' } }), shelf('HELD'), shelf('BIG')],
      }),
    );
    expect(trades(result).map((t) => [t.intent_id, t.instrument_id])).toEqual([['oi_1', 'BIG']]);
    expect(result.diagnostics.suppressed_intents.map((s) => s.instrument_id)).toEqual(['DUST']);
  });

  it('records zero-quantity rows as dust whenever a threshold applies; the request threshold beats the shelf one', () => {
    const result = run(
      request({
        positions: [position('AT_TARGET', '50')],
        cash: [{ currency: 'SGD', amount: '5000' }],
        prices: [price('AT_TARGET', '100'), price('SMALL', '10')],
        targets: [target('AT_TARGET', '0.5'), target('SMALL', '0.05')],
        // The shelf says 1; the request's 1,000 (in another currency — ignored) wins.
        shelf: [shelf('AT_TARGET'), shelf('SMALL', 'APPROVED', { min_notional: { amount: '1', currency: 'SGD' } })],
        options: { min_trade_notional: { amount: '1000', currency: 'USD' } },
      }),
    );
    expect(result.intents).toEqual([]);
    const threshold = { amount: '1000', currency: 'USD' };
    expect(result.diagnostics.suppressed_intents).toEqual([
      { instrument_id: 'AT_TARGET', reason: 'BELOW_MIN_NOTIONAL', intended_notional: { amount: '0', currency: 'SGD' }, threshold },
      { instrument_id: 'SMALL', reason: 'BELOW_MIN_NOTIONAL', intended_notional: { amount: '500', currency: 'SGD' }, threshold },
    ]);
    expect(result.rule_results.find((r) => r.rule_id === 'MIN_TRADE_SIZE')).toMatchObject({
      status: 'PASS',
      measured: '2',
      reason_code: 'INTENTS_SUPPRESSED',
    });
  });

  it('marks MIN_NOTIONAL as applied whenever a threshold exists, even if it did not bind', () => {
    const result = run(
      request({
        prices: [price('A', '10')],
        targets: [target('A', '0.5')],
        shelf: [shelf('A', 'APPROVED', { min_notional: { amount: '10', currency: 'SGD' } })],
      }),
    );
    expect(trades(result)[0]?.constraints_applied).toEqual(['MIN_NOTIONAL']);
  });

  it('measures the current holding by its snapshot market value, even in CALCULATED mode, and does not cap sells', () => {
    const result = run(
      request({
        positions: [position('EQ', '10', { market_value: { amount: '5000', currency: 'SGD' } })],
        prices: [price('EQ', '100')],
        targets: [target('EQ', '0')],
        shelf: [shelf('EQ')],
      }),
    );
    // 5,000 / 100 = 50 to sell, while only 10 are held: the safety rule catches it.
    expect(trades(result).map((t) => [t.side, t.quantity])).toEqual([['SELL', '50']]);
    expect(result.status).toBe('BLOCKED');
    expect(result.reconciliation).toBeNull();
    expect(result.diagnostics.warnings).toEqual(['SIMULATION_SAFETY_CHECK_FAILED']);
    expect(result.rule_results.find((r) => r.rule_id === 'NO_SHORTING')).toMatchObject({
      status: 'FAIL',
      measured: '-40',
      reason_code: 'SELL_EXCEEDS_HOLDINGS',
    });
    expectDecimal(result.after_simulated.positions[0]?.quantity, -40);
  });

  it('blocks at the second data-quality check when a target instrument has no price', () => {
    const result = run(request({ targets: [target('NO_PRICE', '0.5')], shelf: [shelf('NO_PRICE')] }));
    expect(result.status).toBe('BLOCKED');
    expect(result.diagnostics.data_quality.price_missing).toEqual(['NO_PRICE']);
    // The target table of the early block is kept.
    expect(result.target.targets.map((t) => t.instrument_id)).toEqual(['NO_PRICE']);
    expect(result.intents).toEqual([]);
  });
});
