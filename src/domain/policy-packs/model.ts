/**
 * The policy-pack definition (docs/policy-packs.md#definition-model) and its validation.
 *
 * Output form: every sub-object present, absent fields `null`, `group_constraints` `{}` when
 * empty, decimals as strings (`"0.15"`), keys in the reference's field order.
 *
 * Deliberate tightening of the reference, which copied pack values unchecked:
 * a pack is checked with the SAME bounds a request's `options` are checked with, so a pack can
 * never inject a value the request validation would refuse with 422 (`max_turnover_pct` in
 * 0..1, `group_constraints` keys `<attribute_key>:<attribute_value>`). Unknown fields are
 * refused too, so a typo (`max_turnover_percent`) is an error instead of a silently ignored field.
 */
import { Decimal } from '../decimal.ts';

export interface TurnoverPolicy {
  readonly max_turnover_pct: string | null;
}
export interface TaxPolicy {
  readonly enable_tax_awareness: boolean | null;
  readonly max_realized_capital_gains: string | null;
}
export interface SettlementPolicy {
  readonly enable_settlement_awareness: boolean | null;
  readonly settlement_horizon_days: number | null;
}
export interface GroupConstraintPolicy {
  readonly max_weight: string;
}
export interface ConstraintPolicy {
  readonly single_position_max_weight: string | null;
  readonly group_constraints: Readonly<Record<string, GroupConstraintPolicy>>;
}
export interface WorkflowPolicy {
  readonly enable_workflow_gates: boolean | null;
  readonly workflow_requires_client_consent: boolean | null;
  readonly client_consent_already_obtained: boolean | null;
}
export interface IdempotencyPolicy {
  readonly replay_enabled: boolean | null;
}

export interface PolicyPackDefinition {
  readonly policy_pack_id: string;
  /** The author's version label (free text, required on upsert); not the catalog's row revision. */
  readonly version: string;
  readonly turnover_policy: TurnoverPolicy;
  readonly tax_policy: TaxPolicy;
  readonly settlement_policy: SettlementPolicy;
  readonly constraint_policy: ConstraintPolicy;
  readonly workflow_policy: WorkflowPolicy;
  readonly idempotency_policy: IdempotencyPolicy;
}

/** One validation problem; `field` is a path relative to the definition (`tax_policy.max_realized_capital_gains`). */
export interface PolicyPackProblem {
  readonly field: string;
  readonly code: 'required' | 'type' | 'range' | 'format' | 'unknown_field';
  readonly message: string;
}

export type PolicyPackParseResult =
  | { readonly ok: true; readonly value: PolicyPackDefinition }
  | { readonly ok: false; readonly problems: readonly PolicyPackProblem[] };

export interface ParseOptions {
  /**
   * ENV_JSON mode (docs/policy-packs.md#catalog-backends): a missing `version` becomes `"1"` and a
   * non-string one is stringified. Without it (`PUT` body), `version` is a required string.
   */
  readonly lenientVersion?: boolean;
  /** Ignore a `policy_pack_id` inside the object (the key or the path wins). Default true. */
  readonly ignoreEmbeddedId?: boolean;
}

export const POLICY_SECTIONS = [
  'turnover_policy',
  'tax_policy',
  'settlement_policy',
  'constraint_policy',
  'workflow_policy',
  'idempotency_policy',
] as const;

/** Valid policy-pack ids: no whitespace, no control characters, 1..128 characters. */
export const POLICY_PACK_ID_PATTERN = '^[^\\s\\u0000-\\u001f\\u007f]{1,128}$';
const POLICY_PACK_ID_RE = new RegExp(POLICY_PACK_ID_PATTERN, 'u');

export function isValidPolicyPackId(id: string): boolean {
  return POLICY_PACK_ID_RE.test(id);
}

const DECIMAL_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const GROUP_KEY = /^[^:]+:[^:]+$/;

type Range = { readonly ge?: string; readonly le?: string };
const UNIT: Range = { ge: '0', le: '1' };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Collector {
  readonly problems: PolicyPackProblem[] = [];
  add(field: string, code: PolicyPackProblem['code'], message: string): void {
    this.problems.push({ field, code, message });
  }

  decimal(field: string, value: unknown, range: Range, nullable: boolean): string | null {
    if (value === undefined || value === null) {
      if (!nullable) this.add(field, 'required', 'A decimal is required.');
      return null;
    }
    let text: string;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) {
        this.add(field, 'type', 'Must be a finite decimal.');
        return null;
      }
      text = String(value);
    } else if (typeof value === 'string') {
      text = value.trim();
      if (!DECIMAL_TEXT.test(text)) {
        this.add(field, 'format', 'Must be a decimal number such as "0.15".');
        return null;
      }
    } else {
      this.add(field, 'type', 'Must be a decimal (string or number).');
      return null;
    }
    const decimal = Decimal.from(text);
    if (range.ge !== undefined && decimal.lt(Decimal.from(range.ge))) {
      this.add(field, 'range', range.le === undefined ? `Must be >= ${range.ge}.` : `Must be between ${range.ge} and ${range.le} inclusive.`);
      return null;
    }
    if (range.le !== undefined && decimal.gt(Decimal.from(range.le))) {
      this.add(field, 'range', `Must be between ${range.ge ?? '-inf'} and ${range.le} inclusive.`);
      return null;
    }
    return text;
  }

  bool(field: string, value: unknown): boolean | null {
    if (value === undefined || value === null) return null;
    if (typeof value !== 'boolean') {
      this.add(field, 'type', 'Must be true, false or null.');
      return null;
    }
    return value;
  }

  integer(field: string, value: unknown, min: number, max: number): number | null {
    if (value === undefined || value === null) return null;
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      this.add(field, 'type', 'Must be an integer or null.');
      return null;
    }
    if (value < min || value > max) {
      this.add(field, 'range', `Must be between ${min} and ${max} inclusive.`);
      return null;
    }
    return value;
  }

  /** A policy sub-object: null/absent → `{}`; unknown keys are problems. */
  section(field: string, value: unknown, known: readonly string[]): Record<string, unknown> {
    if (value === undefined || value === null) return {};
    if (!isRecord(value)) {
      this.add(field, 'type', 'Must be an object or null.');
      return {};
    }
    for (const key of Object.keys(value)) {
      if (!known.includes(key)) this.add(`${field}.${key}`, 'unknown_field', 'Unknown field.');
    }
    return value;
  }
}

/**
 * Validates `input` as the definition of pack `policyPackId` and returns it in output form,
 * or every problem found (never only the first).
 */
export function parsePolicyPackDefinition(policyPackId: string, input: unknown, options: ParseOptions = {}): PolicyPackParseResult {
  const c = new Collector();
  if (!isValidPolicyPackId(policyPackId)) {
    c.add('policy_pack_id', 'format', 'A policy-pack id is 1..128 characters without whitespace or control characters.');
  }
  if (!isRecord(input)) {
    c.add('', 'type', 'A policy-pack definition must be a JSON object.');
    return { ok: false, problems: c.problems };
  }
  const ignoreEmbeddedId = options.ignoreEmbeddedId ?? true;
  const topLevel: readonly string[] = ['version', ...POLICY_SECTIONS, ...(ignoreEmbeddedId ? ['policy_pack_id'] : [])];
  for (const key of Object.keys(input)) {
    if (!topLevel.includes(key)) c.add(key, 'unknown_field', 'Unknown field.');
  }

  let version = '';
  const rawVersion = input['version'];
  if (options.lenientVersion) {
    version = rawVersion === undefined || rawVersion === null ? '1' : typeof rawVersion === 'string' ? rawVersion : JSON.stringify(rawVersion);
  } else if (rawVersion === undefined || rawVersion === null) {
    c.add('version', 'required', 'version is required.');
  } else if (typeof rawVersion !== 'string') {
    c.add('version', 'type', 'version must be a string.');
  } else {
    version = rawVersion;
  }

  const turnover = c.section('turnover_policy', input['turnover_policy'], ['max_turnover_pct']);
  const tax = c.section('tax_policy', input['tax_policy'], ['enable_tax_awareness', 'max_realized_capital_gains']);
  const settlement = c.section('settlement_policy', input['settlement_policy'], ['enable_settlement_awareness', 'settlement_horizon_days']);
  const constraint = c.section('constraint_policy', input['constraint_policy'], ['single_position_max_weight', 'group_constraints']);
  const workflow = c.section('workflow_policy', input['workflow_policy'], [
    'enable_workflow_gates',
    'workflow_requires_client_consent',
    'client_consent_already_obtained',
  ]);
  const idempotency = c.section('idempotency_policy', input['idempotency_policy'], ['replay_enabled']);

  const groups: Record<string, GroupConstraintPolicy> = {};
  const rawGroups = constraint['group_constraints'];
  if (rawGroups !== undefined && rawGroups !== null) {
    if (!isRecord(rawGroups)) {
      c.add('constraint_policy.group_constraints', 'type', 'Must be an object {"<attribute_key>:<attribute_value>": {max_weight}}.');
    } else {
      for (const [key, entry] of Object.entries(rawGroups)) {
        const field = `constraint_policy.group_constraints[${JSON.stringify(key)}]`;
        if (!GROUP_KEY.test(key)) c.add(field, 'format', "Keys must use the format '<attribute_key>:<attribute_value>'.");
        if (!isRecord(entry)) {
          c.add(field, 'type', 'Must be an object {max_weight}.');
          continue;
        }
        for (const extra of Object.keys(entry)) if (extra !== 'max_weight') c.add(`${field}.${extra}`, 'unknown_field', 'Unknown field.');
        const maxWeight = c.decimal(`${field}.max_weight`, entry['max_weight'], UNIT, false);
        if (maxWeight !== null) groups[key] = { max_weight: maxWeight };
      }
    }
  }

  const value: PolicyPackDefinition = {
    policy_pack_id: policyPackId,
    version,
    turnover_policy: { max_turnover_pct: c.decimal('turnover_policy.max_turnover_pct', turnover['max_turnover_pct'], UNIT, true) },
    tax_policy: {
      enable_tax_awareness: c.bool('tax_policy.enable_tax_awareness', tax['enable_tax_awareness']),
      max_realized_capital_gains: c.decimal('tax_policy.max_realized_capital_gains', tax['max_realized_capital_gains'], { ge: '0' }, true),
    },
    settlement_policy: {
      enable_settlement_awareness: c.bool('settlement_policy.enable_settlement_awareness', settlement['enable_settlement_awareness']),
      settlement_horizon_days: c.integer('settlement_policy.settlement_horizon_days', settlement['settlement_horizon_days'], 0, 10),
    },
    constraint_policy: {
      single_position_max_weight: c.decimal('constraint_policy.single_position_max_weight', constraint['single_position_max_weight'], UNIT, true),
      group_constraints: groups,
    },
    workflow_policy: {
      enable_workflow_gates: c.bool('workflow_policy.enable_workflow_gates', workflow['enable_workflow_gates']),
      workflow_requires_client_consent: c.bool('workflow_policy.workflow_requires_client_consent', workflow['workflow_requires_client_consent']),
      client_consent_already_obtained: c.bool('workflow_policy.client_consent_already_obtained', workflow['client_consent_already_obtained']),
    },
    idempotency_policy: { replay_enabled: c.bool('idempotency_policy.replay_enabled', idempotency['replay_enabled']) },
  };
  return c.problems.length === 0 ? { ok: true, value } : { ok: false, problems: c.problems };
}

/** One line per problem, for logs and startup errors. */
export function describeProblems(problems: readonly PolicyPackProblem[]): string {
  return problems.map((p) => `${p.field || '(definition)'}: ${p.message}`).join('; ');
}
