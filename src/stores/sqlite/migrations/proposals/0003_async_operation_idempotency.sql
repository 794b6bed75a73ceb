-- SQLite twin of the PostgreSQL 0004: one row per Idempotency-Key of the async proposal routes,
-- claimed in the same transaction as the operation it points at (checked at commit).
CREATE TABLE proposal_async_idempotency (
  idempotency_key TEXT PRIMARY KEY,
  request_hash TEXT NOT NULL,
  operation_id TEXT NOT NULL UNIQUE REFERENCES proposal_async_operations (operation_id) DEFERRABLE INITIALLY DEFERRED,
  created_at TEXT NOT NULL
);
