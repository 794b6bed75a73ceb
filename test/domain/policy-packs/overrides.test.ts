import { describe, expect, it } from 'vitest';
import { parsePolicyPackDefinition, type PolicyPackDefinition } from '../../../src/domain/policy-packs/model.ts';
import {
  applyPolicyPackOverrides,
  OVERRIDABLE_OPTION_FIELDS,
  policyPackReplayEnabled,
  selectPolicyPack,
} from '../../../src/domain/policy-packs/overrides.ts';

function pack(input: Record<string, unknown>): PolicyPackDefinition {
  const result = parsePolicyPackDefinition('p', { version: '1', ...input });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.value;
}

const baseOptions = {
  target_method: 'HEURISTIC',
  max_turnover_pct: null as string | null,
  enable_tax_awareness: false,
  max_realized_capital_gains: null as string | null,
  enable_settlement_awareness: false,
  settlement_horizon_days: 5,
  single_position_max_weight: null as string | null,
  group_constraints: { 'sector:FIN': { max_weight: '0.5' } } as Record<string, { max_weight: string }>,
  enable_workflow_gates: true,
  workflow_requires_client_consent: false,
  client_consent_already_obtained: false,
};

const FULL = pack({
  turnover_policy: { max_turnover_pct: '0.15' },
  tax_policy: { enable_tax_awareness: true, max_realized_capital_gains: '100' },
  settlement_policy: { enable_settlement_awareness: true, settlement_horizon_days: 3 },
  constraint_policy: { single_position_max_weight: '0.25', group_constraints: { 'sector:TECH': { max_weight: '0.3' } } },
  workflow_policy: { enable_workflow_gates: false, workflow_requires_client_consent: true, client_consent_already_obtained: true },
  idempotency_policy: { replay_enabled: false },
});

describe('applyPolicyPackOverrides', () => {
  it('all ten option overrides reach the options; other fields and the input are untouched', () => {
    const before = structuredClone(baseOptions);
    const out = applyPolicyPackOverrides(baseOptions, FULL);
    expect(out).toEqual({
      target_method: 'HEURISTIC',
      max_turnover_pct: '0.15',
      enable_tax_awareness: true,
      max_realized_capital_gains: '100',
      enable_settlement_awareness: true,
      settlement_horizon_days: 3,
      single_position_max_weight: '0.25',
      group_constraints: { 'sector:TECH': { max_weight: '0.3' } },
      enable_workflow_gates: false,
      workflow_requires_client_consent: true,
      client_consent_already_obtained: true,
    });
    expect(OVERRIDABLE_OPTION_FIELDS).toHaveLength(10);
    expect(baseOptions).toEqual(before);
  });

  it('null pack fields and an empty group map change nothing', () => {
    expect(applyPolicyPackOverrides(baseOptions, pack({ constraint_policy: { group_constraints: {} } }))).toEqual(baseOptions);
    expect(applyPolicyPackOverrides(baseOptions, null)).toEqual(baseOptions);
  });

  it('false and zero are real overrides, not "absent"', () => {
    const out = applyPolicyPackOverrides({ ...baseOptions, enable_tax_awareness: true }, pack({
      tax_policy: { enable_tax_awareness: false, max_realized_capital_gains: '0' },
      settlement_policy: { settlement_horizon_days: 0 },
    }));
    expect(out).toMatchObject({ enable_tax_awareness: false, max_realized_capital_gains: '0', settlement_horizon_days: 0 });
  });

  it('the replay flag is the pack value when set, else the configured one', () => {
    expect(policyPackReplayEnabled(true, FULL)).toBe(false);
    expect(policyPackReplayEnabled(true, pack({}))).toBe(true);
    expect(policyPackReplayEnabled(false, null)).toBe(false);
  });

  it('selectPolicyPack: an unknown id or a disabled resolution selects nothing', () => {
    const packs = new Map([['p', FULL]]);
    expect(selectPolicyPack({ enabled: true, selected_policy_pack_id: 'p', source: 'REQUEST' }, packs)).toBe(FULL);
    expect(selectPolicyPack({ enabled: true, selected_policy_pack_id: 'zz', source: 'REQUEST' }, packs)).toBeNull();
    expect(selectPolicyPack({ enabled: false, selected_policy_pack_id: null, source: 'DISABLED' }, packs)).toBeNull();
  });
});
