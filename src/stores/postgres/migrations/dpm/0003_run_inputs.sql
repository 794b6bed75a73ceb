-- What a run is computed from, so it can be computed again months later
-- (docs/dpm-api.md#reproducing-a-run): the validated request as canonical JSON text (kept as
-- text, byte for byte: for a simulate run its SHA-256 is the run's request hash), the options the
-- engine ran with after policy-pack overrides, the pack, and the build that computed the run.
-- Expand only: nullable columns, no default, so adding them rewrites nothing, runs recorded
-- before have none of it, and the previous release keeps inserting runs without it.
ALTER TABLE dpm_runs ADD COLUMN request_canonical text;
ALTER TABLE dpm_runs ADD COLUMN effective_options_json json;
ALTER TABLE dpm_runs ADD COLUMN policy_pack_id text;
ALTER TABLE dpm_runs ADD COLUMN policy_pack_version text;
ALTER TABLE dpm_runs ADD COLUMN engine_version text;
