/**
 * Response bodies (docs/engine.md#request-and-result): RebalanceResult and BatchRebalanceResult, in
 * the reference's key order. Decimals are JSON strings; counts and days are numbers.
 * `serialize/result.ts` builds these from the engine's internal (Decimal) model, so the types below
 * are checked against exactly what is emitted.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Nullable, StringEnum } from './schema-kit.ts';

const DecimalText = (description?: string) =>
  Type.String({ description: description ?? 'Decimal as text (compare numerically).' });
const MapOf = <T extends TSchema>(value: T) => Type.Record(Type.String(), value);

export const RUN_STATUSES = ['READY', 'PENDING_REVIEW', 'BLOCKED'] as const;

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

export const UniverseDataSchema = Type.Object({
  universe_id: Type.String(),
  eligible_for_buy: Type.Array(Type.String()),
  eligible_for_sell: Type.Array(Type.String()),
  excluded: Type.Array(
    Type.Object({ instrument_id: Type.String(), reason_code: Type.String(), details: Type.Null() }),
  ),
  coverage: Type.Object({ price_coverage_pct: DecimalText(), fx_coverage_pct: DecimalText() }),
});

export const TargetInstrumentSchema = Type.Object({
  instrument_id: Type.String(),
  model_weight: DecimalText(),
  final_weight: DecimalText(),
  final_value: MoneyOutSchema,
  tags: Type.Array(Type.String()),
});

export const TargetDataSchema = Type.Object({
  target_id: Type.String(),
  strategy: Type.Object({}),
  targets: Type.Array(TargetInstrumentSchema),
});

const RationaleSchema = Type.Object({ code: Type.String(), message: Type.String() });

export const SecurityTradeIntentSchema = Type.Object({
  intent_type: Type.Literal('SECURITY_TRADE'),
  intent_id: Type.String(),
  instrument_id: Type.String(),
  side: StringEnum(['BUY', 'SELL']),
  quantity: DecimalText(),
  notional: MoneyOutSchema,
  notional_base: MoneyOutSchema,
  dependencies: Type.Array(Type.String()),
  rationale: RationaleSchema,
  constraints_applied: Type.Array(Type.String()),
});

export const FxSpotIntentSchema = Type.Object({
  intent_type: Type.Literal('FX_SPOT'),
  intent_id: Type.String(),
  pair: Type.String(),
  buy_currency: Type.String(),
  buy_amount: DecimalText(),
  sell_currency: Type.String(),
  sell_amount_estimated: DecimalText(),
  dependencies: Type.Array(Type.String()),
  rationale: RationaleSchema,
});

export const IntentSchema = Type.Union([SecurityTradeIntentSchema, FxSpotIntentSchema]);

export const ReconciliationSchema = Type.Object({
  before_total_value: MoneyOutSchema,
  after_total_value: MoneyOutSchema,
  delta: MoneyOutSchema,
  tolerance: MoneyOutSchema,
  status: StringEnum(['OK', 'MISMATCH']),
});

export const TaxImpactSchema = Type.Object({
  total_realized_gain: MoneyOutSchema,
  total_realized_loss: MoneyOutSchema,
  budget_limit: Nullable(MoneyOutSchema),
  budget_used: Nullable(MoneyOutSchema),
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

export const TargetMethodComparisonSchema = Type.Object({
  primary_method: Type.String(),
  primary_status: Type.String(),
  alternate_method: Type.String(),
  alternate_status: Type.String(),
  tolerance: DecimalText(),
  differing_instruments: Type.Array(Type.String()),
  alternate_warnings: Type.Array(Type.String()),
});

export const ExplanationSchema = Type.Object({
  summary: Type.String({ description: 'The status, or "Blocked" on an early block.' }),
  target_method_comparison: Type.Optional(Nullable(TargetMethodComparisonSchema)),
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

export const LineageSchema = Type.Object({
  portfolio_snapshot_id: Type.String(),
  market_data_snapshot_id: Type.String(),
  request_hash: Type.String(),
  idempotency_key: Nullable(Type.String()),
  engine_version: Nullable(Type.String()),
});

export const RebalanceResultSchema = Type.Object({
  rebalance_run_id: Type.String(),
  correlation_id: Type.String(),
  status: StringEnum(RUN_STATUSES),
  before: SimulatedStateSchema,
  universe: UniverseDataSchema,
  target: TargetDataSchema,
  intents: Type.Array(IntentSchema),
  after_simulated: SimulatedStateSchema,
  reconciliation: Nullable(ReconciliationSchema),
  tax_impact: Nullable(TaxImpactSchema),
  rule_results: Type.Array(RuleResultSchema),
  explanation: ExplanationSchema,
  diagnostics: DiagnosticsSchema,
  gate_decision: Nullable(GateDecisionSchema),
  lineage: LineageSchema,
});

export const BatchRebalanceResultSchema = Type.Object({
  batch_run_id: Type.String(),
  run_at_utc: Type.String(),
  base_snapshot_ids: Type.Object({ portfolio_snapshot_id: Type.String(), market_data_snapshot_id: Type.String() }),
  results: MapOf(RebalanceResultSchema),
  comparison_metrics: MapOf(
    Type.Object({
      status: StringEnum(RUN_STATUSES),
      security_intent_count: Type.Integer(),
      gross_turnover_notional_base: MoneyOutSchema,
    }),
  ),
  failed_scenarios: MapOf(Type.String()),
  warnings: Type.Array(Type.String()),
});

export type RunStatus = (typeof RUN_STATUSES)[number];
export type MoneyOut = Static<typeof MoneyOutSchema>;
export type SimulatedStateOut = Static<typeof SimulatedStateSchema>;
export type IntentOut = Static<typeof IntentSchema>;
export type DiagnosticsOut = Static<typeof DiagnosticsSchema>;
export type RebalanceResult = Static<typeof RebalanceResultSchema>;
export type BatchRebalanceResult = Static<typeof BatchRebalanceResultSchema>;
