-- SQLite twin of the PostgreSQL dpm 0005: the subject who requested a run, and the refused
-- attempts of its review workflow (docs/security.md).
ALTER TABLE dpm_runs ADD COLUMN requested_by TEXT;

CREATE TABLE dpm_run_refused_attempts (
  attempt_id TEXT PRIMARY KEY,
  run_id TEXT NOT NULL REFERENCES dpm_runs (rebalance_run_id) ON DELETE CASCADE,
  action TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  reason_code TEXT NOT NULL,
  attempted_at TEXT NOT NULL,
  correlation_id TEXT NOT NULL,
  details_json TEXT NOT NULL
);
CREATE INDEX dpm_run_refused_attempts_run_idx ON dpm_run_refused_attempts (run_id, attempted_at, attempt_id);
