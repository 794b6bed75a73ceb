-- Four-eyes refusals (docs/security.md#four-eyes): an approval the proposal's own author tried to
-- give is refused and recorded here, next to the events and approvals, as part of the proposal's
-- audit trail. Append-only like them: the same trigger refuses UPDATE, DELETE and TRUNCATE.
CREATE TABLE proposal_refused_attempts (
  attempt_id text PRIMARY KEY,
  proposal_id text NOT NULL REFERENCES proposal_records (proposal_id),
  action text NOT NULL,
  actor_id text NOT NULL,
  reason_code text NOT NULL,
  attempted_at timestamptz NOT NULL,
  correlation_id text NOT NULL,
  details_json jsonb NOT NULL
);
CREATE INDEX proposal_refused_attempts_proposal_idx ON proposal_refused_attempts (proposal_id, attempted_at, attempt_id);
CREATE TRIGGER proposal_refused_attempts_append_only BEFORE UPDATE OR DELETE ON proposal_refused_attempts FOR EACH ROW EXECUTE FUNCTION proposal_reject_change();
CREATE TRIGGER proposal_refused_attempts_no_truncate BEFORE TRUNCATE ON proposal_refused_attempts FOR EACH STATEMENT EXECUTE FUNCTION proposal_reject_change();
