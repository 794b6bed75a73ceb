-- migrate:no-transaction
-- No store method reads workflow decisions by correlation id (the by-correlation route finds the
-- run first, then its decisions by run id), so this index only cost an entry per decision
-- (docs/performance.md, index use). Every release reads and writes decisions the same way
-- without it; CONCURRENTLY so the drop never blocks decision writes.
DROP INDEX CONCURRENTLY IF EXISTS dpm_workflow_decisions_correlation_idx;
