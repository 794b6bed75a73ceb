/**
 * Applying a pack to a request's options (docs/dpm-api.md#policy-packs-on-simulate-and-analyze):
 * every non-null pack field overwrites the option of the same name; `group_constraints` replaces
 * the whole map, and only when the pack's map is non-empty; the idempotency replay flag is
 * overridden when non-null.
 *
 * Packs are validated with the request's own bounds when they enter the catalog (model.ts),
 * so an override can never produce options the request validation would refuse.
 */
import type { GroupConstraintPolicy, PolicyPackDefinition } from './model.ts';
import type { PolicyPackResolution } from './resolution.ts';

/** The option fields a pack can set, named as in the request's `options` (EngineOptions). */
export interface PolicyPackOptionOverrides {
  max_turnover_pct?: string;
  enable_tax_awareness?: boolean;
  max_realized_capital_gains?: string;
  enable_settlement_awareness?: boolean;
  settlement_horizon_days?: number;
  single_position_max_weight?: string;
  group_constraints?: Record<string, GroupConstraintPolicy>;
  enable_workflow_gates?: boolean;
  workflow_requires_client_consent?: boolean;
  client_consent_already_obtained?: boolean;
}

export const OVERRIDABLE_OPTION_FIELDS = [
  'max_turnover_pct',
  'enable_tax_awareness',
  'max_realized_capital_gains',
  'enable_settlement_awareness',
  'settlement_horizon_days',
  'single_position_max_weight',
  'group_constraints',
  'enable_workflow_gates',
  'workflow_requires_client_consent',
  'client_consent_already_obtained',
] as const satisfies readonly (keyof PolicyPackOptionOverrides)[];

/** The overrides a pack carries: only its non-null fields (and a non-empty group map). */
export function policyPackOptionOverrides(pack: PolicyPackDefinition | null | undefined): PolicyPackOptionOverrides {
  const out: PolicyPackOptionOverrides = {};
  if (!pack) return out;
  const { turnover_policy: t, tax_policy: tax, settlement_policy: s, constraint_policy: c, workflow_policy: w } = pack;
  if (t.max_turnover_pct !== null) out.max_turnover_pct = t.max_turnover_pct;
  if (tax.enable_tax_awareness !== null) out.enable_tax_awareness = tax.enable_tax_awareness;
  if (tax.max_realized_capital_gains !== null) out.max_realized_capital_gains = tax.max_realized_capital_gains;
  if (s.enable_settlement_awareness !== null) out.enable_settlement_awareness = s.enable_settlement_awareness;
  if (s.settlement_horizon_days !== null) out.settlement_horizon_days = s.settlement_horizon_days;
  if (c.single_position_max_weight !== null) out.single_position_max_weight = c.single_position_max_weight;
  if (Object.keys(c.group_constraints).length > 0) {
    out.group_constraints = Object.fromEntries(Object.entries(c.group_constraints).map(([key, value]) => [key, { max_weight: value.max_weight }]));
  }
  if (w.enable_workflow_gates !== null) out.enable_workflow_gates = w.enable_workflow_gates;
  if (w.workflow_requires_client_consent !== null) out.workflow_requires_client_consent = w.workflow_requires_client_consent;
  if (w.client_consent_already_obtained !== null) out.client_consent_already_obtained = w.client_consent_already_obtained;
  return out;
}

/**
 * A copy of `options` with the pack's overrides applied; `options` is not changed. With no
 * pack (none selected, or an unknown id) the copy equals the input.
 */
export function applyPolicyPackOverrides<T extends object>(options: T, pack: PolicyPackDefinition | null | undefined): T {
  return { ...options, ...policyPackOptionOverrides(pack) };
}

/** The simulate replay flag: the pack's `idempotency_policy.replay_enabled` when set, else the configured one. */
export function policyPackReplayEnabled(configured: boolean, pack: PolicyPackDefinition | null | undefined): boolean {
  return pack?.idempotency_policy.replay_enabled ?? configured;
}

/**
 * The definition a resolution selects from a catalog snapshot; an unknown id gives null, silently,
 * as the reference.
 */
export function selectPolicyPack(
  resolution: PolicyPackResolution,
  packs: ReadonlyMap<string, PolicyPackDefinition>,
): PolicyPackDefinition | null {
  if (!resolution.enabled || resolution.selected_policy_pack_id === null) return null;
  return packs.get(resolution.selected_policy_pack_id) ?? null;
}
