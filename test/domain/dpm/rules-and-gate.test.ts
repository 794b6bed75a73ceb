/**
 * Post-trade rules, reconciliation, status and the workflow gate
 * (docs/engine.md#after-state-and-rules and the next two sections).
 */
import { describe, expect, it } from 'vitest';
import { position, price, request, run, shelf, target } from './fixtures.ts';

const simpleBuy = (options: Record<string, unknown> = {}) =>
  run(
    request({
      prices: [price('EQ', '100')],
      targets: [target('EQ', '0.5')],
      shelf: [shelf('EQ')],
      options,
    }),
  );

describe('rules', () => {
  it('evaluates the six rules in order, with their thresholds', () => {
    const result = simpleBuy({ single_position_max_weight: '0.6' });
    expect(result.rule_results.map((r) => [r.rule_id, r.severity, r.status, r.reason_code])).toEqual([
      ['CASH_BAND', 'SOFT', 'PASS', 'OK'],
      ['SINGLE_POSITION_MAX', 'HARD', 'PASS', 'OK'],
      ['DATA_QUALITY', 'HARD', 'PASS', 'OK'],
      ['MIN_TRADE_SIZE', 'SOFT', 'PASS', 'OK'],
      ['NO_SHORTING', 'HARD', 'PASS', 'OK'],
      ['INSUFFICIENT_CASH', 'HARD', 'PASS', 'OK'],
    ]);
    expect(result.rule_results[0]?.threshold).toEqual({ min: '0', max: '1' });
    expect(result.rule_results[1]).toMatchObject({ measured: '0.5', threshold: { max: '0.6' } });
  });

  it('sends a cash-band breach to risk review', () => {
    const result = simpleBuy({ cash_band_max_weight: '0.2' });
    expect(result.status).toBe('PENDING_REVIEW');
    expect(result.rule_results[0]).toMatchObject({ status: 'FAIL', reason_code: 'THRESHOLD_BREACH', measured: '0.5' });
    expect(result.gate_decision).toMatchObject({
      gate: 'RISK_REVIEW_REQUIRED',
      recommended_next_step: 'RISK_REVIEW',
      reasons: [{ reason_code: 'SOFT_RULE_FAIL:CASH_BAND', severity: 'MEDIUM', source: 'RULE_ENGINE', details: { reason_code: 'THRESHOLD_BREACH' } }],
      summary: { hard_fail_count: 0, soft_fail_count: 1 },
    });
  });

  it('fails SINGLE_POSITION_MAX only beyond cap + 0.001, once per breaching instrument', () => {
    // Sells are truncated to whole units, so a capped holding can stay a little above the cap.
    const body = (units: string, unitPrice: string, cashAmount: string, ids: string[]) =>
      request({
        positions: ids.map((id) => position(id, units)),
        cash: [{ currency: 'SGD', amount: cashAmount }],
        prices: ids.map((id) => price(id, unitPrice)),
        shelf: ids.map((id) => shelf(id, 'SUSPENDED')),
        options: { single_position_max_weight: '0.3' },
      });
    // 100 × 70 of 10,000: sell 57 (not 57.14), 3,010 left = 0.301, inside the tolerance.
    const within = run(body('100', '70', '3000', ['A']));
    expect(within.rule_results[1]).toMatchObject({ status: 'PASS', reason_code: 'OK', measured: '0.301' });
    // 10 × 700 each of 15,000: sell 3 (not 3.57), 4,900 left = 0.3267 each.
    const beyond = run(body('10', '700', '1000', ['A', 'B']));
    expect(beyond.status).toBe('BLOCKED');
    expect(beyond.rule_results.filter((r) => r.rule_id === 'SINGLE_POSITION_MAX')).toEqual(
      ['A', 'B'].map((id) => ({
        rule_id: 'SINGLE_POSITION_MAX',
        severity: 'HARD',
        status: 'FAIL',
        measured: '0.3266666666666666666666666667',
        threshold: { max: '0.3' },
        reason_code: 'LIMIT_BREACH',
        remediation_hint: `Instrument ${id} exceeds max weight.`,
      })),
    );
    // Not a cash or shorting problem: no safety warning, no reconciliation.
    expect(beyond.diagnostics.warnings).toEqual([]);
    expect(beyond.reconciliation).toBeNull();
  });

  it('blocks on a reconciliation mismatch and keeps the reconciliation', () => {
    const result = run(
      request({
        positions: [position('EQ', '10', { market_value: { amount: '3000', currency: 'SGD' } })],
        cash: [{ currency: 'SGD', amount: '0' }],
        prices: [price('EQ', '100')],
        targets: [target('EQ', '1')],
        shelf: [shelf('EQ')],
        options: { valuation_mode: 'TRUST_SNAPSHOT' },
      }),
    );
    expect(result.status).toBe('BLOCKED');
    expect(result.reconciliation).toMatchObject({ status: 'MISMATCH', delta: { amount: '-2000' }, tolerance: { amount: '2' } });
    expect(result.rule_results.at(-1)).toMatchObject({
      rule_id: 'RECONCILIATION',
      status: 'FAIL',
      measured: '2000',
      threshold: { max: '2' },
      reason_code: 'VALUE_MISMATCH',
    });
  });
});

describe('workflow gate', () => {
  it('asks for consent when required and not yet given', () => {
    expect(simpleBuy({ workflow_requires_client_consent: true }).gate_decision).toMatchObject({
      gate: 'CLIENT_CONSENT_REQUIRED',
      recommended_next_step: 'REQUEST_CLIENT_CONSENT',
    });
    expect(
      simpleBuy({ workflow_requires_client_consent: true, client_consent_already_obtained: true }).gate_decision?.gate,
    ).toBe('EXECUTION_READY');
  });

  it('is null when workflow gates are off', () => {
    expect(simpleBuy({ enable_workflow_gates: false }).gate_decision).toBeNull();
  });

  it('lists missing-data reasons even when they did not block, before rule reasons', () => {
    const result = run(
      request({
        positions: [position('NO_PRICE', '1')],
        prices: [price('EQ', '100')],
        targets: [target('EQ', '0.5')],
        shelf: [shelf('EQ'), shelf('NO_PRICE')],
        options: { block_on_missing_prices: false, cash_band_max_weight: '0.1' },
      }),
    );
    expect(result.status).toBe('PENDING_REVIEW');
    expect(result.gate_decision?.reasons.map((r) => [r.reason_code, r.details])).toEqual([
      ['DATA_QUALITY_MISSING_PRICE', { count: '3' }],
      ['SOFT_RULE_FAIL:CASH_BAND', { reason_code: 'THRESHOLD_BREACH' }],
    ]);
  });
});
