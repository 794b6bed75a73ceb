-- DPM supportability store. Reference table names; real types, keys and indexes for every
-- lookup and list filter of the API. Correlation ids are NOT unique: many runs may share one.

CREATE TABLE dpm_runs (
  rebalance_run_id text PRIMARY KEY,
  correlation_id text NOT NULL,
  request_hash text NOT NULL,
  idempotency_key text,
  portfolio_id text NOT NULL,
  status text NOT NULL,
  created_at timestamptz NOT NULL,
  result_json jsonb NOT NULL
);
CREATE INDEX dpm_runs_created_idx ON dpm_runs (created_at DESC, rebalance_run_id DESC);
CREATE INDEX dpm_runs_correlation_idx ON dpm_runs (correlation_id, created_at DESC, rebalance_run_id DESC);
CREATE INDEX dpm_runs_request_hash_idx ON dpm_runs (request_hash, created_at DESC, rebalance_run_id DESC);
CREATE INDEX dpm_runs_portfolio_idx ON dpm_runs (portfolio_id, created_at DESC, rebalance_run_id DESC);
CREATE INDEX dpm_runs_status_idx ON dpm_runs (status, created_at DESC, rebalance_run_id DESC);

CREATE TABLE dpm_run_artifacts (
  rebalance_run_id text PRIMARY KEY REFERENCES dpm_runs (rebalance_run_id) ON DELETE CASCADE,
  artifact_json jsonb NOT NULL,
  created_at timestamptz NOT NULL
);

-- The key is claimed before its run is written (INSERT … ON CONFLICT DO NOTHING), so the
-- foreign key is checked at commit.
CREATE TABLE dpm_run_idempotency (
  idempotency_key text PRIMARY KEY,
  request_hash text NOT NULL,
  rebalance_run_id text NOT NULL REFERENCES dpm_runs (rebalance_run_id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  created_at timestamptz NOT NULL
);
CREATE INDEX dpm_run_idempotency_run_idx ON dpm_run_idempotency (rebalance_run_id);

CREATE TABLE dpm_run_idempotency_history (
  history_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  idempotency_key text NOT NULL,
  rebalance_run_id text NOT NULL REFERENCES dpm_runs (rebalance_run_id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  correlation_id text NOT NULL,
  request_hash text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX dpm_run_idempotency_history_key_idx ON dpm_run_idempotency_history (idempotency_key, created_at, history_id);
CREATE INDEX dpm_run_idempotency_history_run_idx ON dpm_run_idempotency_history (rebalance_run_id);

CREATE TABLE dpm_async_operations (
  operation_id text PRIMARY KEY,
  operation_type text NOT NULL,
  status text NOT NULL CHECK (status IN ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED')),
  correlation_id text NOT NULL,
  created_at timestamptz NOT NULL,
  started_at timestamptz,
  finished_at timestamptz,
  result_json jsonb,
  error_json jsonb,
  request_json jsonb,
  lease_owner text,
  lease_expires_at timestamptz
);
CREATE INDEX dpm_async_operations_created_idx ON dpm_async_operations (created_at DESC, operation_id DESC);
CREATE INDEX dpm_async_operations_correlation_idx ON dpm_async_operations (correlation_id, created_at DESC, operation_id DESC);
CREATE INDEX dpm_async_operations_status_idx ON dpm_async_operations (status, created_at, operation_id);
-- TTL purge: finished_at ?? created_at.
CREATE INDEX dpm_async_operations_expiry_idx ON dpm_async_operations ((COALESCE(finished_at, created_at)));

CREATE TABLE dpm_workflow_decisions (
  decision_id text PRIMARY KEY,
  run_id text NOT NULL REFERENCES dpm_runs (rebalance_run_id) ON DELETE CASCADE,
  action text NOT NULL,
  reason_code text NOT NULL,
  comment text,
  actor_id text NOT NULL,
  decided_at timestamptz NOT NULL,
  correlation_id text NOT NULL,
  -- 1, 2, 3 … per run: the append order. UNIQUE makes a guarded append (expected latest
  -- decision) lose cleanly to a concurrent one instead of both landing.
  decision_seq integer NOT NULL,
  CONSTRAINT dpm_workflow_decisions_run_seq_key UNIQUE (run_id, decision_seq)
);
CREATE INDEX dpm_workflow_decisions_decided_idx ON dpm_workflow_decisions (decided_at DESC, decision_id DESC);
CREATE INDEX dpm_workflow_decisions_correlation_idx ON dpm_workflow_decisions (correlation_id);

CREATE TABLE dpm_lineage_edges (
  edge_id text PRIMARY KEY,
  source_entity_id text NOT NULL,
  edge_type text NOT NULL,
  target_entity_id text NOT NULL,
  created_at timestamptz NOT NULL,
  metadata_json jsonb NOT NULL
);
CREATE INDEX dpm_lineage_edges_source_idx ON dpm_lineage_edges (source_entity_id, created_at, edge_id);
CREATE INDEX dpm_lineage_edges_target_idx ON dpm_lineage_edges (target_entity_id, created_at, edge_id);
