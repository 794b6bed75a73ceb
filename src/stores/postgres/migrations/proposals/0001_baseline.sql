-- Advisory proposal store (spec §8.2 table names). Unlike the reference: real types, foreign keys
-- to the proposal, the state and event vocabularies checked, uniqueness where the contract
-- implies it, and an index for every list filter. Versions, workflow events and approvals are
-- append-only: triggers refuse UPDATE and DELETE on them.

CREATE DOMAIN proposal_state AS text CHECK (VALUE IN (
  'DRAFT', 'RISK_REVIEW', 'COMPLIANCE_REVIEW', 'AWAITING_CLIENT_CONSENT', 'EXECUTION_READY',
  'EXECUTED', 'REJECTED', 'CANCELLED', 'EXPIRED'));

CREATE TABLE proposal_records (
  proposal_id text PRIMARY KEY,
  portfolio_id text NOT NULL,
  mandate_id text,
  jurisdiction text,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL,
  last_event_at timestamptz NOT NULL,
  current_state proposal_state NOT NULL,
  current_version_no integer NOT NULL CHECK (current_version_no >= 1),
  title text,
  advisor_notes text,
  -- Optimistic concurrency: every change bumps it, every guarded write compares it.
  row_version integer NOT NULL DEFAULT 1
);
-- Lists are ordered created_at DESC, proposal_id DESC; each filter has its own range index.
CREATE INDEX proposal_records_created_idx ON proposal_records (created_at DESC, proposal_id DESC);
CREATE INDEX proposal_records_portfolio_idx ON proposal_records (portfolio_id, created_at DESC, proposal_id DESC);
CREATE INDEX proposal_records_state_idx ON proposal_records (current_state, created_at DESC, proposal_id DESC);
CREATE INDEX proposal_records_creator_idx ON proposal_records (created_by, created_at DESC, proposal_id DESC);

CREATE TABLE proposal_versions (
  proposal_version_id text NOT NULL UNIQUE,
  proposal_id text NOT NULL REFERENCES proposal_records (proposal_id),
  version_no integer NOT NULL CHECK (version_no >= 1),
  created_at timestamptz NOT NULL,
  request_hash text NOT NULL,
  artifact_hash text NOT NULL,
  simulation_hash text NOT NULL,
  status_at_creation text NOT NULL,
  proposal_result_json jsonb NOT NULL,
  artifact_json jsonb NOT NULL,
  evidence_bundle_json jsonb NOT NULL,
  gate_decision_json jsonb,
  PRIMARY KEY (proposal_id, version_no)
);

CREATE TABLE proposal_workflow_events (
  event_id text PRIMARY KEY,
  proposal_id text NOT NULL REFERENCES proposal_records (proposal_id),
  event_type text NOT NULL CHECK (event_type IN (
    'CREATED', 'NEW_VERSION_CREATED', 'SUBMITTED_FOR_RISK_REVIEW', 'RISK_APPROVED',
    'SUBMITTED_FOR_COMPLIANCE_REVIEW', 'COMPLIANCE_APPROVED', 'CLIENT_CONSENT_RECORDED',
    'EXECUTION_REQUESTED', 'EXECUTED', 'REJECTED', 'EXPIRED', 'CANCELLED')),
  from_state proposal_state,
  to_state proposal_state NOT NULL,
  actor_id text NOT NULL,
  occurred_at timestamptz NOT NULL,
  reason_json jsonb NOT NULL,
  related_version_no integer,
  -- Position in the proposal's history, assigned inside the writing transaction, which holds
  -- the proposal row: events are read back exactly in the order they were written.
  sequence_no integer NOT NULL,
  UNIQUE (proposal_id, sequence_no)
);

CREATE TABLE proposal_approvals (
  approval_id text PRIMARY KEY,
  proposal_id text NOT NULL REFERENCES proposal_records (proposal_id),
  approval_type text NOT NULL CHECK (approval_type IN ('RISK', 'COMPLIANCE', 'CLIENT_CONSENT')),
  approved boolean NOT NULL,
  actor_id text NOT NULL,
  occurred_at timestamptz NOT NULL,
  details_json jsonb NOT NULL,
  related_version_no integer,
  sequence_no integer NOT NULL,
  UNIQUE (proposal_id, sequence_no)
);

-- One row per key, claimed with INSERT … ON CONFLICT DO NOTHING in the transaction that writes
-- what it points at (hence the deferred foreign key); kept as long as the proposal.
CREATE TABLE proposal_idempotency (
  idempotency_key text PRIMARY KEY,
  request_hash text NOT NULL,
  proposal_id text NOT NULL REFERENCES proposal_records (proposal_id) DEFERRABLE INITIALLY DEFERRED,
  proposal_version_no integer NOT NULL,
  created_at timestamptz NOT NULL
);

-- Correlation ids are not unique (the reference's UNIQUE made a reused one a 500): the latest wins.
CREATE TABLE proposal_async_operations (
  operation_id text PRIMARY KEY,
  operation_type text NOT NULL CHECK (operation_type IN ('CREATE_PROPOSAL', 'CREATE_PROPOSAL_VERSION')),
  status text NOT NULL CHECK (status IN ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED')),
  correlation_id text NOT NULL,
  idempotency_key text,
  proposal_id text,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL,
  started_at timestamptz,
  finished_at timestamptz,
  result_json jsonb,
  error_json jsonb,
  request_json jsonb,
  lease_owner text,
  lease_expires_at timestamptz
);
CREATE INDEX proposal_async_operations_correlation_idx ON proposal_async_operations (correlation_id, created_at DESC, operation_id DESC);
CREATE INDEX proposal_async_operations_status_idx ON proposal_async_operations (status, created_at, operation_id);

CREATE FUNCTION proposal_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'PROPOSAL_RECORD_IMMUTABLE: % rows are append-only', TG_TABLE_NAME USING ERRCODE = 'check_violation';
END;
$$;
CREATE TRIGGER proposal_versions_append_only BEFORE UPDATE OR DELETE ON proposal_versions FOR EACH ROW EXECUTE FUNCTION proposal_reject_change();
CREATE TRIGGER proposal_workflow_events_append_only BEFORE UPDATE OR DELETE ON proposal_workflow_events FOR EACH ROW EXECUTE FUNCTION proposal_reject_change();
CREATE TRIGGER proposal_approvals_append_only BEFORE UPDATE OR DELETE ON proposal_approvals FOR EACH ROW EXECUTE FUNCTION proposal_reject_change();
-- A TRUNCATE would bypass the row triggers.
CREATE TRIGGER proposal_versions_no_truncate BEFORE TRUNCATE ON proposal_versions FOR EACH STATEMENT EXECUTE FUNCTION proposal_reject_change();
CREATE TRIGGER proposal_workflow_events_no_truncate BEFORE TRUNCATE ON proposal_workflow_events FOR EACH STATEMENT EXECUTE FUNCTION proposal_reject_change();
CREATE TRIGGER proposal_approvals_no_truncate BEFORE TRUNCATE ON proposal_approvals FOR EACH STATEMENT EXECUTE FUNCTION proposal_reject_change();
