/**
 * SOLVER target method (docs/engine.md#solver-method) and the method comparison
 * (docs/engine.md#comparing-the-methods).
 */
import { describe, expect, it } from 'vitest';
import { expectDecimal, position, price, request, run, shelf, target, targetRow } from './fixtures.ts';

const sector = (id: string, value: string, status = 'APPROVED') => shelf(id, status, { attributes: { sector: value } });

describe('SOLVER targets', () => {
  it('minimises distance to the raw model weights, not the sell-only-redistributed ones', () => {
    const body = (method: string) =>
      request({
        prices: [price('A', '1'), price('S', '1')],
        targets: [target('A', '0.5'), target('S', '0.5')],
        shelf: [shelf('A'), shelf('S', 'SELL_ONLY')],
        options: { target_method: method },
      });
    expectDecimal(targetRow(run(body('HEURISTIC')), 'A').final_weight, 1);
    expectDecimal(targetRow(run(body('SOLVER')), 'A').final_weight, '0.5');
  });

  it('quantizes to 4 decimals half-even and leaves locked weights alone', () => {
    const result = run(
      request({
        positions: [position('LOCKED', '10')],
        cash: [{ currency: 'SGD', amount: '9000' }],
        prices: [price('A', '1'), price('B', '1'), price('C', '1'), price('LOCKED', '100')],
        targets: [target('A', '1'), target('B', '1'), target('C', '1')],
        shelf: [shelf('A'), shelf('B'), shelf('C'), shelf('LOCKED', 'SUSPENDED')],
        options: { target_method: 'SOLVER', cash_band_min_weight: '0', cash_band_max_weight: '0' },
      }),
    );
    // Invested exactly 1 − 0.1 locked = 0.9 over three equal targets: 0.3 each.
    for (const id of ['A', 'B', 'C']) expect(targetRow(result, id).final_weight).toBe('0.3');
    expectDecimal(targetRow(result, 'LOCKED').final_weight, '0.1');
    expect(result.target.targets.map((t) => t.final_weight).slice(0, 3).every((w) => /^\d\.\d{1,4}$/.test(w))).toBe(true);
  });

  it('blocks an infeasible problem with the infeasibility code and the hints that apply', () => {
    const result = run(
      request({
        positions: [position('T_LOCKED', '30')],
        cash: [{ currency: 'SGD', amount: '7000' }],
        prices: [price('T_LOCKED', '100'), price('A', '100')],
        targets: [target('A', '1')],
        shelf: [sector('T_LOCKED', 'TECH', 'SUSPENDED'), sector('A', 'FI')],
        options: {
          target_method: 'SOLVER',
          single_position_max_weight: '0.1',
          cash_band_min_weight: '0.5',
          cash_band_max_weight: '0.4',
          group_constraints: { 'sector:TECH': { max_weight: '0.2' } },
        },
      }),
    );
    expect(result.status).toBe('BLOCKED');
    expect(result.target.targets).toEqual([]);
    expect(result.explanation).toEqual({ summary: 'Blocked' });
    expect(new Set(result.diagnostics.warnings)).toEqual(
      new Set([
        'INFEASIBLE_INFEASIBLE',
        'INFEASIBILITY_HINT_CASH_BAND_CONTRADICTION',
        'INFEASIBILITY_HINT_SINGLE_POSITION_CAPACITY',
        'INFEASIBILITY_HINT_LOCKED_GROUP_WEIGHT_sector:TECH',
      ]),
    );
  });
});

describe('compare_target_methods', () => {
  it('reports both statuses, the instruments that differ beyond the tolerance, and divergence warnings', () => {
    const agreeing = run(
      request({
        prices: [price('A', '1'), price('B', '1')],
        targets: [target('A', '0.6'), target('B', '0.4')],
        shelf: [shelf('A'), shelf('B')],
        options: { compare_target_methods: true, single_position_max_weight: '0.7', compare_target_methods_tolerance: '0.001' },
      }),
    );
    expect(agreeing.explanation.target_method_comparison).toEqual({
      primary_method: 'HEURISTIC',
      primary_status: 'READY',
      alternate_method: 'SOLVER',
      alternate_status: 'READY',
      tolerance: '0.001',
      differing_instruments: [],
      alternate_warnings: [],
    });
    expect(agreeing.diagnostics.warnings).toEqual([]);

    // Capped at 0.6, the heuristic hands A's excess to B (0.4); the solver keeps B at 0.3.
    const capped = run(
      request({
        prices: [price('A', '1'), price('B', '1')],
        targets: [target('A', '0.7'), target('B', '0.3')],
        shelf: [shelf('A'), shelf('B')],
        options: { compare_target_methods: true, single_position_max_weight: '0.6' },
      }),
    );
    expect(capped.explanation.target_method_comparison?.differing_instruments).toEqual(['B']);
    expect(capped.diagnostics.warnings).toEqual(['TARGET_METHOD_WEIGHT_DIVERGENCE']);

    const diverging = run(
      request({
        prices: [price('A', '1'), price('S', '1')],
        targets: [target('S', '0.5'), target('A', '0.5')],
        shelf: [shelf('A'), shelf('S', 'SELL_ONLY')],
        options: { compare_target_methods: true, target_method: 'SOLVER' },
      }),
    );
    expect(diverging.explanation.target_method_comparison).toMatchObject({
      primary_method: 'SOLVER',
      alternate_method: 'HEURISTIC',
      differing_instruments: ['A'],
    });
    expect(diverging.diagnostics.warnings).toEqual(['TARGET_METHOD_WEIGHT_DIVERGENCE']);
  });
});
