-- Advisory proposal store, SQLite twin of the PostgreSQL baseline: same tables, keys, checks,
-- indexes and append-only triggers. Timestamps are toISOString() text (so text order is time
-- order), JSON is text, booleans are 0/1; SQLite has no domains, so the state list is repeated.

CREATE TABLE proposal_records (
  proposal_id TEXT PRIMARY KEY,
  portfolio_id TEXT NOT NULL,
  mandate_id TEXT,
  jurisdiction TEXT,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_event_at TEXT NOT NULL,
  current_state TEXT NOT NULL CHECK (current_state IN ('DRAFT', 'RISK_REVIEW', 'COMPLIANCE_REVIEW', 'AWAITING_CLIENT_CONSENT', 'EXECUTION_READY', 'EXECUTED', 'REJECTED', 'CANCELLED', 'EXPIRED')),
  current_version_no INTEGER NOT NULL CHECK (current_version_no >= 1),
  title TEXT,
  advisor_notes TEXT,
  -- Optimistic concurrency: every change bumps it, every guarded write compares it.
  row_version INTEGER NOT NULL DEFAULT 1
);
-- Lists are ordered created_at DESC, proposal_id DESC; each filter has its own range index.
CREATE INDEX proposal_records_created_idx ON proposal_records (created_at DESC, proposal_id DESC);
CREATE INDEX proposal_records_portfolio_idx ON proposal_records (portfolio_id, created_at DESC, proposal_id DESC);
CREATE INDEX proposal_records_state_idx ON proposal_records (current_state, created_at DESC, proposal_id DESC);
CREATE INDEX proposal_records_creator_idx ON proposal_records (created_by, created_at DESC, proposal_id DESC);

CREATE TABLE proposal_versions (
  proposal_version_id TEXT NOT NULL UNIQUE,
  proposal_id TEXT NOT NULL REFERENCES proposal_records (proposal_id),
  version_no INTEGER NOT NULL CHECK (version_no >= 1),
  created_at TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  artifact_hash TEXT NOT NULL,
  simulation_hash TEXT NOT NULL,
  status_at_creation TEXT NOT NULL,
  proposal_result_json TEXT NOT NULL,
  artifact_json TEXT NOT NULL,
  evidence_bundle_json TEXT NOT NULL,
  gate_decision_json TEXT,
  PRIMARY KEY (proposal_id, version_no)
);

CREATE TABLE proposal_workflow_events (
  event_id TEXT PRIMARY KEY,
  proposal_id TEXT NOT NULL REFERENCES proposal_records (proposal_id),
  event_type TEXT NOT NULL CHECK (event_type IN (
    'CREATED', 'NEW_VERSION_CREATED', 'SUBMITTED_FOR_RISK_REVIEW', 'RISK_APPROVED',
    'SUBMITTED_FOR_COMPLIANCE_REVIEW', 'COMPLIANCE_APPROVED', 'CLIENT_CONSENT_RECORDED',
    'EXECUTION_REQUESTED', 'EXECUTED', 'REJECTED', 'EXPIRED', 'CANCELLED')),
  from_state TEXT CHECK (from_state IN ('DRAFT', 'RISK_REVIEW', 'COMPLIANCE_REVIEW', 'AWAITING_CLIENT_CONSENT', 'EXECUTION_READY', 'EXECUTED', 'REJECTED', 'CANCELLED', 'EXPIRED')),
  to_state TEXT NOT NULL CHECK (to_state IN ('DRAFT', 'RISK_REVIEW', 'COMPLIANCE_REVIEW', 'AWAITING_CLIENT_CONSENT', 'EXECUTION_READY', 'EXECUTED', 'REJECTED', 'CANCELLED', 'EXPIRED')),
  actor_id TEXT NOT NULL,
  occurred_at TEXT NOT NULL,
  reason_json TEXT NOT NULL,
  related_version_no INTEGER,
  -- Position in the proposal's history, assigned inside the writing transaction, which holds
  -- the proposal row: events are read back exactly in the order they were written.
  sequence_no INTEGER NOT NULL,
  UNIQUE (proposal_id, sequence_no)
);

CREATE TABLE proposal_approvals (
  approval_id TEXT PRIMARY KEY,
  proposal_id TEXT NOT NULL REFERENCES proposal_records (proposal_id),
  approval_type TEXT NOT NULL CHECK (approval_type IN ('RISK', 'COMPLIANCE', 'CLIENT_CONSENT')),
  approved INTEGER NOT NULL CHECK (approved IN (0, 1)),
  actor_id TEXT NOT NULL,
  occurred_at TEXT NOT NULL,
  details_json TEXT NOT NULL,
  related_version_no INTEGER,
  sequence_no INTEGER NOT NULL,
  UNIQUE (proposal_id, sequence_no)
);

-- One row per key, claimed with INSERT … ON CONFLICT DO NOTHING in the transaction that writes
-- what it points at (hence the deferred foreign key); kept as long as the proposal.
CREATE TABLE proposal_idempotency (
  idempotency_key TEXT PRIMARY KEY,
  request_hash TEXT NOT NULL,
  proposal_id TEXT NOT NULL REFERENCES proposal_records (proposal_id) DEFERRABLE INITIALLY DEFERRED,
  proposal_version_no INTEGER NOT NULL,
  created_at TEXT NOT NULL
);

-- Correlation ids are not unique (the reference's UNIQUE made a reused one a 500): the latest wins.
CREATE TABLE proposal_async_operations (
  operation_id TEXT PRIMARY KEY,
  operation_type TEXT NOT NULL CHECK (operation_type IN ('CREATE_PROPOSAL', 'CREATE_PROPOSAL_VERSION')),
  status TEXT NOT NULL CHECK (status IN ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED')),
  correlation_id TEXT NOT NULL,
  idempotency_key TEXT,
  proposal_id TEXT,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  started_at TEXT,
  finished_at TEXT,
  result_json TEXT,
  error_json TEXT,
  request_json TEXT,
  lease_owner TEXT,
  lease_expires_at TEXT
);
CREATE INDEX proposal_async_operations_correlation_idx ON proposal_async_operations (correlation_id, created_at DESC, operation_id DESC);
CREATE INDEX proposal_async_operations_status_idx ON proposal_async_operations (status, created_at, operation_id);

CREATE TRIGGER proposal_versions_no_update BEFORE UPDATE ON proposal_versions BEGIN SELECT RAISE(ABORT, 'PROPOSAL_RECORD_IMMUTABLE: proposal_versions rows are append-only'); END;
CREATE TRIGGER proposal_versions_no_delete BEFORE DELETE ON proposal_versions BEGIN SELECT RAISE(ABORT, 'PROPOSAL_RECORD_IMMUTABLE: proposal_versions rows are append-only'); END;
CREATE TRIGGER proposal_workflow_events_no_update BEFORE UPDATE ON proposal_workflow_events BEGIN SELECT RAISE(ABORT, 'PROPOSAL_RECORD_IMMUTABLE: proposal_workflow_events rows are append-only'); END;
CREATE TRIGGER proposal_workflow_events_no_delete BEFORE DELETE ON proposal_workflow_events BEGIN SELECT RAISE(ABORT, 'PROPOSAL_RECORD_IMMUTABLE: proposal_workflow_events rows are append-only'); END;
CREATE TRIGGER proposal_approvals_no_update BEFORE UPDATE ON proposal_approvals BEGIN SELECT RAISE(ABORT, 'PROPOSAL_RECORD_IMMUTABLE: proposal_approvals rows are append-only'); END;
CREATE TRIGGER proposal_approvals_no_delete BEFORE DELETE ON proposal_approvals BEGIN SELECT RAISE(ABORT, 'PROPOSAL_RECORD_IMMUTABLE: proposal_approvals rows are append-only'); END;
