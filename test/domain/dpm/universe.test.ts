/**
 * Universe and shelf filtering (docs/engine.md#universe), and the order everything follows from it.
 */
import { describe, expect, it } from 'vitest';
import { expectDecimal, position, price, request, run, shelf, target, targetRow } from './fixtures.ts';

describe('universe', () => {
  it('keeps model order, then position order — also for ids that look like integers', () => {
    const result = run(
      request({
        positions: [position('300', '10'), position('20', '10'), position('ZERO', '0')],
        prices: [price('300', '10'), price('20', '10'), price('10', '10'), price('2', '10'), price('ZERO', '10')],
        targets: [target('10', '0.3'), target('2', '0.3')],
        shelf: [shelf('10'), shelf('2'), shelf('300'), shelf('20'), shelf('ZERO')],
      }),
    );
    expect(result.universe.eligible_for_buy).toEqual(['10', '2']);
    expect(result.universe.eligible_for_sell).toEqual(['10', '2', '300', '20']);
    // Zero-quantity positions outside the model are ignored.
    expect(result.target.targets.map((t) => t.instrument_id)).toEqual(['10', '2', '300', '20']);
    expect(targetRow(result, '300').tags).toEqual(['IMPLICIT_SELL_TO_ZERO']);
  });

  it('excludes BANNED/SUSPENDED/unrestricted RESTRICTED targets and locks them when held (two rows)', () => {
    const result = run(
      request({
        positions: [position('BAN', '20'), position('OFF', '10')],
        prices: [price('BAN', '100'), price('SUS', '100'), price('RES', '100'), price('OK', '100'), price('OFF', '100')],
        targets: [target('BAN', '0.2'), target('SUS', '0.2'), target('RES', '0.2'), target('OK', '0.4')],
        shelf: [shelf('BAN', 'BANNED'), shelf('SUS', 'SUSPENDED'), shelf('RES', 'RESTRICTED'), shelf('OK')],
      }),
    );
    expect(result.universe.excluded.map((e) => [e.instrument_id, e.reason_code])).toEqual([
      ['BAN', 'SHELF_STATUS_BANNED'],
      ['SUS', 'SHELF_STATUS_SUSPENDED'],
      ['RES', 'SHELF_STATUS_RESTRICTED'],
      ['BAN', 'LOCKED_DUE_TO_BANNED'],
      ['OFF', 'LOCKED_DUE_TO_MISSING_SHELF'],
    ]);
    // Locked at the current weight (2,000 of 13,000), not sold.
    expectDecimal(targetRow(result, 'BAN').final_weight, '0.1538461538461538461538461538');
    expect(targetRow(result, 'OFF').tags).toEqual(['LOCKED_POSITION']);
    expect(result.intents.some((i) => i.intent_type === 'SECURITY_TRADE' && i.instrument_id === 'BAN')).toBe(false);
  });

  it('makes RESTRICTED targets buyable with allow_restricted', () => {
    const result = run(
      request({
        prices: [price('RES', '100')],
        targets: [target('RES', '0.5')],
        shelf: [shelf('RES', 'RESTRICTED')],
        options: { allow_restricted: true },
      }),
    );
    expect(result.universe.eligible_for_buy).toEqual(['RES']);
    expect(result.universe.excluded).toEqual([]);
  });

  it('blocks on a model target missing from the shelf, with coverage 0', () => {
    const result = run(request({ prices: [price('GHOST', '100')], targets: [target('GHOST', '1')] }));
    expect(result.status).toBe('BLOCKED');
    expect(result.diagnostics.data_quality.shelf_missing).toEqual(['GHOST']);
    expect(result.universe.coverage).toEqual({ price_coverage_pct: '0', fx_coverage_pct: '0' });
  });
});
