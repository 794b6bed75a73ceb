-- SQLite twin of the PostgreSQL proposals 0005: what a version was simulated from
-- (docs/advisory.md#reproducing-a-version). Nullable columns: versions written before have none of
-- it, and the previous release keeps inserting without it.
ALTER TABLE proposal_versions ADD COLUMN request_canonical TEXT;
ALTER TABLE proposal_versions ADD COLUMN correlation_id TEXT;
ALTER TABLE proposal_versions ADD COLUMN idempotency_key TEXT;
ALTER TABLE proposal_versions ADD COLUMN engine_version TEXT;
