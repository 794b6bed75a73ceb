/**
 * PostgreSQL's one-round-trip path for the common case of `recordRun`: a new Idempotency-Key.
 * The key claim, the run, its history entry and its lineage edges are written by one statement
 * of data-modifying CTEs — atomic like a transaction, but one round trip instead of six (BEGIN,
 * four inserts, COMMIT), which is most of a persisted simulate's cost.
 *
 * Every later CTE feeds on the claim's RETURNING, so when the key is already taken (a replay, a
 * conflict, a race lost, or replay turned off) the statement writes nothing and the caller takes
 * the transactional path, which decides those cases. `ON CONFLICT DO NOTHING` waits for a
 * concurrent claimer to commit, exactly as in that path.
 */
import type { SqlQueryable, SqlValue } from '../sql/executor.ts';
import { isoTimestamp } from '../sql/where.ts';
import type { RecordRunInput, RecordRunOutcome } from './port.ts';
import { RUN_INPUT_COLUMNS, runInputValues } from './rows.ts';

const json = (value: unknown): string => JSON.stringify(value ?? null);

export async function recordNewKeyInOneStatement(db: SqlQueryable, input: RecordRunInput, key: string): Promise<RecordRunOutcome | undefined> {
  const { run, lineage } = input;
  const createdAt = isoTimestamp(run.created_at);
  const params: SqlValue[] = [
    key,
    input.idempotencyHash ?? run.request_hash,
    run.rebalance_run_id,
    createdAt,
    run.correlation_id,
    run.request_hash,
    run.portfolio_id,
    run.status,
    json(run.result_json),
    ...runInputValues(input.inputs),
    run.requested_by ?? null,
  ];
  const edgeRows = lineage.map((edge) => {
    const at = params.length;
    params.push(edge.edge_id, edge.source_entity_id, edge.edge_type, edge.target_entity_id, isoTimestamp(edge.created_at), json(edge.metadata_json));
    return `($${at + 1}, $${at + 2}, $${at + 3}, $${at + 4}, $${at + 5}::timestamptz, $${at + 6}::jsonb)`;
  });
  const edges =
    edgeRows.length === 0
      ? ''
      : `, edges AS (
          INSERT INTO dpm_lineage_edges (edge_id, source_entity_id, edge_type, target_entity_id, created_at, metadata_json)
          SELECT e.* FROM (VALUES ${edgeRows.join(', ')}) AS e (edge_id, source_entity_id, edge_type, target_entity_id, created_at, metadata_json)
          WHERE EXISTS (SELECT 1 FROM run))`;
  const [row] = await db.query(
    `WITH claimed AS (
       INSERT INTO dpm_run_idempotency (idempotency_key, request_hash, rebalance_run_id, created_at)
       VALUES ($1, $2, $3, $4::timestamptz) ON CONFLICT (idempotency_key) DO NOTHING RETURNING rebalance_run_id
     ), run AS (
       INSERT INTO dpm_runs (rebalance_run_id, correlation_id, request_hash, idempotency_key, portfolio_id, status, created_at, result_json, ${RUN_INPUT_COLUMNS}, requested_by)
       SELECT rebalance_run_id, $5, $6, $1, $7, $8, $4::timestamptz, $9::json, $10, $11::json, $12, $13, $14, $15 FROM claimed RETURNING rebalance_run_id
     ), history AS (
       INSERT INTO dpm_run_idempotency_history (idempotency_key, rebalance_run_id, correlation_id, request_hash, created_at)
       SELECT $1, rebalance_run_id, $5, $6, $4::timestamptz FROM run
     )${edges}
     SELECT count(*)::int AS recorded FROM run`,
    params,
  );
  return Number(row?.['recorded']) === 1 ? { outcome: 'recorded', run: { ...run, created_at: createdAt } } : undefined;
}
