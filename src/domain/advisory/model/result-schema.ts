/**
 * Response bodies of the advisory engine (docs/advisory.md#engine): ProposalResult and
 * ProposalArtifact, keys in the reference's order. Decimals are JSON strings. The shared parts
 * (SimulatedState, rule results, diagnostics, gate decision) are `portfolio/result-schema.ts`.
 */
import { Type, type Static } from '@sinclair/typebox';
import {
  DecimalText,
  DiagnosticsSchema,
  GateDecisionSchema,
  MoneyOutSchema,
  RationaleSchema,
  ReconciliationSchema,
  RuleResultSchema,
  RUN_STATUSES,
  SIDES,
  SimulatedStateSchema,
} from '../../portfolio/result-schema.ts';
import { Nullable, StringEnum } from '../../portfolio/schema-kit.ts';

const StringMap = Type.Record(Type.String(), Type.String());

export const CashFlowIntentSchema = Type.Object({
  intent_type: Type.Literal('CASH_FLOW'),
  intent_id: Type.String({ description: '"oi_cf_<i>", i = 1-based index in proposed_cash_flows.' }),
  currency: Type.String(),
  amount: DecimalText(),
  description: Nullable(Type.String()),
});

export const ProposalTradeIntentSchema = Type.Object({
  intent_type: Type.Literal('SECURITY_TRADE'),
  intent_id: Type.String({ description: '"oi_<i>", i = 1-based index in proposed_trades (gaps where skipped).' }),
  instrument_id: Type.String(),
  side: StringEnum(SIDES),
  quantity: DecimalText(),
  notional: MoneyOutSchema,
  notional_base: Nullable(MoneyOutSchema),
  dependencies: Type.Array(Type.String()),
  rationale: RationaleSchema,
  constraints_applied: Type.Array(Type.String()),
});

export const ProposalFxIntentSchema = Type.Object({
  intent_type: Type.Literal('FX_SPOT'),
  intent_id: Type.String({ description: '"oi_fx_<n>"' }),
  pair: Type.String({ description: '"<TARGET>/<FUNDING>"' }),
  buy_currency: Type.String(),
  buy_amount: DecimalText('In minor units of the bought currency.'),
  sell_currency: Type.String(),
  sell_amount_estimated: DecimalText('In minor units of the sold currency.'),
  dependencies: Type.Array(Type.String()),
  rationale: RationaleSchema,
});

export const ProposalIntentSchema = Type.Union([CashFlowIntentSchema, ProposalTradeIntentSchema, ProposalFxIntentSchema]);

export const FundingPlanRowSchema = Type.Object({
  target_currency: Type.String(),
  required: DecimalText(),
  available_before_fx: DecimalText(),
  fx_needed: DecimalText(),
  fx_pair: Nullable(Type.String()),
  funding_currency: Nullable(Type.String()),
});

export const InsufficientCashSchema = Type.Object({ currency: Type.String(), deficit: DecimalText() });

export const ProposalDiagnosticsSchema = Type.Composite([
  Type.Omit(DiagnosticsSchema, ['missing_fx_pairs', 'funding_plan', 'insufficient_cash', 'data_quality']),
  Type.Object({
    missing_fx_pairs: Type.Array(Type.String()),
    funding_plan: Type.Array(FundingPlanRowSchema),
    insufficient_cash: Type.Array(InsufficientCashSchema),
    data_quality: Type.Object({
      price_missing: Type.Array(Type.String()),
      fx_missing: Type.Array(Type.String()),
      shelf_missing: Type.Array(Type.String()),
    }),
  }),
]);

export const DriftBucketSchema = Type.Object({
  bucket: Type.String(),
  model_weight: DecimalText(),
  portfolio_weight_before: DecimalText(),
  portfolio_weight_after: DecimalText(),
  drift_before: DecimalText(),
  drift_after: DecimalText(),
  abs_drift_before: DecimalText(),
  abs_drift_after: DecimalText(),
  improvement: DecimalText(),
});

export const DriftDimensionSchema = Type.Object({
  drift_total_before: DecimalText(),
  drift_total_after: DecimalText(),
  drift_total_delta: DecimalText(),
  top_contributors_before: Type.Array(DriftBucketSchema),
  buckets: Type.Array(DriftBucketSchema),
});

export const DriftAnalysisSchema = Type.Object({
  reference_model: Type.Object({ model_id: Type.String(), as_of: Type.String(), base_currency: Type.String() }),
  asset_class: DriftDimensionSchema,
  instrument: Nullable(DriftDimensionSchema),
  highlights: Type.Object({
    largest_improvements: Type.Array(Type.Object({ bucket: Type.String(), improvement: DecimalText() })),
    largest_deteriorations: Type.Array(Type.Object({ bucket: Type.String(), improvement: DecimalText() })),
    unmodeled_exposures: Type.Array(
      Type.Object({
        bucket: Type.String(),
        portfolio_weight_before: DecimalText(),
        portfolio_weight_after: DecimalText(),
        max_portfolio_weight: DecimalText(),
      }),
    ),
  }),
});

export const SEVERITIES = ['HIGH', 'MEDIUM', 'LOW'] as const;
export const STATUS_CHANGES = ['NEW', 'PERSISTENT', 'RESOLVED'] as const;

export const SuitabilityIssueSchema = Type.Object({
  issue_id: Type.String(),
  issue_key: Type.String(),
  dimension: StringEnum(['CONCENTRATION', 'ISSUER', 'LIQUIDITY', 'GOVERNANCE', 'CASH', 'DATA_QUALITY']),
  severity: StringEnum(SEVERITIES),
  status_change: StringEnum(STATUS_CHANGES),
  summary: Type.String(),
  details: StringMap,
  evidence: Type.Object({
    as_of: Type.String(),
    snapshot_ids: Type.Object({ portfolio_snapshot_id: Type.String(), market_data_snapshot_id: Type.String() }),
  }),
});

export const SuitabilityResultSchema = Type.Object({
  summary: Type.Object({
    new_count: Type.Integer(),
    resolved_count: Type.Integer(),
    persistent_count: Type.Integer(),
    highest_severity_new: Nullable(StringEnum(SEVERITIES)),
  }),
  issues: Type.Array(SuitabilityIssueSchema),
  recommended_gate: StringEnum(['COMPLIANCE_REVIEW', 'RISK_REVIEW', 'NONE']),
});

export const ProposalLineageSchema = Type.Object({
  portfolio_snapshot_id: Type.String(),
  market_data_snapshot_id: Type.String(),
  request_hash: Type.String(),
  idempotency_key: Nullable(Type.String()),
  engine_version: Type.String(),
});

export const ProposalResultSchema = Type.Object({
  proposal_run_id: Type.String(),
  correlation_id: Type.String(),
  status: StringEnum(RUN_STATUSES),
  before: SimulatedStateSchema,
  intents: Type.Array(ProposalIntentSchema),
  after_simulated: SimulatedStateSchema,
  reconciliation: ReconciliationSchema,
  rule_results: Type.Array(RuleResultSchema),
  explanation: Type.Object({ summary: Type.String() }),
  diagnostics: ProposalDiagnosticsSchema,
  drift_analysis: Nullable(DriftAnalysisSchema),
  suitability: Nullable(SuitabilityResultSchema),
  gate_decision: Nullable(GateDecisionSchema),
  lineage: ProposalLineageSchema,
});

// ── Artifact (docs/advisory.md#artifact) ─────────────────────────────────────────────────

const ImpactSideSchema = Type.Object({
  total_value: MoneyOutSchema,
  allocation_by_asset_class: Type.Array(Type.Object({ key: Type.String(), weight: DecimalText(), value: MoneyOutSchema })),
  allocation_by_instrument: Type.Array(Type.Object({ key: Type.String(), weight: DecimalText(), value: MoneyOutSchema })),
});

const NotModelledSchema = Type.Object({ included: Type.Boolean(), notes: Type.String() });

export const NEXT_STEPS = ['CLIENT_CONSENT', 'RISK_REVIEW', 'COMPLIANCE_REVIEW', 'EXECUTION_READY', 'NONE'] as const;

export const ProposalArtifactSchema = Type.Object({
  artifact_id: Type.String({ description: 'proposal_run_id with "pr_" replaced by "pa_".' }),
  proposal_run_id: Type.String(),
  correlation_id: Type.String(),
  created_at: Type.String(),
  status: StringEnum(RUN_STATUSES),
  gate_decision: GateDecisionSchema,
  summary: Type.Object({
    title: Type.String(),
    objective_tags: Type.Array(Type.String()),
    advisor_notes: Type.Array(Type.String()),
    recommended_next_step: StringEnum(NEXT_STEPS),
    key_takeaways: Type.Array(Type.Object({ code: Type.String(), value: Type.String() })),
  }),
  portfolio_impact: Type.Object({
    before: ImpactSideSchema,
    after: ImpactSideSchema,
    delta: Type.Object({
      total_value_delta: MoneyOutSchema,
      largest_weight_changes: Type.Array(
        Type.Object({
          bucket_type: Type.Literal('INSTRUMENT'),
          bucket_id: Type.String(),
          weight_before: DecimalText(),
          weight_after: DecimalText(),
          delta: DecimalText(),
        }),
      ),
    }),
    reconciliation: ReconciliationSchema,
  }),
  trades_and_funding: Type.Object({
    trade_list: Type.Array(
      Type.Object({
        intent_id: Type.String(),
        type: Type.Literal('SECURITY_TRADE'),
        instrument_id: Type.String(),
        side: StringEnum(['BUY', 'SELL']),
        quantity: DecimalText(),
        estimated_notional: MoneyOutSchema,
        estimated_notional_base: Nullable(MoneyOutSchema),
        dependencies: Type.Array(Type.String()),
        rationale: RationaleSchema,
      }),
    ),
    fx_list: Type.Array(
      Type.Object({
        intent_id: Type.String(),
        pair: Type.String(),
        buy_amount: DecimalText(),
        sell_amount_estimated: DecimalText(),
        rate: Nullable(DecimalText()),
      }),
    ),
    ordering_policy: Type.String(),
    execution_notes: Type.Array(Type.Object({ code: Type.String(), text: Type.String() })),
  }),
  suitability_summary: Type.Object({
    status: StringEnum(['AVAILABLE', 'NOT_AVAILABLE']),
    new_issues: Type.Integer(),
    resolved_issues: Type.Integer(),
    persistent_issues: Type.Integer(),
    highest_severity_new: Nullable(StringEnum(SEVERITIES)),
    highlights: Type.Array(Type.Object({ code: Type.String(), text: Type.String() })),
    issues: Type.Array(SuitabilityIssueSchema),
  }),
  assumptions_and_limits: Type.Object({
    pricing: Type.Object({ market_data_snapshot_id: Type.String(), prices_as_of: Type.String(), fx_as_of: Type.String() }),
    costs_and_fees: NotModelledSchema,
    tax: NotModelledSchema,
    execution: NotModelledSchema,
    valuation_mode: Type.String(),
  }),
  disclosures: Type.Object({
    risk_disclaimer: Type.String(),
    product_docs: Type.Array(Type.Object({ instrument_id: Type.String(), doc_ref: Type.String() })),
  }),
  evidence_bundle: Type.Object({
    inputs: Type.Record(Type.String(), Type.Unknown(), { description: 'The validated request, defaults filled in.' }),
    engine_outputs: Type.Object({ proposal_result: ProposalResultSchema }),
    hashes: Type.Object({ request_hash: Type.String(), artifact_hash: Type.String() }),
    engine_version: Type.String(),
  }),
});

export type ProposalIntentOut = Static<typeof ProposalIntentSchema>;
export type DriftBucketOut = Static<typeof DriftBucketSchema>;
export type DriftDimensionOut = Static<typeof DriftDimensionSchema>;
export type DriftAnalysis = Static<typeof DriftAnalysisSchema>;
export type SuitabilityIssueOut = Static<typeof SuitabilityIssueSchema>;
export type SuitabilityResult = Static<typeof SuitabilityResultSchema>;
export type ProposalResult = Static<typeof ProposalResultSchema>;
export type ProposalArtifact = Static<typeof ProposalArtifactSchema>;
