-- Idempotency of the async proposal routes (POST /rebalance/proposals/async and
-- /rebalance/proposals/{id}/versions/async). One row per Idempotency-Key, claimed with
-- INSERT … ON CONFLICT DO NOTHING in the same transaction as the operation it points at: of
-- concurrent submissions with one key (on any replica) the first to insert makes the operation,
-- the others wait for its commit and receive that operation (or 409 when their request differs).
-- The operation is inserted after its key, so the reference is checked at commit. Keys accepted
-- before this table existed are not in it. Rows are kept as long as their operations.
CREATE TABLE proposal_async_idempotency (
  idempotency_key text PRIMARY KEY,
  request_hash text NOT NULL,
  operation_id text NOT NULL UNIQUE REFERENCES proposal_async_operations (operation_id) DEFERRABLE INITIALLY DEFERRED,
  created_at timestamptz NOT NULL
);
