-- Versions and async results are served back as stored; `jsonb` reorders object keys, so the
-- served payloads move to `json`, which keeps the engine's field order. Nothing queries inside them.
ALTER TABLE proposal_versions ALTER COLUMN proposal_result_json TYPE json USING proposal_result_json::json;
ALTER TABLE proposal_versions ALTER COLUMN artifact_json TYPE json USING artifact_json::json;
ALTER TABLE proposal_versions ALTER COLUMN evidence_bundle_json TYPE json USING evidence_bundle_json::json;
ALTER TABLE proposal_versions ALTER COLUMN gate_decision_json TYPE json USING gate_decision_json::json;
ALTER TABLE proposal_async_operations ALTER COLUMN result_json TYPE json USING result_json::json;
