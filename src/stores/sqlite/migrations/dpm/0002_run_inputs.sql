-- SQLite twin of the PostgreSQL dpm 0003: what a run is computed from (docs/dpm-api.md#reproducing-a-run).
-- Nullable columns: runs recorded before have none of it, and the previous release keeps
-- inserting runs without it.
ALTER TABLE dpm_runs ADD COLUMN request_canonical TEXT;
ALTER TABLE dpm_runs ADD COLUMN effective_options_json TEXT;
ALTER TABLE dpm_runs ADD COLUMN policy_pack_id TEXT;
ALTER TABLE dpm_runs ADD COLUMN policy_pack_version TEXT;
ALTER TABLE dpm_runs ADD COLUMN engine_version TEXT;
