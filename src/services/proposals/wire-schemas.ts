/**
 * What the proposal services answer (docs/advisory.md#routes), as schemas: the services type their
 * results with `Static<typeof …>` of these, and the routes declare them as their responses (with
 * examples, for the OpenAPI document). The routes send their bodies with JSON.stringify (see
 * `sendVerbatim`), so a schema can neither drop nor reorder a field.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { Nullable } from '../../domain/portfolio/schema-kit.ts';
import { APPROVAL_TYPES, PROPOSAL_EVENT_TYPES, PROPOSAL_STATES } from '../../domain/workflow/proposal-state-machine.ts';
import { LEASE_FIELDS } from '../operations/lease-schema.ts';
import {
  ACCEPTED_EXAMPLE,
  APPROVAL_RESPONSE_EXAMPLE,
  APPROVALS_EXAMPLE,
  CREATE_RESPONSE_EXAMPLE,
  DETAIL_RESPONSE_EXAMPLE,
  IDEMPOTENCY_EXAMPLE,
  LINEAGE_EXAMPLE,
  LIST_RESPONSE_EXAMPLE,
  OPERATION_EXAMPLE,
  SUPPORTABILITY_CONFIG_EXAMPLE,
  TIMELINE_EXAMPLE,
  TRANSITION_RESPONSE_EXAMPLE,
  VERSION_EXAMPLE,
} from './wire-examples.ts';

const Str = Type.String();
const NullableStr = Nullable(Type.String());
const Open = (description: string, required: Record<string, TSchema> = {}) => Type.Object(required, { additionalProperties: true, description });
const withExample = <T extends TSchema>(schema: T, example: unknown): T => ({ ...schema, examples: [example] });
const State = Type.Union(PROPOSAL_STATES.map((s) => Type.Literal(s)));

export const Summary = Type.Object(
  {
    proposal_id: Str,
    portfolio_id: Str,
    mandate_id: NullableStr,
    jurisdiction: NullableStr,
    created_by: Str,
    created_at: Str,
    last_event_at: Str,
    current_state: State,
    current_version_no: Type.Integer(),
    title: NullableStr,
  },
  { title: 'ProposalSummary', description: 'advisor_notes are stored but never returned.' },
);

export const GateDecision = Open('GateDecision (gate, recommended_next_step, reasons, summary).');

export const VersionDetail = Type.Object(
  {
    proposal_version_id: Str,
    proposal_id: Str,
    version_no: Type.Integer(),
    created_at: Str,
    request_hash: Str,
    artifact_hash: Str,
    simulation_hash: Str,
    status_at_creation: Str,
    proposal_result: Open('The ProposalResult of this version (shape: POST /rebalance/proposals/simulate).', { proposal_run_id: Str, status: Str }),
    artifact: Open('The ProposalArtifact (shape: POST /rebalance/proposals/artifact); with evidence hidden or not stored its evidence_bundle keeps only `hashes`.'),
    evidence_bundle: Open('The sealed evidence bundle; {} when hidden (include_evidence=false) or not stored.'),
    gate_decision: Nullable(GateDecision),
  },
  { title: 'ProposalVersionDetail' },
);

export const WorkflowEvent = Type.Object(
  {
    event_id: Str,
    proposal_id: Str,
    event_type: Type.Union(PROPOSAL_EVENT_TYPES.map((e) => Type.Literal(e))),
    from_state: Nullable(State),
    to_state: State,
    actor_id: Str,
    occurred_at: Str,
    reason: Open('The caller\'s reason (or approval details); {correlation_id} for CREATED and NEW_VERSION_CREATED.'),
    related_version_no: Nullable(Type.Integer()),
  },
  { title: 'ProposalWorkflowEvent' },
);

export const ApprovalRecord = Type.Object(
  {
    approval_id: Str,
    proposal_id: Str,
    approval_type: Type.Union(APPROVAL_TYPES.map((t) => Type.Literal(t))),
    approved: Type.Boolean(),
    actor_id: Str,
    occurred_at: Str,
    details: Open('The caller\'s details.'),
    related_version_no: Nullable(Type.Integer()),
  },
  { title: 'ProposalApprovalRecord' },
);

export const CreateResponse = Type.Object({ proposal: Summary, version: VersionDetail, latest_workflow_event: WorkflowEvent }, { title: 'ProposalCreateResponse', description: 'The version always includes its evidence.' });
export const CreateResponseSchema = withExample(CreateResponse, CREATE_RESPONSE_EXAMPLE);

export const DetailResponseSchema = withExample(
  Type.Object({ proposal: Summary, current_version: VersionDetail, last_gate_decision: Nullable(GateDecision) }, { title: 'ProposalDetailResponse' }),
  DETAIL_RESPONSE_EXAMPLE,
);

export const VersionDetailSchema = withExample(VersionDetail, VERSION_EXAMPLE);

export const ListResponseSchema = withExample(
  Type.Object(
    { items: Type.Array(Summary), next_cursor: Nullable(Type.String({ description: 'Opaque; pass as `cursor` for the next page. Null on the last page.' })) },
    { title: 'ProposalListResponse', description: 'Newest first.' },
  ),
  LIST_RESPONSE_EXAMPLE,
);

const TransitionResponse = (example: unknown) =>
  withExample(
    Type.Object(
      { proposal_id: Str, current_state: State, latest_workflow_event: WorkflowEvent, approval: Nullable(ApprovalRecord) },
      { title: 'ProposalStateTransitionResponse' },
    ),
    example,
  );
export const TransitionResponseSchema = TransitionResponse(TRANSITION_RESPONSE_EXAMPLE);
export const ApprovalResponseSchema = TransitionResponse(APPROVAL_RESPONSE_EXAMPLE);

export const TimelineResponseSchema = withExample(
  Type.Object({ proposal_id: Str, current_state: State, events: Type.Array(WorkflowEvent) }, { title: 'ProposalWorkflowTimelineResponse', description: 'In the order the events happened.' }),
  TIMELINE_EXAMPLE,
);

export const ApprovalsResponseSchema = withExample(
  Type.Object({ proposal_id: Str, approvals: Type.Array(ApprovalRecord) }, { title: 'ProposalApprovalsResponse', description: 'In the order the decisions were given.' }),
  APPROVALS_EXAMPLE,
);

export const LineageResponseSchema = withExample(
  Type.Object(
    {
      proposal: Summary,
      versions: Type.Array(
        Type.Object({
          proposal_version_id: Str,
          version_no: Type.Integer(),
          created_at: Str,
          status_at_creation: Str,
          request_hash: Str,
          simulation_hash: Str,
          artifact_hash: Str,
        }),
      ),
    },
    { title: 'ProposalLineageResponse', description: 'Versions 1..current.' },
  ),
  LINEAGE_EXAMPLE,
);

export const IdempotencyLookupSchema = withExample(
  Type.Object(
    { idempotency_key: Str, request_hash: Str, proposal_id: Str, proposal_version_no: Type.Integer(), created_at: Str },
    { title: 'ProposalIdempotencyLookupResponse' },
  ),
  IDEMPOTENCY_EXAMPLE,
);

const OperationType = Type.Union([Type.Literal('CREATE_PROPOSAL'), Type.Literal('CREATE_PROPOSAL_VERSION')]);
const OperationState = Type.Union(['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED'].map((s) => Type.Literal(s)));

export const AcceptedResponseSchema = withExample(
  Type.Object(
    { operation_id: Str, operation_type: OperationType, status: OperationState, correlation_id: Str, created_at: Str, status_url: Type.String({ description: 'Poll this for the outcome.' }) },
    { title: 'ProposalAsyncAcceptedResponse' },
  ),
  ACCEPTED_EXAMPLE,
);

export const OperationStatusSchema = withExample(
  Type.Object(
    {
      operation_id: Str,
      operation_type: OperationType,
      status: OperationState,
      correlation_id: Str,
      idempotency_key: NullableStr,
      proposal_id: NullableStr,
      created_by: Str,
      created_at: Str,
      started_at: NullableStr,
      finished_at: NullableStr,
      ...LEASE_FIELDS,
      result: Nullable(CreateResponse),
      error: Nullable(Type.Object({ code: Str, message: Str }, { description: 'Why the operation FAILED.' })),
    },
    { title: 'ProposalAsyncOperationStatusResponse' },
  ),
  OPERATION_EXAMPLE,
);

export const SupportabilityConfigSchema = withExample(
  Type.Object(
    {
      store_backend: Type.Union([Type.Literal('IN_MEMORY'), Type.Literal('SQLITE'), Type.Literal('POSTGRES')]),
      backend_ready: Type.Boolean(),
      backend_init_error: Nullable(Type.String({ description: 'The readiness probe\'s code when the store is not ready.' })),
      lifecycle_enabled: Type.Boolean(),
      support_apis_enabled: Type.Boolean(),
      async_operations_enabled: Type.Boolean(),
      store_evidence_bundle: Type.Boolean(),
      require_expected_state: Type.Boolean(),
      allow_portfolio_id_change_on_new_version: Type.Boolean(),
      require_proposal_simulation_flag: Type.Boolean(),
      async_worker_enabled: Type.Boolean(),
    },
    { title: 'ProposalSupportabilityConfigResponse', description: 'The switches this process runs with.' },
  ),
  SUPPORTABILITY_CONFIG_EXAMPLE,
);
