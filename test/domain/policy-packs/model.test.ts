import { describe, expect, it } from 'vitest';
import { parsePolicyPackDefinition } from '../../../src/domain/policy-packs/model.ts';

describe('parsePolicyPackDefinition', () => {
  it('fills every sub-object with nulls and keeps decimals as strings', () => {
    const result = parsePolicyPackDefinition('p1', { version: '7', turnover_policy: { max_turnover_pct: 0.15 }, tax_policy: null });
    expect(result).toEqual({
      ok: true,
      value: {
        policy_pack_id: 'p1',
        version: '7',
        turnover_policy: { max_turnover_pct: '0.15' },
        tax_policy: { enable_tax_awareness: null, max_realized_capital_gains: null },
        settlement_policy: { enable_settlement_awareness: null, settlement_horizon_days: null },
        constraint_policy: { single_position_max_weight: null, group_constraints: {} },
        workflow_policy: { enable_workflow_gates: null, workflow_requires_client_consent: null, client_consent_already_obtained: null },
        idempotency_policy: { replay_enabled: null },
      },
    });
  });

  it('reports every problem with its field, not only the first', () => {
    const result = parsePolicyPackDefinition('p1', {
      turnover_policy: { max_turnover_pct: '1.5' },
      tax_policy: { max_realized_capital_gains: '-1', enable_tax_awareness: 'yes' },
      settlement_policy: { settlement_horizon_days: 11 },
      constraint_policy: { single_position_max_weight: 'abc', group_constraints: { nocolon: { max_weight: '0.1' }, 'a:b': { max_weight: 2 } } },
      workflow_policy: { typo: true },
      extra: 1,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => `${p.field}:${p.code}`).sort()).toEqual(
      [
        'version:required',
        'turnover_policy.max_turnover_pct:range',
        'tax_policy.max_realized_capital_gains:range',
        'tax_policy.enable_tax_awareness:type',
        'settlement_policy.settlement_horizon_days:range',
        'constraint_policy.single_position_max_weight:format',
        'constraint_policy.group_constraints["nocolon"]:format',
        'constraint_policy.group_constraints["a:b"].max_weight:range',
        'workflow_policy.typo:unknown_field',
        'extra:unknown_field',
      ].sort(),
    );
  });

  it('ENV_JSON mode: version defaults to "1" and is stringified; an embedded id is ignored', () => {
    const a = parsePolicyPackDefinition('key', { policy_pack_id: 'other' }, { lenientVersion: true });
    const b = parsePolicyPackDefinition('key', { version: 3 }, { lenientVersion: true });
    expect(a.ok && a.value.version).toBe('1');
    expect(a.ok && a.value.policy_pack_id).toBe('key');
    expect(b.ok && b.value.version).toBe('3');
  });

  it('refuses ids with whitespace and non-object definitions', () => {
    expect(parsePolicyPackDefinition('a b', { version: '1' }).ok).toBe(false);
    expect(parsePolicyPackDefinition('p', [1]).ok).toBe(false);
  });
});
