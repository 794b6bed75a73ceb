-- SQLite twin of the PostgreSQL proposals 0006: four-eyes refusals, append-only like the rest of
-- the proposal's audit trail (docs/security.md#four-eyes).
CREATE TABLE proposal_refused_attempts (
  attempt_id TEXT PRIMARY KEY,
  proposal_id TEXT NOT NULL REFERENCES proposal_records (proposal_id),
  action TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  reason_code TEXT NOT NULL,
  attempted_at TEXT NOT NULL,
  correlation_id TEXT NOT NULL,
  details_json TEXT NOT NULL
);
CREATE INDEX proposal_refused_attempts_proposal_idx ON proposal_refused_attempts (proposal_id, attempted_at, attempt_id);
CREATE TRIGGER proposal_refused_attempts_no_update BEFORE UPDATE ON proposal_refused_attempts BEGIN SELECT RAISE(ABORT, 'PROPOSAL_RECORD_IMMUTABLE: proposal_refused_attempts rows are append-only'); END;
CREATE TRIGGER proposal_refused_attempts_no_delete BEFORE DELETE ON proposal_refused_attempts BEGIN SELECT RAISE(ABORT, 'PROPOSAL_RECORD_IMMUTABLE: proposal_refused_attempts rows are append-only'); END;
