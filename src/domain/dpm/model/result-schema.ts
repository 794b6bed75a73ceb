/**
 * Response bodies of the DPM engine (docs/engine.md#request-and-result): RebalanceResult and
 * BatchRebalanceResult, in the reference's key order. The parts the advisory engine shares
 * (states, rules, diagnostics, gate decision) are `portfolio/result-schema.ts`.
 * `serialize/result.ts` builds these from the engine's outcome, so the types below are checked
 * against exactly what is emitted.
 */
import { Type, type Static } from '@sinclair/typebox';
import {
  DecimalText,
  DiagnosticsSchema,
  GateDecisionSchema,
  MapOf,
  MoneyOutSchema,
  RationaleSchema,
  ReconciliationSchema,
  RuleResultSchema,
  RUN_STATUSES,
  SIDES,
  SimulatedStateSchema,
} from '../../portfolio/result-schema.ts';
import { Nullable, StringEnum } from '../../portfolio/schema-kit.ts';

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

export const SecurityTradeIntentSchema = Type.Object({
  intent_type: Type.Literal('SECURITY_TRADE'),
  intent_id: Type.String(),
  instrument_id: Type.String(),
  side: StringEnum(SIDES),
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

export const TaxImpactSchema = Type.Object({
  total_realized_gain: MoneyOutSchema,
  total_realized_loss: MoneyOutSchema,
  budget_limit: Nullable(MoneyOutSchema),
  budget_used: Nullable(MoneyOutSchema),
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

export type IntentOut = Static<typeof IntentSchema>;
export type RebalanceResult = Static<typeof RebalanceResultSchema>;
export type BatchRebalanceResult = Static<typeof BatchRebalanceResultSchema>;
