/**
 * Example bodies of the proposal lifecycle API for the OpenAPI page, taken from a real run of
 * `PROPOSAL_REQUEST_EXAMPLE` (keys in the order the API sends them; test/http/openapi.test.ts checks
 * each against its schema, and every real response of the test suites is checked against the same
 * schemas). The engine's ProposalResult and ProposalArtifact are cut to their first keys: their
 * full shapes are documented on POST /rebalance/proposals/simulate and /artifact.
 */

const PROPOSAL_ID = 'pp_7a6f5aeb77afa0b1c2d3e4f5';
const CREATED_AT = '2026-03-02T08:17:30.181Z';
const REQUEST_HASH = 'sha256:18c28309f84d0d4d19ca90541ad0adb20f6f42b44146c528e4e6eda696db36fa';
const ARTIFACT_HASH = 'sha256:efd39c07e9943f45f80cc294763df885b54a0ef5e00da2f820f9ac912daad224';
const SIMULATION_HASH = 'sha256:d3e3fb5d6da286b27d3c9656d9d098c8dce08dc7386b335a7453f322704620f0';

export const SUMMARY_EXAMPLE = {
  proposal_id: PROPOSAL_ID,
  portfolio_id: 'pf_example_001',
  mandate_id: 'mandate_001',
  jurisdiction: 'SG',
  created_by: 'advisor_01',
  created_at: CREATED_AT,
  last_event_at: CREATED_AT,
  current_state: 'DRAFT',
  current_version_no: 1,
  title: 'Q1 top-up',
};

const GATE_DECISION_EXAMPLE = {
  gate: 'RISK_REVIEW_REQUIRED',
  recommended_next_step: 'RISK_REVIEW',
  reasons: [
    { reason_code: 'NEW_MEDIUM_SUITABILITY_ISSUE', severity: 'MEDIUM', source: 'SUITABILITY', details: { issue_id: 'SUIT_DATA_QUALITY', issue_key: 'DQ|MISSING_ISSUER|US_EQ_ETF' } },
  ],
  summary: { hard_fail_count: 0, soft_fail_count: 0, new_high_suitability_count: 0, new_medium_suitability_count: 1 },
};

const HASHES = { request_hash: REQUEST_HASH, artifact_hash: ARTIFACT_HASH };

export const VERSION_EXAMPLE = {
  proposal_version_id: 'ppv_ac78035c6c4da0b1c2d3e4f5',
  proposal_id: PROPOSAL_ID,
  version_no: 1,
  created_at: CREATED_AT,
  request_hash: REQUEST_HASH,
  artifact_hash: ARTIFACT_HASH,
  simulation_hash: SIMULATION_HASH,
  status_at_creation: 'READY',
  proposal_result: { proposal_run_id: 'pr_bfa9b7a5', correlation_id: 'corr_84a198373233a0b1c2d3e4f5', status: 'READY' },
  artifact: { artifact_id: 'pa_bfa9b7a5', proposal_run_id: 'pr_bfa9b7a5', correlation_id: 'corr_84a198373233a0b1c2d3e4f5', created_at: CREATED_AT, status: 'READY', evidence_bundle: { hashes: HASHES } },
  evidence_bundle: { inputs: { portfolio_snapshot: { portfolio_id: 'pf_example_001' } }, engine_outputs: { proposal_result: { status: 'READY' } }, hashes: HASHES, engine_version: '0.1.0' },
  gate_decision: GATE_DECISION_EXAMPLE,
};

export const CREATED_EVENT_EXAMPLE = {
  event_id: 'pwe_ca0418ae6ee9a0b1c2d3e4f5',
  proposal_id: PROPOSAL_ID,
  event_type: 'CREATED',
  from_state: null,
  to_state: 'DRAFT',
  actor_id: 'advisor_01',
  occurred_at: CREATED_AT,
  reason: { correlation_id: 'corr_84a198373233a0b1c2d3e4f5' },
  related_version_no: 1,
};

export const CREATE_RESPONSE_EXAMPLE = { proposal: SUMMARY_EXAMPLE, version: VERSION_EXAMPLE, latest_workflow_event: CREATED_EVENT_EXAMPLE };

export const DETAIL_RESPONSE_EXAMPLE = { proposal: SUMMARY_EXAMPLE, current_version: VERSION_EXAMPLE, last_gate_decision: GATE_DECISION_EXAMPLE };

export const LIST_RESPONSE_EXAMPLE = { items: [SUMMARY_EXAMPLE], next_cursor: null };

const DECIDED_AT = '2026-03-02T09:02:11.226Z';

const RISK_APPROVED_EVENT = {
  event_id: 'pwe_ae0f9226d50ca0b1c2d3e4f5',
  proposal_id: PROPOSAL_ID,
  event_type: 'RISK_APPROVED',
  from_state: 'RISK_REVIEW',
  to_state: 'AWAITING_CLIENT_CONSENT',
  actor_id: 'risk_01',
  occurred_at: DECIDED_AT,
  reason: { comment: 'Within mandate.' },
  related_version_no: 1,
};

export const APPROVAL_EXAMPLE = {
  approval_id: 'pap_5c5bc059778aa0b1c2d3e4f5',
  proposal_id: PROPOSAL_ID,
  approval_type: 'RISK',
  approved: true,
  actor_id: 'risk_01',
  occurred_at: DECIDED_AT,
  details: { comment: 'Within mandate.' },
  related_version_no: 1,
};

export const TRANSITION_RESPONSE_EXAMPLE = {
  proposal_id: PROPOSAL_ID,
  current_state: 'RISK_REVIEW',
  latest_workflow_event: {
    ...CREATED_EVENT_EXAMPLE,
    event_id: 'pwe_4bd8cecba444a0b1c2d3e4f5',
    event_type: 'SUBMITTED_FOR_RISK_REVIEW',
    from_state: 'DRAFT',
    to_state: 'RISK_REVIEW',
    occurred_at: '2026-03-02T08:40:02.221Z',
    reason: {},
  },
  approval: null,
};

export const APPROVAL_RESPONSE_EXAMPLE = { proposal_id: PROPOSAL_ID, current_state: 'AWAITING_CLIENT_CONSENT', latest_workflow_event: RISK_APPROVED_EVENT, approval: APPROVAL_EXAMPLE };

export const TIMELINE_EXAMPLE = { proposal_id: PROPOSAL_ID, current_state: 'AWAITING_CLIENT_CONSENT', events: [CREATED_EVENT_EXAMPLE, RISK_APPROVED_EVENT] };

export const APPROVALS_EXAMPLE = { proposal_id: PROPOSAL_ID, approvals: [APPROVAL_EXAMPLE] };

export const LINEAGE_EXAMPLE = {
  proposal: SUMMARY_EXAMPLE,
  versions: [
    {
      proposal_version_id: 'ppv_ac78035c6c4da0b1c2d3e4f5',
      version_no: 1,
      created_at: CREATED_AT,
      status_at_creation: 'READY',
      request_hash: REQUEST_HASH,
      simulation_hash: SIMULATION_HASH,
      artifact_hash: ARTIFACT_HASH,
    },
  ],
};

export const IDEMPOTENCY_EXAMPLE = { idempotency_key: 'create-pf_example_001-0001', request_hash: REQUEST_HASH, proposal_id: PROPOSAL_ID, proposal_version_no: 1, created_at: CREATED_AT };

const OPERATION_ID = 'pop_06c043df54d2a0b1c2d3e4f5';
const ACCEPTED_AT = '2026-03-02T08:17:30.236Z';

export const ACCEPTED_EXAMPLE = {
  operation_id: OPERATION_ID,
  operation_type: 'CREATE_PROPOSAL',
  status: 'PENDING',
  correlation_id: 'corr_1a2b3c4d5e6f7a8b9c0d1e2f',
  created_at: ACCEPTED_AT,
  status_url: `/rebalance/proposals/operations/${OPERATION_ID}`,
};

export const OPERATION_EXAMPLE = {
  operation_id: OPERATION_ID,
  operation_type: 'CREATE_PROPOSAL',
  status: 'SUCCEEDED',
  correlation_id: 'corr_1a2b3c4d5e6f7a8b9c0d1e2f',
  idempotency_key: 'create-pf_example_001-0002',
  proposal_id: PROPOSAL_ID,
  created_by: 'advisor_01',
  created_at: ACCEPTED_AT,
  started_at: '2026-03-02T08:17:30.241Z',
  finished_at: '2026-03-02T08:17:30.318Z',
  attempts: 1,
  lease_owner: null,
  lease_expires_at: null,
  result: CREATE_RESPONSE_EXAMPLE,
  error: null,
};

export const SUPPORTABILITY_CONFIG_EXAMPLE = {
  store_backend: 'POSTGRES',
  backend_ready: true,
  backend_init_error: null,
  lifecycle_enabled: true,
  support_apis_enabled: true,
  async_operations_enabled: true,
  store_evidence_bundle: true,
  require_expected_state: true,
  allow_portfolio_id_change_on_new_version: false,
  require_proposal_simulation_flag: true,
  async_worker_enabled: true,
};
