-- How many times each async operation was claimed by a worker (docs/operations.md#lease-owners):
-- 1 for an operation run once, more when a worker died or lost its database and another took the
-- operation over after its lease lapsed.
-- Expand only: a column with a default (the previous release neither reads nor writes it); an
-- operation that had already started counts as claimed once.
ALTER TABLE dpm_async_operations ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
UPDATE dpm_async_operations SET attempts = 1 WHERE started_at IS NOT NULL;
