-- Advisory proposal store (SQLite: ISO-8601 text timestamps, JSON text, 0/1 booleans). Reference table names; real types, keys, foreign keys to the
-- proposal, uniqueness where the contract implies it, and indexes for every list filter.
-- Versions, workflow events and approvals are append-only: triggers reject UPDATE and DELETE.

CREATE TABLE proposal_records (
  proposal_id TEXT PRIMARY KEY,
  portfolio_id TEXT NOT NULL,
  mandate_id TEXT,
  jurisdiction TEXT,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_event_at TEXT NOT NULL,
  current_state TEXT NOT NULL,
  current_version_no INTEGER NOT NULL CHECK (current_version_no >= 1),
  title TEXT,
  advisor_notes TEXT,
  -- Optimistic concurrency: every change bumps it, every guarded write compares it.
  row_version INTEGER NOT NULL DEFAULT 1
);
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
  event_type TEXT NOT NULL,
  from_state TEXT,
  to_state TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  occurred_at TEXT NOT NULL,
  reason_json TEXT NOT NULL,
  related_version_no INTEGER,
  -- Position in the proposal's history, assigned inside the writing transaction, which holds
  -- the proposal row: events are read back exactly in the order they happened.
  sequence_no INTEGER NOT NULL,
  UNIQUE (proposal_id, sequence_no)
);

CREATE TABLE proposal_approvals (
  approval_id TEXT PRIMARY KEY,
  proposal_id TEXT NOT NULL REFERENCES proposal_records (proposal_id),
  approval_type TEXT NOT NULL CHECK (approval_type IN ('RISK', 'COMPLIANCE', 'CLIENT_CONSENT')),
  approved INTEGER NOT NULL,
  actor_id TEXT NOT NULL,
  occurred_at TEXT NOT NULL,
  details_json TEXT NOT NULL,
  related_version_no INTEGER,
  sequence_no INTEGER NOT NULL,
  UNIQUE (proposal_id, sequence_no)
);

CREATE TABLE proposal_idempotency (
  idempotency_key TEXT PRIMARY KEY,
  request_hash TEXT NOT NULL,
  proposal_id TEXT NOT NULL REFERENCES proposal_records (proposal_id) DEFERRABLE INITIALLY DEFERRED,
  proposal_version_no INTEGER NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE proposal_async_operations (
  operation_id TEXT PRIMARY KEY,
  operation_type TEXT NOT NULL,
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
