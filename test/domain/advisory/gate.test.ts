/**
 * Workflow gate (docs/advisory.md#gate), shared with the DPM engine: precedence BLOCKED >
 * compliance review (NEW HIGH) > risk review (soft fail or NEW MEDIUM) > consent already obtained >
 * client consent (always required for a proposal) — and the reason order.
 */
import { describe, expect, it } from 'vitest';
import { buy, proposalBody, sell, simulate } from './support.ts';

const held = [{ id: 'A', price: '100', held: '10' }, { id: 'B', price: '100' }];
const gateOf = (spec: Parameters<typeof proposalBody>[0]) => simulate(proposalBody(spec)).gate_decision;

describe('workflow gate', () => {
  it('asks for client consent on a clean proposal, even without workflow_requires_client_consent', () => {
    expect(gateOf({ cash: { USD: '1000' }, instruments: held, trades: [buy('B', '1')] })).toEqual({
      gate: 'CLIENT_CONSENT_REQUIRED',
      recommended_next_step: 'REQUEST_CLIENT_CONSENT',
      reasons: [],
      summary: { hard_fail_count: 0, soft_fail_count: 0, new_high_suitability_count: 0, new_medium_suitability_count: 0 },
    });
  });

  it('is EXECUTION_READY when consent is already obtained', () => {
    const gate = gateOf({ cash: { USD: '1000' }, instruments: held, options: { client_consent_already_obtained: true } });
    expect(gate?.gate).toBe('EXECUTION_READY');
    expect(gate?.recommended_next_step).toBe('EXECUTE');
  });

  it('sends a soft rule failure or a NEW MEDIUM issue to risk review', () => {
    const soft = gateOf({ cash: { USD: '1000' }, instruments: held, options: { cash_band_max_weight: '0.1' } });
    expect(soft).toMatchObject({ gate: 'RISK_REVIEW_REQUIRED', recommended_next_step: 'RISK_REVIEW' });
    expect(soft?.reasons).toEqual([
      { reason_code: 'SOFT_RULE_FAIL:CASH_BAND', severity: 'MEDIUM', source: 'RULE_ENGINE', details: { reason_code: 'THRESHOLD_BREACH' } },
    ]);
    const medium = gateOf({
      cash: { USD: '1000' },
      instruments: [...held, { id: 'BARE', price: '1', issuer: null }],
      trades: [buy('BARE', '1')],
    });
    expect(medium).toMatchObject({ gate: 'RISK_REVIEW_REQUIRED', summary: { new_medium_suitability_count: 1 } });
  });

  it('sends a NEW HIGH issue to compliance review, ahead of soft failures', () => {
    const gate = gateOf({
      cash: { USD: '1000' },
      instruments: held,
      trades: [buy('B', '6')],
      options: {
        cash_band_max_weight: '0.1',
        suitability_thresholds: { single_position_max_weight: '0.2', issuer_max_weight: '1', max_weight_by_liquidity_tier: {}, cash_band_min_weight: '0', cash_band_max_weight: '1' },
      },
    });
    expect(gate).toMatchObject({
      gate: 'COMPLIANCE_REVIEW_REQUIRED',
      recommended_next_step: 'COMPLIANCE_REVIEW',
      summary: { hard_fail_count: 0, soft_fail_count: 1, new_high_suitability_count: 1 },
    });
    // Sorted by severity, then source, then reason code.
    expect(gate?.reasons.map((r) => `${r.severity} ${r.source} ${r.reason_code}`)).toEqual([
      'HIGH SUITABILITY NEW_HIGH_SUITABILITY_ISSUE',
      'MEDIUM RULE_ENGINE SOFT_RULE_FAIL:CASH_BAND',
    ]);
  });

  it('blocks on any hard failure, whatever else is found; data-quality reasons sort first', () => {
    const gate = gateOf({
      base: 'SGD',
      cash: { SGD: '1000' },
      instruments: [{ id: 'US', price: '10', currency: 'USD' }, { id: 'SO', price: '1', status: 'SELL_ONLY' }],
      trades: [buy('US', '1'), buy('SO', '1')],
    });
    expect(gate).toMatchObject({ gate: 'BLOCKED', recommended_next_step: 'FIX_INPUT' });
    expect(gate?.reasons.map((r) => `${r.source} ${r.reason_code}`)).toEqual([
      'DATA_QUALITY DATA_QUALITY_MISSING_FX',
      'RULE_ENGINE HARD_RULE_FAIL:DATA_QUALITY',
      'RULE_ENGINE HARD_RULE_FAIL:PROPOSAL_INPUT_GUARDS',
      'SUITABILITY NEW_HIGH_SUITABILITY_ISSUE',
    ]);
  });

  it('is null when workflow gates are disabled', () => {
    expect(gateOf({ cash: { USD: '1' }, instruments: held, trades: [sell('A', '1')], options: { enable_workflow_gates: false } })).toBeNull();
  });
});
