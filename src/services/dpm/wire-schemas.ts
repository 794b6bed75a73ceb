/**
 * What the DPM run services answer (docs/dpm-api.md), as schemas: the services type their results
 * with `Static<typeof …>` of these, and the routes declare them as their responses (with examples,
 * for the OpenAPI document). Payloads that are the engine's own documents (`result`, artifacts,
 * edge metadata) are declared open (`Type.Unknown`) so the serializer passes them through exactly
 * as stored.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { Nullable } from '../../domain/portfolio/schema-kit.ts';
import { WORKFLOW_STATUSES } from '../../domain/workflow/run-review.ts';

export const EXAMPLE_RUN_ID = 'rr_1a2b3c4d5e6f7a8b9c0d1e2f';
export const EXAMPLE_HASH = 'sha256:9f2c0d6b1e7a4c3f8b5d2e1a0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b';
const RUN_ID = EXAMPLE_RUN_ID;
const HASH = EXAMPLE_HASH;
const AT = '2026-02-21T09:30:00.000Z';

const withExample = <T extends TSchema>(schema: T, example: unknown): T => ({ ...schema, examples: [example] });

const LOOKUP_EXAMPLE = {
  rebalance_run_id: RUN_ID,
  correlation_id: 'corr-7f3a',
  request_hash: HASH,
  idempotency_key: 'order-2026-02-21-001',
  portfolio_id: 'pf_001',
  created_at: AT,
  result: { rebalance_run_id: RUN_ID, status: 'READY', '…': 'the RebalanceResult as recorded' },
};

export const RunLookupSchema = withExample(
  Type.Object(
    {
      rebalance_run_id: Type.String(),
      correlation_id: Type.String(),
      request_hash: Type.String(),
      idempotency_key: Nullable(Type.String()),
      portfolio_id: Type.String(),
      created_at: Type.String(),
      result: Type.Unknown({ description: 'The RebalanceResult exactly as recorded.' }),
    },
    { title: 'DpmRunLookupResponse' },
  ),
  LOOKUP_EXAMPLE,
);

const { result: _result, created_at: _created, ...ITEM_BASE } = LOOKUP_EXAMPLE;
export const RunListSchema = withExample(
  Type.Object(
    {
      items: Type.Array(
        Type.Object({
          rebalance_run_id: Type.String(),
          correlation_id: Type.String(),
          request_hash: Type.String(),
          idempotency_key: Nullable(Type.String()),
          portfolio_id: Type.String(),
          status: Type.String(),
          created_at: Type.String(),
        }),
        { description: 'Newest first: created_at desc, rebalance_run_id desc.' },
      ),
      next_cursor: Nullable(Type.String()),
    },
    { title: 'DpmRunListResponse' },
  ),
  { items: [{ ...ITEM_BASE, status: 'READY', created_at: AT }], next_cursor: null },
);

export const ArtifactSchema = withExample(Type.Unknown({ title: 'DpmRunArtifactResponse', description: 'See docs/dpm-api.md#artifacts.' }), {
  artifact_id: 'dra_1a2b3c4d',
  artifact_version: '1.0',
  rebalance_run_id: RUN_ID,
  correlation_id: 'corr-7f3a',
  idempotency_key: 'order-2026-02-21-001',
  portfolio_id: 'pf_001',
  status: 'READY',
  request_snapshot: { portfolio_id: 'pf_001', request_hash: HASH },
  before_summary: {},
  after_summary: {},
  order_intents: [],
  rule_outcomes: [],
  diagnostics: {},
  result: {},
  evidence: { engine_version: '0.1.0+4f1c2a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39', run_created_at: AT, hashes: { request_hash: HASH, artifact_hash: 'sha256:…' } },
});

const EdgeSchema = Type.Object({
  source_entity_id: Type.String(),
  edge_type: Type.String(),
  target_entity_id: Type.String(),
  created_at: Type.String(),
  metadata: Type.Unknown(),
});
const EDGE_EXAMPLE = { source_entity_id: 'corr-7f3a', edge_type: 'CORRELATION_TO_RUN', target_entity_id: RUN_ID, created_at: AT, metadata: {} };

export const LineageSchema = withExample(
  Type.Object({ entity_id: Type.String(), edges: Type.Array(EdgeSchema, { description: 'Oldest first.' }), next_cursor: Nullable(Type.String()) }, { title: 'DpmLineageResponse' }),
  { entity_id: RUN_ID, edges: [EDGE_EXAMPLE], next_cursor: null },
);

const HISTORY_ENTRY = { rebalance_run_id: RUN_ID, correlation_id: 'corr-7f3a', request_hash: HASH, created_at: AT };
export const IdempotencyHistorySchema = withExample(
  Type.Object({
    idempotency_key: Type.String(),
    history: Type.Array(
      Type.Object({ rebalance_run_id: Type.String(), correlation_id: Type.String(), request_hash: Type.String(), created_at: Type.String() }),
      { description: 'Every attempt with the key, oldest first (replays included).' },
    ),
  }, { title: 'DpmRunIdempotencyHistoryResponse' }),
  { idempotency_key: 'order-2026-02-21-001', history: [HISTORY_ENTRY] },
);

const Counts = Type.Record(Type.String(), Type.Integer());
export const SummarySchema = withExample(
  Type.Object({
    store_backend: Type.Union([Type.Literal('IN_MEMORY'), Type.Literal('SQL'), Type.Literal('POSTGRES')]),
    retention_days: Type.Integer(),
    run_count: Type.Integer(),
    operation_count: Type.Integer(),
    operation_status_counts: Counts,
    run_status_counts: Counts,
    workflow_decision_count: Type.Integer(),
    workflow_action_counts: Counts,
    workflow_reason_code_counts: Counts,
    lineage_edge_count: Type.Integer(),
    oldest_run_created_at: Nullable(Type.String()),
    newest_run_created_at: Nullable(Type.String()),
    oldest_operation_created_at: Nullable(Type.String()),
    newest_operation_created_at: Nullable(Type.String()),
  }, { title: 'DpmSupportabilitySummaryResponse' }),
  {
    store_backend: 'POSTGRES',
    retention_days: 0,
    run_count: 1,
    operation_count: 1,
    operation_status_counts: { PENDING: 1 },
    run_status_counts: { READY: 1 },
    workflow_decision_count: 0,
    workflow_action_counts: {},
    workflow_reason_code_counts: {},
    lineage_edge_count: 3,
    oldest_run_created_at: AT,
    newest_run_created_at: AT,
    oldest_operation_created_at: AT,
    newest_operation_created_at: AT,
  },
);

const DECISION_EXAMPLE = {
  decision_id: 'dwd_0a1b2c3d4e5fa0b1c2d3e4f5',
  run_id: RUN_ID,
  action: 'APPROVE',
  reason_code: 'REVIEW_APPROVED',
  comment: 'Within mandate.',
  actor_id: 'reviewer_01',
  decided_at: AT,
  correlation_id: 'corr-review-1',
};
const DecisionSchema = Type.Object({
  decision_id: Type.String(),
  run_id: Type.String(),
  action: Type.String(),
  reason_code: Type.String(),
  comment: Nullable(Type.String()),
  actor_id: Type.String(),
  decided_at: Type.String(),
  correlation_id: Type.String(),
}, { title: 'DpmWorkflowDecision' });

export const WorkflowSchema = withExample(
  Type.Object(
    {
      run_id: Type.String(),
      run_status: Type.String(),
      workflow_status: Type.Union(WORKFLOW_STATUSES.map((s) => Type.Literal(s))),
      requires_review: Type.Boolean(),
      latest_decision: Nullable(DecisionSchema),
    },
    { title: 'DpmRunWorkflowResponse' },
  ),
  { run_id: RUN_ID, run_status: 'PENDING_REVIEW', workflow_status: 'APPROVED', requires_review: true, latest_decision: DECISION_EXAMPLE },
);

export const WorkflowHistorySchema = withExample(
  Type.Object({ run_id: Type.String(), decisions: Type.Array(DecisionSchema, { description: 'In the order they were recorded.' }) }, { title: 'DpmRunWorkflowHistoryResponse' }),
  { run_id: RUN_ID, decisions: [DECISION_EXAMPLE] },
);

export const DecisionListSchema = withExample(
  Type.Object({ items: Type.Array(DecisionSchema, { description: 'Newest first: decided_at desc, decision_id desc.' }), next_cursor: Nullable(Type.String()) }, { title: 'DpmWorkflowDecisionListResponse' }),
  { items: [DECISION_EXAMPLE], next_cursor: null },
);

const OperationStatusSchema = Type.Object({
  operation_id: Type.String(),
  operation_type: Type.String(),
  status: Type.String(),
  is_executable: Type.Boolean(),
  correlation_id: Type.String(),
  created_at: Type.String(),
  started_at: Nullable(Type.String()),
  finished_at: Nullable(Type.String()),
  result: Type.Unknown(),
  error: Type.Unknown(),
});

export const SupportBundleSchema = withExample(
  Type.Object(
    {
      run: RunLookupSchema,
      artifact: Type.Unknown({ description: 'The artifact, or null with include_artifact=false.' }),
      async_operation: Nullable(OperationStatusSchema),
      workflow_history: WorkflowHistorySchema,
      lineage: LineageSchema,
      idempotency_history: Nullable(IdempotencyHistorySchema),
    },
    { title: 'DpmRunSupportBundleResponse' },
  ),
  {
    run: LOOKUP_EXAMPLE,
    artifact: null,
    async_operation: null,
    workflow_history: { run_id: RUN_ID, decisions: [] },
    lineage: { entity_id: RUN_ID, edges: [EDGE_EXAMPLE], next_cursor: null },
    idempotency_history: { idempotency_key: 'order-2026-02-21-001', history: [HISTORY_ENTRY] },
  },
);

export const IdempotencyMappingSchema = withExample(
  Type.Object(
    { idempotency_key: Type.String(), request_hash: Type.String(), rebalance_run_id: Type.String(), created_at: Type.String() },
    { title: 'DpmRunIdempotencyLookupResponse', description: 'The current mapping of the key (the last run recorded with it).' },
  ),
  { idempotency_key: 'order-2026-02-21-001', request_hash: HASH, rebalance_run_id: RUN_ID, created_at: AT },
);
