/**
 * Request schemas (query, path and body) of the DPM supportability and workflow routes, with
 * examples. What the routes answer is declared beside the services that build it
 * (src/services/dpm/wire-schemas.ts).
 */
import { Type } from '@sinclair/typebox';
import { Nullable } from '../../../domain/portfolio/schema-kit.ts';
import { REASON_CODE_PATTERN, WORKFLOW_ACTIONS } from '../../../domain/workflow/run-review.ts';
import { EXAMPLE_HASH as HASH, EXAMPLE_RUN_ID as RUN_ID } from '../../../services/dpm/wire-schemas.ts';
import { Cursor as CursorText, Identifier, Instant as InstantText, Text } from '../../schema-kit.ts';


// ── Query and path parameters ──────────────────────────────────────────────────────────────

const Instant = (description: string) => Type.Optional(InstantText(description));
const Limit = Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'Page size, 1..200.' });
const Cursor = Type.Optional(CursorText('next_cursor of the previous page (opaque; an edited cursor is a 400).'));
const Filter = (description: string) => Type.Optional(Identifier({ description }));

export const RunListQuery = Type.Object({
  from: Instant('created_at lower bound.'),
  to: Instant('created_at upper bound.'),
  status: Filter('Run status (READY, PENDING_REVIEW, BLOCKED).'),
  request_hash: Filter('Exact request hash.'),
  portfolio_id: Filter('Exact portfolio id.'),
  limit: Limit,
  cursor: Cursor,
});

export const LineageQuery = Type.Object({
  edge_type: Filter('Only edges of this type (an unknown type gives an empty list).'),
  from: Instant('Edge created_at lower bound.'),
  to: Instant('Edge created_at upper bound.'),
  limit: Limit,
  cursor: Cursor,
});

export const DecisionListQuery = Type.Object({
  rebalance_run_id: Filter('Decisions of this run.'),
  action: Type.Optional(Type.Union(WORKFLOW_ACTIONS.map((a) => Type.Literal(a)))),
  actor_id: Filter('Decisions by this actor.'),
  reason_code: Filter('Decisions with this reason code.'),
  from: Instant('decided_at lower bound.'),
  to: Instant('decided_at upper bound.'),
  limit: Limit,
  cursor: Cursor,
});

const Include = (description: string) => Type.Boolean({ default: true, description });
export const BundleQuery = Type.Object({
  include_artifact: Include('Include the run artifact.'),
  include_async_operation: Include('Include the async operation that recorded the run.'),
  include_idempotency_history: Include('Include the history of the run\'s idempotency key.'),
});

const Id = (example: string) => Identifier({ minLength: 1, examples: [example] });
export const RunIdParams = Type.Object({ rebalance_run_id: Id(RUN_ID) });
export const CorrelationParams = Type.Object({ correlation_id: Id('corr-7f3a') });
export const IdempotencyKeyParams = Type.Object({ idempotency_key: Id('order-2026-02-21-001') });
export const RequestHashParams = Type.Object({ request_hash: Id(HASH) });
export const OperationParams = Type.Object({ operation_id: Id('dop_0a1b2c3d4e5f6a7b8c9d0e1f') });
export const EntityParams = Type.Object({ entity_id: Id(RUN_ID) });

export const WORKFLOW_ACTION_EXAMPLE = { action: 'APPROVE', reason_code: 'REVIEW_APPROVED', comment: 'Within mandate.', actor_id: 'reviewer_01' };

export const WorkflowActionBody = Type.Object(
  {
    action: Type.Union(WORKFLOW_ACTIONS.map((a) => Type.Literal(a))),
    reason_code: Identifier({ pattern: REASON_CODE_PATTERN, description: 'Uppercase snake case, e.g. REVIEW_APPROVED.' }),
    comment: Type.Optional(Nullable(Text())),
    actor_id: Identifier({ description: 'Who decides (may be empty).' }),
  },
  {
    additionalProperties: false,
    title: 'DpmRunWorkflowActionRequest',
    examples: [WORKFLOW_ACTION_EXAMPLE],
  },
);
