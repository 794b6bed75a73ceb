/**
 * PostgreSQL's one-round-trip path for `recordRun` under an Idempotency-Key: one prepared
 * statement of data-modifying CTEs decides the common cases and writes what each needs —
 *
 * - a new key: the key claim, the run, its history entry and its lineage edges (atomic like a
 *   transaction, but one round trip instead of six: BEGIN, four inserts, COMMIT);
 * - a key already mapped to the same request: the history entry, and the stored run comes back
 *   (`replayed`), its result as the JSON text it was stored as;
 * - a key mapped to another request: nothing is written (`conflict`).
 *
 * Every write feeds on the claim's RETURNING or on the mapping read at the statement's start, so
 * the statement never writes anything the transactional path would not. When it cannot decide, it
 * writes nothing and returns undefined, and the caller's transaction decides: replay is off (the
 * transaction moves the mapping), or another writer claimed the key after this statement's
 * snapshot was taken. The claim is a plain INSERT: the key's primary key makes such a racing claim
 * wait for the other writer and then fail as a duplicate, which rolls the whole statement back.
 * (`ON CONFLICT DO NOTHING` would decide the same, at the price of a speculative insertion — an
 * extra WAL record and a second index probe — on every run, for a race that is rare.)
 */
import { named, SqlConstraintError, type NamedSql, type Row, type SqlQueryable, type SqlValue } from '../sql/executor.ts';
import { isoTimestamp } from '../sql/where.ts';
import type { IdempotencyHistoryEntry, RecordRunInput, RecordRunOutcome } from './port.ts';
import { RUN_INPUT_COLUMNS, runFromStoredText, runInputValues, storedRunColumns, type StoredRun } from './rows.ts';

const EDGE_COLUMNS = 6;
/** Parameters before the edges' (see `params` below). */
const FIXED_PARAMS = 16;

/** The statement for `edgeCount` lineage edges (simulate always writes two), prepared once per text. */
const statements = new Map<number, NamedSql>();

function statementFor(edgeCount: number): NamedSql {
  let statement = statements.get(edgeCount);
  if (statement) return statement;
  const rows = Array.from({ length: edgeCount }, (_, i) => {
    const at = FIXED_PARAMS + i * EDGE_COLUMNS;
    return `($${at + 1}, $${at + 2}, $${at + 3}, $${at + 4}, $${at + 5}::timestamptz, $${at + 6}::jsonb)`;
  });
  const edges =
    edgeCount === 0
      ? ''
      : `, edges AS (
          INSERT INTO dpm_lineage_edges (edge_id, source_entity_id, edge_type, target_entity_id, created_at, metadata_json)
          SELECT e.* FROM (VALUES ${rows.join(', ')}) AS e (edge_id, source_entity_id, edge_type, target_entity_id, created_at, metadata_json)
          WHERE EXISTS (SELECT 1 FROM run))`;
  statement = named(
    `dpm_record_run_${edgeCount}`,
    `WITH existing AS (
       SELECT request_hash AS mapped_hash, rebalance_run_id AS mapped_run_id FROM dpm_run_idempotency WHERE idempotency_key = $1
     ), claimed AS (
       INSERT INTO dpm_run_idempotency (idempotency_key, request_hash, rebalance_run_id, created_at)
       SELECT $1, $2, $3, $4::timestamptz WHERE NOT EXISTS (SELECT 1 FROM existing)
       RETURNING rebalance_run_id
     ), run AS (
       INSERT INTO dpm_runs (rebalance_run_id, correlation_id, request_hash, idempotency_key, portfolio_id, status, created_at, result_json, ${RUN_INPUT_COLUMNS}, requested_by)
       SELECT rebalance_run_id, $5, $6, $1, $7, $8, $4::timestamptz, $9::json, $10, $11::json, $12, $13, $14, $16 FROM claimed RETURNING rebalance_run_id
     ), history AS (
       INSERT INTO dpm_run_idempotency_history (idempotency_key, rebalance_run_id, correlation_id, request_hash, created_at)
       SELECT $1, rebalance_run_id, $5, $6, $4::timestamptz FROM run
       UNION ALL
       SELECT $1, mapped_run_id, $5, $6, $4::timestamptz FROM existing WHERE mapped_hash = $2 AND $15::boolean
     )${edges}
     SELECT (SELECT count(*) FROM run)::int AS recorded, e.mapped_hash, e.mapped_run_id, ${storedRunColumns('r')}
     FROM (SELECT 1) AS one
     LEFT JOIN existing e ON true
     LEFT JOIN dpm_runs r ON r.rebalance_run_id = e.mapped_run_id AND e.mapped_hash = $2 AND $15::boolean`,
  );
  statements.set(edgeCount, statement);
  return statement;
}

export async function recordInOneStatement(db: SqlQueryable, input: RecordRunInput, key: string, resultText: string): Promise<RecordRunOutcome | undefined> {
  const { run, lineage } = input;
  const createdAt = isoTimestamp(run.created_at);
  const hash = input.idempotencyHash ?? run.request_hash;
  const params: SqlValue[] = [
    key,
    hash,
    run.rebalance_run_id,
    createdAt,
    run.correlation_id,
    run.request_hash,
    run.portfolio_id,
    run.status,
    resultText,
    ...runInputValues(input.inputs),
    input.replay,
    run.requested_by ?? null,
  ];
  for (const edge of lineage) {
    params.push(edge.edge_id, edge.source_entity_id, edge.edge_type, edge.target_entity_id, isoTimestamp(edge.created_at), JSON.stringify(edge.metadata_json ?? null));
  }
  let row: Row | undefined;
  try {
    [row] = await db.query(statementFor(lineage.length), params);
  } catch (error) {
    // A writer claimed the key after this statement's snapshot: the transaction decides (replay or
    // conflict). Any other duplicate (a run id that exists) is refused there again.
    if (error instanceof SqlConstraintError && error.kind === 'unique') return undefined;
    throw error;
  }
  if (!row) return undefined;
  if (row['recorded'] === 1) return { outcome: 'recorded', run: { ...run, created_at: createdAt }, resultText };
  const mappedHash = row['mapped_hash'];
  if (typeof mappedHash !== 'string' || !input.replay) return undefined;
  if (mappedHash !== hash) return { outcome: 'conflict', existingRequestHash: mappedHash, existingRunId: String(row['mapped_run_id']) };
  return { outcome: 'replayed', ...runFromStoredText(row) };
}

/**
 * `replayRun` in one round trip: the key's mapping, if it holds `$2`, feeds the history entry and
 * the stored run, as in the replay branch of the statement above.
 */
const REPLAY_MAPPED_RUN = named(
  'dpm_replay_mapped_run',
  `WITH existing AS (
     SELECT rebalance_run_id AS mapped_run_id FROM dpm_run_idempotency WHERE idempotency_key = $1 AND request_hash = $2
   ), history AS (
     INSERT INTO dpm_run_idempotency_history (idempotency_key, rebalance_run_id, correlation_id, request_hash, created_at)
     SELECT $1, mapped_run_id, $3, $4, $5::timestamptz FROM existing
   )
   SELECT ${storedRunColumns('r')} FROM existing e JOIN dpm_runs r ON r.rebalance_run_id = e.mapped_run_id`,
);

export async function replayInOneStatement(db: SqlQueryable, entry: Omit<IdempotencyHistoryEntry, 'rebalance_run_id'>, idempotencyHash: string): Promise<StoredRun | null> {
  const [row] = await db.query(REPLAY_MAPPED_RUN, [entry.idempotency_key, idempotencyHash, entry.correlation_id, entry.request_hash, isoTimestamp(entry.created_at)]);
  return row ? runFromStoredText(row) : null;
}
