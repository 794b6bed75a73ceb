/**
 * The result parts both engines emit (docs/engine.md#request-and-result): money, simulated states,
 * reconciliation, rule results, diagnostics and the gate decision, in the reference's key order.
 * Decimals are JSON strings; counts and days are numbers. `serialize.ts` builds these from the
 * internal (Decimal) model, so the types below are checked against exactly what is emitted.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Nullable, StringEnum } from './schema-kit.ts';

export const DecimalText = (description?: string) =>
  Type.String({ description: description ?? 'Decimal as text (compare numerically).' });
export const MapOf = <T extends TSchema>(value: T) => Type.Record(Type.String(), value);

export const RUN_STATUSES = ['READY', 'PENDING_REVIEW', 'BLOCKED'] as const;

/** A security trade's direction, in requests and results of both engines. */
export const SIDES = ['BUY', 'SELL'] as const;

/** Why an intent exists: a code and a short message. */
export const RationaleSchema = Type.Object({ code: Type.String(), message: Type.String() });

export const MoneyOutSchema = Type.Object({ amount: DecimalText(), currency: Type.String() });

export const CashBalanceOutSchema = Type.Object({
  currency: Type.String(),
  amount: DecimalText(),
  settled: Nullable(DecimalText()),
  pending: Nullable(DecimalText()),
});

export const PositionSummarySchema = Type.Object({
  instrument_id: Type.String(),
  quantity: DecimalText(),
  instrument_currency: Type.String(),
  asset_class: Type.String(),
  price: Nullable(MoneyOutSchema),
  value_in_instrument_ccy: MoneyOutSchema,
  value_in_base_ccy: MoneyOutSchema,
  weight: DecimalText('Weight, exactly 4 decimals (half-even).'),
});

export const AllocationMetricSchema = Type.Object({
  key: Type.String(),
  weight: DecimalText('Weight, exactly 4 decimals (half-even).'),
  value: MoneyOutSchema,
});

export const SimulatedStateSchema = Type.Object({
  total_value: MoneyOutSchema,
  cash_balances: Type.Array(CashBalanceOutSchema),
  positions: Type.Array(PositionSummarySchema),
  allocation_by_asset_class: Type.Array(AllocationMetricSchema),
  allocation_by_instrument: Type.Array(AllocationMetricSchema),
  allocation: Type.Array(AllocationMetricSchema, { description: 'Legacy; same as allocation_by_instrument.' }),
  allocation_by_attribute: MapOf(Type.Array(AllocationMetricSchema)),
});

export const ReconciliationSchema = Type.Object({
  before_total_value: MoneyOutSchema,
  after_total_value: MoneyOutSchema,
  delta: MoneyOutSchema,
  tolerance: MoneyOutSchema,
  status: StringEnum(['OK', 'MISMATCH']),
});

export const RuleResultSchema = Type.Object({
  rule_id: Type.String(),
  severity: StringEnum(['HARD', 'SOFT', 'INFO']),
  status: StringEnum(['PASS', 'FAIL']),
  measured: DecimalText(),
  threshold: MapOf(DecimalText()),
  reason_code: Type.String(),
  remediation_hint: Nullable(Type.String()),
});

export const DiagnosticsSchema = Type.Object({
  warnings: Type.Array(Type.String()),
  suppressed_intents: Type.Array(
    Type.Object({
      instrument_id: Type.String(),
      reason: Type.String(),
      intended_notional: MoneyOutSchema,
      threshold: MoneyOutSchema,
    }),
  ),
  dropped_intents: Type.Array(
    Type.Object({
      instrument_id: Type.String(),
      reason: Type.String(),
      potential_notional: MoneyOutSchema,
      score: DecimalText(),
    }),
  ),
  group_constraint_events: Type.Array(
    Type.Object({
      constraint_key: Type.String(),
      group_weight_before: DecimalText(),
      max_weight: DecimalText(),
      released_weight: DecimalText(),
      recipients: MapOf(DecimalText()),
      status: StringEnum(['CAPPED', 'BLOCKED']),
    }),
  ),
  tax_budget_constraint_events: Type.Array(
    Type.Object({
      instrument_id: Type.String(),
      requested_quantity: DecimalText(),
      allowed_quantity: DecimalText(),
      reason_code: Type.String(),
    }),
  ),
  cash_ladder: Type.Array(
    Type.Object({ date_offset: Type.Integer(), currency: Type.String(), projected_balance: DecimalText() }),
  ),
  cash_ladder_breaches: Type.Array(
    Type.Object({
      date_offset: Type.Integer(),
      currency: Type.String(),
      projected_balance: DecimalText(),
      allowed_floor: DecimalText(),
      reason_code: Type.String(),
    }),
  ),
  missing_fx_pairs: Type.Array(Type.String(), { description: 'Advisory only; always empty in DPM.' }),
  funding_plan: Type.Array(Type.Unknown(), { description: 'Advisory only; always empty in DPM.' }),
  insufficient_cash: Type.Array(Type.Unknown(), { description: 'Advisory only; always empty in DPM.' }),
  data_quality: Type.Object({
    price_missing: Type.Array(Type.String()),
    fx_missing: Type.Array(Type.String()),
    shelf_missing: Type.Array(Type.String()),
  }),
});

export const GateDecisionSchema = Type.Object({
  gate: StringEnum([
    'BLOCKED',
    'RISK_REVIEW_REQUIRED',
    'COMPLIANCE_REVIEW_REQUIRED',
    'CLIENT_CONSENT_REQUIRED',
    'EXECUTION_READY',
    'NONE',
  ]),
  recommended_next_step: StringEnum([
    'FIX_INPUT',
    'RISK_REVIEW',
    'COMPLIANCE_REVIEW',
    'REQUEST_CLIENT_CONSENT',
    'EXECUTE',
    'NONE',
  ]),
  reasons: Type.Array(
    Type.Object({
      reason_code: Type.String(),
      severity: StringEnum(['HIGH', 'MEDIUM', 'LOW']),
      source: StringEnum(['RULE_ENGINE', 'SUITABILITY', 'DATA_QUALITY']),
      details: MapOf(Type.String()),
    }),
  ),
  summary: Type.Object({
    hard_fail_count: Type.Integer(),
    soft_fail_count: Type.Integer(),
    new_high_suitability_count: Type.Integer(),
    new_medium_suitability_count: Type.Integer(),
  }),
});

export type RunStatus = (typeof RUN_STATUSES)[number];
export type MoneyOut = Static<typeof MoneyOutSchema>;
export type RationaleOut = Static<typeof RationaleSchema>;
export type SimulatedStateOut = Static<typeof SimulatedStateSchema>;
export type DiagnosticsOut = Static<typeof DiagnosticsSchema>;
