-- Who may do what (docs/security.md): the verified subject who requested a run, so the run review
-- workflow can refuse that subject's own APPROVE (four-eyes), and the refused attempts of the
-- workflow, kept with the run as its audit trail (purged with it, like its decisions).
-- Expand only: a nullable column (runs recorded before, or without authentication, have no
-- requester; the previous release keeps inserting without it) and a new table.
ALTER TABLE dpm_runs ADD COLUMN requested_by text;

CREATE TABLE dpm_run_refused_attempts (
  attempt_id text PRIMARY KEY,
  run_id text NOT NULL REFERENCES dpm_runs (rebalance_run_id) ON DELETE CASCADE,
  action text NOT NULL,
  actor_id text NOT NULL,
  reason_code text NOT NULL,
  attempted_at timestamptz NOT NULL,
  correlation_id text NOT NULL,
  details_json jsonb NOT NULL
);
CREATE INDEX dpm_run_refused_attempts_run_idx ON dpm_run_refused_attempts (run_id, attempted_at, attempt_id);
