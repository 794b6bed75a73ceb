-- DPM supportability store (SQLite: ISO-8601 text timestamps, JSON text). Reference table names; real types, keys and indexes for every
-- lookup and list filter of the API. Correlation ids are NOT unique: many runs may share one.

CREATE TABLE dpm_runs (
  rebalance_run_id TEXT PRIMARY KEY,
  correlation_id TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  idempotency_key TEXT,
  portfolio_id TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at TEXT NOT NULL,
  result_json TEXT NOT NULL
);
CREATE INDEX dpm_runs_created_idx ON dpm_runs (created_at DESC, rebalance_run_id DESC);
CREATE INDEX dpm_runs_correlation_idx ON dpm_runs (correlation_id, created_at DESC, rebalance_run_id DESC);
CREATE INDEX dpm_runs_request_hash_idx ON dpm_runs (request_hash, created_at DESC, rebalance_run_id DESC);
CREATE INDEX dpm_runs_portfolio_idx ON dpm_runs (portfolio_id, created_at DESC, rebalance_run_id DESC);
CREATE INDEX dpm_runs_status_idx ON dpm_runs (status, created_at DESC, rebalance_run_id DESC);

CREATE TABLE dpm_run_artifacts (
  rebalance_run_id TEXT PRIMARY KEY REFERENCES dpm_runs (rebalance_run_id) ON DELETE CASCADE,
  artifact_json TEXT NOT NULL,
  created_at TEXT NOT NULL
);

-- The key is claimed before its run is written (INSERT … ON CONFLICT DO NOTHING), so the
-- foreign key is checked at commit.
CREATE TABLE dpm_run_idempotency (
  idempotency_key TEXT PRIMARY KEY,
  request_hash TEXT NOT NULL,
  rebalance_run_id TEXT NOT NULL REFERENCES dpm_runs (rebalance_run_id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  created_at TEXT NOT NULL
);
CREATE INDEX dpm_run_idempotency_run_idx ON dpm_run_idempotency (rebalance_run_id);

CREATE TABLE dpm_run_idempotency_history (
  history_id INTEGER PRIMARY KEY AUTOINCREMENT,
  idempotency_key TEXT NOT NULL,
  rebalance_run_id TEXT NOT NULL REFERENCES dpm_runs (rebalance_run_id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  correlation_id TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX dpm_run_idempotency_history_key_idx ON dpm_run_idempotency_history (idempotency_key, created_at, history_id);
CREATE INDEX dpm_run_idempotency_history_run_idx ON dpm_run_idempotency_history (rebalance_run_id);

CREATE TABLE dpm_async_operations (
  operation_id TEXT PRIMARY KEY,
  operation_type TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED')),
  correlation_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  started_at TEXT,
  finished_at TEXT,
  result_json TEXT,
  error_json TEXT,
  request_json TEXT,
  lease_owner TEXT,
  lease_expires_at TEXT
);
CREATE INDEX dpm_async_operations_created_idx ON dpm_async_operations (created_at DESC, operation_id DESC);
CREATE INDEX dpm_async_operations_correlation_idx ON dpm_async_operations (correlation_id, created_at DESC, operation_id DESC);
CREATE INDEX dpm_async_operations_status_idx ON dpm_async_operations (status, created_at, operation_id);
-- TTL purge: finished_at ?? created_at.
CREATE INDEX dpm_async_operations_expiry_idx ON dpm_async_operations ((COALESCE(finished_at, created_at)));

CREATE TABLE dpm_workflow_decisions (
  decision_id TEXT PRIMARY KEY,
  run_id TEXT NOT NULL REFERENCES dpm_runs (rebalance_run_id) ON DELETE CASCADE,
  action TEXT NOT NULL,
  reason_code TEXT NOT NULL,
  comment TEXT,
  actor_id TEXT NOT NULL,
  decided_at TEXT NOT NULL,
  correlation_id TEXT NOT NULL,
  -- 1, 2, 3 … per run: the append order. UNIQUE makes a guarded append (expected latest
  -- decision) lose cleanly to a concurrent one instead of both landing.
  decision_seq INTEGER NOT NULL,
  CONSTRAINT dpm_workflow_decisions_run_seq_key UNIQUE (run_id, decision_seq)
);
CREATE INDEX dpm_workflow_decisions_decided_idx ON dpm_workflow_decisions (decided_at DESC, decision_id DESC);
CREATE INDEX dpm_workflow_decisions_correlation_idx ON dpm_workflow_decisions (correlation_id);

CREATE TABLE dpm_lineage_edges (
  edge_id TEXT PRIMARY KEY,
  source_entity_id TEXT NOT NULL,
  edge_type TEXT NOT NULL,
  target_entity_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  metadata_json TEXT NOT NULL
);
CREATE INDEX dpm_lineage_edges_source_idx ON dpm_lineage_edges (source_entity_id, created_at, edge_id);
CREATE INDEX dpm_lineage_edges_target_idx ON dpm_lineage_edges (target_entity_id, created_at, edge_id);
