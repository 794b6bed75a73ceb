-- What a proposal version was simulated from, so it can be simulated again months later
-- (docs/advisory.md#reproducing-a-version): the validated simulate request as canonical JSON text,
-- the correlation id and idempotency key the engine echoed, and the build that simulated it.
-- Expand only: nullable columns, no default (versions stay append-only; nothing is rewritten),
-- versions written before have none of it, and the previous release keeps inserting without it.
ALTER TABLE proposal_versions ADD COLUMN request_canonical text;
ALTER TABLE proposal_versions ADD COLUMN correlation_id text;
ALTER TABLE proposal_versions ADD COLUMN idempotency_key text;
ALTER TABLE proposal_versions ADD COLUMN engine_version text;
