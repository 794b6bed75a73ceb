-- Results and artifacts are served back verbatim (a replayed simulate must be the same JSON
-- text as the first answer, in the model's field order). `jsonb` reorders object keys, so the
-- served payloads move to `json`, which keeps the text as written. Nothing queries inside them.
ALTER TABLE dpm_runs ALTER COLUMN result_json TYPE json USING result_json::json;
ALTER TABLE dpm_run_artifacts ALTER COLUMN artifact_json TYPE json USING artifact_json::json;
ALTER TABLE dpm_async_operations ALTER COLUMN result_json TYPE json USING result_json::json;
