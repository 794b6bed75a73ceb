/**
 * Request and response schemas of the proposal lifecycle API (docs/advisory.md#routes). Unknown
 * request fields are refused: a misspelt `expected_state` must not silently skip the concurrency
 * check. The `simulate_request` is validated by the advisory engine's own validator (every problem
 * named).
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { APPROVAL_TYPES, PROPOSAL_EVENT_TYPES, PROPOSAL_STATES } from '../../../domain/workflow/proposal-state-machine.ts';
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
} from '../../../services/proposals/wire-examples.ts';
import { Cursor, Identifier, Instant, Nullable, Text } from '../../schema-kit.ts';
import { LEASE_FIELDS } from '../../../services/operations/lease-schema.ts';

const Id = (description: string) => Identifier({ minLength: 1, description });
const strict = { additionalProperties: false } as const;

const SimulateRequest = Type.Object({}, { additionalProperties: true, description: 'A ProposalSimulateRequest (see docs/advisory.md).' });
const RelatedVersion = Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 999_999_999, description: 'Defaults to the current version.' })));
const ExpectedState = Type.Optional(
  Nullable(Type.Union(PROPOSAL_STATES.map((s) => Type.Literal(s)), { description: 'Compare-and-set: the state the caller saw (required unless PROPOSAL_REQUIRE_EXPECTED_STATE=false).' })),
);

export const CreateProposalBodySchema = Type.Object(
  {
    created_by: Id('Advisor id.'),
    simulate_request: SimulateRequest,
    metadata: Type.Optional(
      Nullable(
        Type.Object(
          {
            title: Type.Optional(Nullable(Text())),
            advisor_notes: Type.Optional(Nullable(Text())),
            jurisdiction: Type.Optional(Nullable(Identifier())),
            mandate_id: Type.Optional(Nullable(Identifier())),
          },
          strict,
        ),
      ),
    ),
  },
  { ...strict, title: 'ProposalCreateRequest' },
);

export const CreateVersionBodySchema = Type.Object({ created_by: Id('Advisor id.'), simulate_request: SimulateRequest }, { ...strict, title: 'ProposalVersionRequest' });

export const TransitionBodySchema = Type.Object(
  {
    event_type: Type.Union(PROPOSAL_EVENT_TYPES.map((e) => Type.Literal(e))),
    actor_id: Id('Who acts.'),
    related_version_no: RelatedVersion,
    reason: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    expected_state: ExpectedState,
  },
  { ...strict, title: 'ProposalStateTransitionRequest' },
);

export const ApprovalBodySchema = Type.Object(
  {
    approval_type: Type.Union(APPROVAL_TYPES.map((t) => Type.Literal(t))),
    approved: Type.Boolean(),
    actor_id: Id('Who decides.'),
    related_version_no: RelatedVersion,
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    expected_state: ExpectedState,
  },
  { ...strict, title: 'ProposalApprovalRequest' },
);

export const ProposalIdParams = Type.Object({ proposal_id: Identifier() });
export const VersionParams = Type.Object({ proposal_id: Identifier(), version_no: Type.String({ pattern: '^[1-9][0-9]{0,8}$', maxLength: 9, description: '≥ 1' }) });

const Bool = Type.Union([Type.Boolean(), Type.Literal('true'), Type.Literal('false')], { default: true });
export const IncludeEvidenceQuery = Type.Object({ include_evidence: Type.Optional(Bool) }, strict);

export const ListQuerySchema = Type.Object(
  {
    portfolio_id: Type.Optional(Identifier()),
    state: Type.Optional(Type.Union(PROPOSAL_STATES.map((s) => Type.Literal(s)))),
    created_by: Type.Optional(Identifier()),
    created_from: Type.Optional(Instant('created_at lower bound.')),
    created_to: Type.Optional(Instant('created_at upper bound.')),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Page size, 1..100.' }),
    cursor: Type.Optional(Cursor('next_cursor of the previous page (opaque; an edited cursor is a 400).')),
  },
  strict,
);

export const trueish = (value: boolean | string | undefined): boolean => value === undefined || value === true || value === 'true';

/*
 * Response schemas (docs/advisory.md#routes), for the OpenAPI document only: the routes send their
 * bodies with JSON.stringify (see `sendVerbatim`), so a schema can neither drop nor reorder a
 * field.
 */
const Str = Type.String();
const NullableStr = Nullable(Type.String());
const Open = (description: string, required: Record<string, TSchema> = {}) => Type.Object(required, { additionalProperties: true, description });
const withExample = <T extends TSchema>(schema: T, example: unknown): T => ({ ...schema, examples: [example] });
const State = Type.Union(PROPOSAL_STATES.map((s) => Type.Literal(s)));

const Summary = Type.Object(
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

const GateDecision = Open('GateDecision (gate, recommended_next_step, reasons, summary).');

const VersionDetail = Type.Object(
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

const WorkflowEvent = Type.Object(
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

const ApprovalRecord = Type.Object(
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

const CreateResponse = Type.Object({ proposal: Summary, version: VersionDetail, latest_workflow_event: WorkflowEvent }, { title: 'ProposalCreateResponse', description: 'The version always includes its evidence.' });
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
