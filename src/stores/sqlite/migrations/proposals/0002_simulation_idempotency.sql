-- SQLite twin of the PostgreSQL 0002: idempotency of POST /rebalance/proposals/simulate and
-- /artifact, one row per (endpoint, key) holding the response it answers (JSON text, replayed
-- verbatim). Rows are kept until an operator deletes them.
CREATE TABLE proposal_simulation_idempotency (
  endpoint TEXT NOT NULL CHECK (endpoint IN ('SIMULATE', 'ARTIFACT')),
  idempotency_key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  response_json TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (endpoint, idempotency_key)
);
