/** HEURISTIC target method (docs/engine.md#heuristic-method), incl. its single-pass quirks. */
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { expectDecimal, num, position, price, request, run, shelf, target, targetRow, trades } from './fixtures.ts';

const D = Decimal.clone({ precision: 28, rounding: Decimal.ROUND_HALF_EVEN });

describe('single-position cap', () => {
  it('hands the excess out with a shrinking remainder over the original candidate total', () => {
    const result = run(
      request({
        prices: ['A', 'B', 'C', 'D'].map((id) => price(id, '1')),
        targets: [target('A', '0.7'), target('B', '0.1'), target('C', '0.1'), target('D', '0.1')],
        shelf: ['A', 'B', 'C', 'D'].map((id) => shelf(id)),
        options: { single_position_max_weight: '0.4' },
      }),
    );
    // excess 0.3 over C = 0.3: B takes 0.3·(0.1/0.3) = 0.1, then C and D share what is left of
    // the shrinking remainder, each over the *original* 0.3 — not 0.1 each.
    const third = new D('0.1').div('0.3');
    const afterB = new D('0.3').minus(new D('0.3').times(third));
    const shareC = afterB.times(third);
    const shareD = afterB.minus(shareC).times(third);
    expectDecimal(targetRow(result, 'A').final_weight, '0.4');
    expectDecimal(targetRow(result, 'B').final_weight, '0.2');
    expectDecimal(targetRow(result, 'C').final_weight, new D('0.1').plus(shareC));
    expectDecimal(targetRow(result, 'D').final_weight, new D('0.1').plus(shareD));
    expect(targetRow(result, 'A').tags).toEqual(['CAPPED_BY_MAX_WEIGHT']);
    // About 0.089 could not be placed (> 0.001): the run needs review, the gate still says execute.
    expect(result.status).toBe('PENDING_REVIEW');
    expect(result.gate_decision?.gate).toBe('EXECUTION_READY');
  });

  it('also clamps a locked position above the cap, which then gets a SELL', () => {
    const result = run(
      request({
        positions: [position('FROZEN', '60')],
        cash: [{ currency: 'SGD', amount: '4000' }],
        prices: [price('FROZEN', '100'), price('NEW', '100')],
        targets: [target('NEW', '0.2')],
        shelf: [shelf('FROZEN', 'SUSPENDED'), shelf('NEW')],
        options: { single_position_max_weight: '0.5' },
      }),
    );
    expectDecimal(targetRow(result, 'FROZEN').final_weight, '0.5');
    expect(trades(result).map((t) => [t.instrument_id, t.side, t.quantity])).toEqual([
      ['FROZEN', 'SELL', '10'],
      ['NEW', 'BUY', '30'],
    ]);
  });
});

describe('over-100% normalisation', () => {
  const body = (a: string, b: string) =>
    request({
      prices: [price('A', '1'), price('B', '1')],
      targets: [target('A', a), target('B', b)],
      shelf: [shelf('A'), shelf('B')],
    });

  it('leaves totals up to 1.0001 alone', () => {
    const result = run(body('0.5', '0.50005'));
    expectDecimal(targetRow(result, 'B').final_weight, '0.50005');
    expect(result.status).toBe('READY');
  });

  it('scales buyable weights into the room left by locked ones, and asks for review', () => {
    const result = run(body('0.9', '0.3'));
    expectDecimal(targetRow(result, 'A').final_weight, new D('0.9').times(new D(1).div('1.2')));
    expect(result.status).toBe('PENDING_REVIEW');
  });
});

describe('group constraints', () => {
  const shelfWith = (id: string, sector: string, status = 'APPROVED') => shelf(id, status, { attributes: { sector } });

  it('scales members (locked ones too) and gives the excess pro rata to buyable non-members', () => {
    const result = run(
      request({
        positions: [position('T_LOCKED', '10')],
        prices: ['T1', 'T_LOCKED', 'F1', 'F0'].map((id) => price(id, '100')),
        targets: [target('T1', '0.4'), target('F1', '0.3'), target('F0', '0')],
        shelf: [shelfWith('T1', 'TECH'), shelfWith('T_LOCKED', 'TECH', 'SUSPENDED'), shelfWith('F1', 'FI'), shelfWith('F0', 'FI')],
        options: { group_constraints: { 'sector:TECH': { max_weight: '0.25' } } },
      }),
    );
    // TECH = 0.4 + 1,000/11,000 locked; scaled to 0.25 in total.
    const locked = new D(1000).div(11000);
    const current = new D('0.4').plus(locked);
    const scale = new D('0.25').div(current);
    expectDecimal(targetRow(result, 'T1').final_weight, new D('0.4').times(scale));
    expectDecimal(targetRow(result, 'T_LOCKED').final_weight, locked.times(scale));
    const [event] = result.diagnostics.group_constraint_events;
    expect(event?.status).toBe('CAPPED');
    expectDecimal(event?.group_weight_before, current);
    expectDecimal(event?.released_weight, current.minus('0.25'));
    // Zero-weight candidates are listed and get nothing.
    expect(Object.keys(event?.recipients ?? {})).toEqual(['F1', 'F0']);
    expectDecimal(event?.recipients.F0, 0);
    expectDecimal(targetRow(result, 'F1').final_weight, new D('0.3').plus(current.minus('0.25')));
    expect(result.diagnostics.warnings).toContain('CAPPED_BY_GROUP_LIMIT_sector:TECH');
  });

  it('blocks the run when nobody can take the released weight', () => {
    const result = run(
      request({
        prices: [price('T1', '100')],
        targets: [target('T1', '0.5')],
        shelf: [shelfWith('T1', 'TECH')],
        options: { group_constraints: { 'sector:TECH': { max_weight: '0.2' } } },
      }),
    );
    expect(result.status).toBe('BLOCKED');
    expect(result.target.targets).toEqual([]);
    expect(result.diagnostics.warnings).toEqual(['CAPPED_BY_GROUP_LIMIT_sector:TECH', 'NO_ELIGIBLE_REDISTRIBUTION_DESTINATION']);
    expect(result.diagnostics.group_constraint_events[0]).toMatchObject({ status: 'BLOCKED', recipients: {} });
  });

  it('warns about an attribute no shelf entry has, and goes on', () => {
    const result = run(
      request({
        prices: [price('A', '100')],
        targets: [target('A', '0.5')],
        shelf: [shelf('A')],
        options: { group_constraints: { 'region:US': { max_weight: '0.1' } } },
      }),
    );
    expect(result.diagnostics.warnings).toEqual(['UNKNOWN_CONSTRAINT_ATTRIBUTE_region']);
    expectDecimal(targetRow(result, 'A').final_weight, '0.5');
  });
});

describe('sell-only and cash buffer', () => {
  it('gives a SELL_ONLY target\'s model weight to the buyable targets, pro rata', () => {
    const result = run(
      request({
        prices: [price('A', '1'), price('B', '1'), price('S', '1')],
        targets: [target('A', '0.3'), target('B', '0.1'), target('S', '0.4')],
        shelf: [shelf('A'), shelf('B'), shelf('S', 'SELL_ONLY')],
      }),
    );
    expectDecimal(targetRow(result, 'A').final_weight, new D('0.3').plus(new D('0.4').times(new D('0.3').div('0.4'))));
    expectDecimal(targetRow(result, 'S').final_weight, 0);
    expect(result.universe.excluded).toEqual([{ instrument_id: 'S', reason_code: 'SHELF_STATUS_SELL_ONLY', details: null }]);
    expect(result.status).toBe('READY');
  });

  it('keeps the minimum cash buffer by scaling buyable weights, and asks for review', () => {
    const result = run(
      request({
        prices: [price('A', '1')],
        targets: [target('A', '1')],
        shelf: [shelf('A')],
        options: { min_cash_buffer_pct: '0.05' },
      }),
    );
    expectDecimal(targetRow(result, 'A').final_weight, '0.95');
    expect(num(trades(result)[0]?.quantity).eq(9500)).toBe(true);
    expect(result.status).toBe('PENDING_REVIEW');
  });
});
