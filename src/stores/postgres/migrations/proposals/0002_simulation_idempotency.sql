-- Idempotency of POST /rebalance/proposals/simulate and /artifact, shared by every replica (the
-- reference kept it in a per-process LRU: a retry on another replica simulated again, spec §10).
-- One row per (endpoint, key), claimed with INSERT … ON CONFLICT DO NOTHING together with the
-- response it answers; the response is replayed verbatim, so `json` (which keeps the text and its
-- key order) rather than `jsonb` (which reorders keys). Rows are kept until an operator deletes them.
CREATE TABLE proposal_simulation_idempotency (
  endpoint text NOT NULL CHECK (endpoint IN ('SIMULATE', 'ARTIFACT')),
  idempotency_key text NOT NULL,
  request_hash text NOT NULL,
  response_json json NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (endpoint, idempotency_key)
);
