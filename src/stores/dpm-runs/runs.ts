/**
 * Runs of the DPM run store: recording one under an idempotency key (replay, conflict or a new
 * run, decided by the database — docs/persistence.md), the lookups, the list, artifacts, the key's
 * mapping and history, and retention's purge.
 */
import { named, type SqlExecutor, type SqlQueryable } from '../sql/executor.ts';
import { jsonParam, listPage, one } from '../sql/queries.ts';
import { isoOrUndefined, isoTimestamp, Where } from '../sql/where.ts';
import { deleteEdgesTouching, insertEdges } from './lineage.ts';
import type { DpmRunStore, IdempotencyHistoryEntry, RecordRunInput, RecordRunOutcome, RunFilter, RunInputs, RunRecord } from './port.ts';
import { recordInOneStatement, replayInOneStatement } from './record-run-postgres.ts';
import { INVALID_CURSOR, RUN_COLUMNS, RUN_INPUT_COLUMNS, runFromStoredText, runInputValues, storedRunColumns, toHistory, toMapping, toRun, toRunInputs } from './rows.ts';

const JOINED_RUN_COLUMNS = RUN_COLUMNS.split(', ').map((column) => `r.${column}`).join(', ');
const LATEST = 'ORDER BY created_at DESC, rebalance_run_id DESC LIMIT 1';

// The lookups and the statements of recording a run are prepared: each is parsed and planned once per connection.
const GET_RUN = named('dpm_get_run', `SELECT ${RUN_COLUMNS} FROM dpm_runs WHERE rebalance_run_id = $1`);
const GET_RUN_BY_CORRELATION = named('dpm_get_run_by_correlation', `SELECT ${RUN_COLUMNS} FROM dpm_runs WHERE correlation_id = $1 ${LATEST}`);
const GET_RUN_BY_REQUEST_HASH = named('dpm_get_run_by_request_hash', `SELECT ${RUN_COLUMNS} FROM dpm_runs WHERE request_hash = $1 ${LATEST}`);
const GET_RUN_BY_IDEMPOTENCY_KEY = named(
  'dpm_get_run_by_idempotency_key',
  `SELECT ${JOINED_RUN_COLUMNS} FROM dpm_run_idempotency i JOIN dpm_runs r ON r.rebalance_run_id = i.rebalance_run_id WHERE i.idempotency_key = $1`,
);
const GET_RUN_INPUTS = named('dpm_get_run_inputs', `SELECT ${RUN_INPUT_COLUMNS} FROM dpm_runs WHERE rebalance_run_id = $1`);
const GET_MAPPING = named('dpm_get_mapping', 'SELECT idempotency_key, request_hash, rebalance_run_id, created_at FROM dpm_run_idempotency WHERE idempotency_key = $1');
const GET_STORED_RUN = named('dpm_get_stored_run', `SELECT ${storedRunColumns('r')} FROM dpm_runs r WHERE r.rebalance_run_id = $1`);
const GET_MAPPED_RUN = named(
  'dpm_get_mapped_run',
  `SELECT i.request_hash AS mapped_hash, ${storedRunColumns('r')}
   FROM dpm_run_idempotency i JOIN dpm_runs r ON r.rebalance_run_id = i.rebalance_run_id WHERE i.idempotency_key = $1`,
);

const INSERT_RUN = named(
  'dpm_insert_run',
  `INSERT INTO dpm_runs (${RUN_COLUMNS}, ${RUN_INPUT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
);

async function insertRun(tx: SqlQueryable, run: RunRecord, resultText: string, inputs: RunInputs | undefined): Promise<void> {
  await tx.execute(INSERT_RUN, [
    run.rebalance_run_id,
    run.correlation_id,
    run.request_hash,
    run.idempotency_key,
    run.portfolio_id,
    run.status,
    isoTimestamp(run.created_at),
    run.requested_by ?? null,
    resultText,
    ...runInputValues(inputs),
  ]);
}

const INSERT_HISTORY = named(
  'dpm_insert_history',
  'INSERT INTO dpm_run_idempotency_history (idempotency_key, rebalance_run_id, correlation_id, request_hash, created_at) VALUES ($1, $2, $3, $4, $5)',
);

export async function insertHistory(tx: SqlQueryable, entry: IdempotencyHistoryEntry): Promise<void> {
  await tx.execute(INSERT_HISTORY, [entry.idempotency_key, entry.rebalance_run_id, entry.correlation_id, entry.request_hash, isoTimestamp(entry.created_at)]);
}

type RunQueries = Pick<
  DpmRunStore,
  | 'recordRun'
  | 'replayRun'
  | 'getRun'
  | 'getRunByCorrelation'
  | 'getRunByRequestHash'
  | 'getRunByIdempotencyKey'
  | 'getRunInputs'
  | 'listRuns'
  | 'saveArtifact'
  | 'getArtifact'
  | 'getIdempotencyMapping'
  | 'listIdempotencyHistory'
  | 'purgeRunsBefore'
>;

/**
 * Retention deletes expired runs a batch at a time, oldest first, each batch one transaction: a
 * backlog of a month of runs never becomes one transaction holding its locks and WAL until the
 * end, and a purge cut short leaves whole runs, never half of one.
 */
const PURGE_BATCH_RUNS = 500;
const PURGE_BATCH_SQL = `DELETE FROM dpm_runs WHERE rebalance_run_id IN (
  SELECT rebalance_run_id FROM dpm_runs WHERE created_at < $1 ORDER BY created_at, rebalance_run_id LIMIT $2
) RETURNING rebalance_run_id`;

export function runQueries(db: SqlExecutor): RunQueries {
  async function claimKey(tx: SqlQueryable, input: RecordRunInput, key: string): Promise<RecordRunOutcome | undefined> {
    const { run } = input;
    const hash = input.idempotencyHash ?? run.request_hash;
    const claimed = await tx.query(
      `INSERT INTO dpm_run_idempotency (idempotency_key, request_hash, rebalance_run_id, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (idempotency_key) DO NOTHING RETURNING idempotency_key`,
      [key, hash, run.rebalance_run_id, isoTimestamp(run.created_at)],
    );
    if (claimed.length > 0) return undefined;
    // Another writer holds the key; ON CONFLICT waited for it to commit, so its mapping is visible.
    const existing = await one(tx, GET_MAPPING, [key], toMapping);
    if (!existing) throw new Error(`Idempotency key ${key} vanished while it was being claimed.`);
    if (!input.replay) {
      // Replay disabled: the key is only recorded — the mapping follows the newest run.
      await tx.execute('UPDATE dpm_run_idempotency SET request_hash = $2, rebalance_run_id = $3, created_at = $4 WHERE idempotency_key = $1', [
        key,
        hash,
        run.rebalance_run_id,
        isoTimestamp(run.created_at),
      ]);
      return undefined;
    }
    if (existing.request_hash !== hash) {
      return { outcome: 'conflict', existingRequestHash: existing.request_hash, existingRunId: existing.rebalance_run_id };
    }
    const stored = await one(tx, GET_STORED_RUN, [existing.rebalance_run_id], runFromStoredText);
    if (!stored) throw new Error(`Run ${existing.rebalance_run_id} of key ${key} is missing.`);
    await insertHistory(tx, { ...run, idempotency_key: key, rebalance_run_id: stored.run.rebalance_run_id });
    return { outcome: 'replayed', ...stored };
  }

  /**
   * SQLite's retry of a mapped key: one read decides it (replay or conflict) and the history entry
   * is one autocommitted insert — no transaction, no engine-side locking. Undefined when the key is
   * not mapped; anything else (a new key, replay off) goes through the transaction, which settles
   * races.
   */
  async function replayMappedKey(entry: Omit<IdempotencyHistoryEntry, 'rebalance_run_id'>, hash: string): Promise<RecordRunOutcome | undefined> {
    const [row] = await db.query(GET_MAPPED_RUN, [entry.idempotency_key]);
    if (!row) return undefined;
    const stored = runFromStoredText(row);
    if (row['mapped_hash'] !== hash) {
      return { outcome: 'conflict', existingRequestHash: String(row['mapped_hash']), existingRunId: stored.run.rebalance_run_id };
    }
    await insertHistory(db, { ...entry, rebalance_run_id: stored.run.rebalance_run_id });
    return { outcome: 'replayed', ...stored };
  }

  /**
   * The common cases without a transaction: on PostgreSQL one statement records a new key or
   * replays a mapped one (record-run-postgres.ts); on SQLite, where a statement costs no round
   * trip, a mapped key is answered by one joined read plus the history insert. Anything either
   * cannot decide (a key taken meanwhile, replay off) goes through the transaction, which settles
   * races.
   */
  async function shortcut(input: RecordRunInput, resultText: string): Promise<RecordRunOutcome | undefined> {
    const key = input.run.idempotency_key;
    if (key === null) return undefined;
    if (db.dialect === 'postgres') return recordInOneStatement(db, input, key, resultText);
    if (!input.replay) return undefined;
    const { run } = input;
    const entry = { idempotency_key: key, correlation_id: run.correlation_id, request_hash: run.request_hash, created_at: run.created_at };
    return replayMappedKey(entry, input.idempotencyHash ?? run.request_hash);
  }

  return {
    async recordRun(input) {
      const resultText = input.resultText ?? JSON.stringify(input.run.result_json ?? null);
      const decided = await shortcut(input, resultText);
      if (decided) return decided;
      return db.transaction(async (tx) => {
        const key = input.run.idempotency_key;
        if (key !== null) {
          const claimed = await claimKey(tx, input, key);
          if (claimed) return claimed;
        }
        await insertRun(tx, input.run, resultText, input.inputs);
        if (key !== null) await insertHistory(tx, { ...input.run, idempotency_key: key });
        await insertEdges(tx, input.lineage);
        // Answered from what was written (timestamps in their stored, normalised form), saving a read-back.
        return { outcome: 'recorded', run: { ...input.run, created_at: isoTimestamp(input.run.created_at) }, resultText };
      });
    },

    async replayRun(entry, idempotencyHash) {
      if (db.dialect === 'postgres') return replayInOneStatement(db, entry, idempotencyHash);
      // A conflict writes nothing here either: recordRun decides it once the run is computed.
      const decided = await replayMappedKey(entry, idempotencyHash);
      return decided?.outcome === 'replayed' ? { run: decided.run, resultText: decided.resultText } : null;
    },

    getRun: (runId) => one(db, GET_RUN, [runId], toRun),
    getRunByCorrelation: (correlationId) => one(db, GET_RUN_BY_CORRELATION, [correlationId], toRun),
    getRunByRequestHash: (requestHash) => one(db, GET_RUN_BY_REQUEST_HASH, [requestHash], toRun),
    getRunByIdempotencyKey: (key) => one(db, GET_RUN_BY_IDEMPOTENCY_KEY, [key], toRun),
    getRunInputs: (runId) => one(db, GET_RUN_INPUTS, [runId], toRunInputs),

    async listRuns(filter: RunFilter) {
      const where = new Where()
        .when(isoOrUndefined(filter.created_from), 'created_at >= ?')
        .when(isoOrUndefined(filter.created_to), 'created_at <= ?')
        .when(filter.status, 'status = ?')
        .when(filter.request_hash, 'request_hash = ?')
        .when(filter.portfolio_id, 'portfolio_id = ?');
      return listPage(db,
        { select: `SELECT ${RUN_COLUMNS} FROM dpm_runs`, where, orderTime: 'created_at', orderId: 'rebalance_run_id', direction: 'DESC', cursor: filter.cursor, invalidCursor: INVALID_CURSOR },
        filter.limit,
        toRun,
        (r) => ({ createdAt: r.created_at, id: r.rebalance_run_id }),
      );
    },

    async saveArtifact(runId, artifact, createdAt) {
      await db.execute(
        `INSERT INTO dpm_run_artifacts (rebalance_run_id, artifact_json, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (rebalance_run_id) DO UPDATE SET artifact_json = excluded.artifact_json, created_at = excluded.created_at`,
        [runId, jsonParam(artifact), isoTimestamp(createdAt)],
      );
    },
    getArtifact: (runId) => one(db, 'SELECT artifact_json FROM dpm_run_artifacts WHERE rebalance_run_id = $1', [runId], (row) => row['artifact_json']),

    getIdempotencyMapping: (key) => one(db, GET_MAPPING, [key], toMapping),
    async listIdempotencyHistory(key) {
      const rows = await db.query('SELECT * FROM dpm_run_idempotency_history WHERE idempotency_key = $1 ORDER BY created_at, history_id', [key]);
      return rows.map(toHistory);
    },

    async purgeRunsBefore(cutoff) {
      let total = 0;
      for (;;) {
        const batch = await db.transaction(async (tx) => {
          // Artifacts, mappings, history and decisions go with their run (ON DELETE CASCADE).
          const purged = await tx.query(PURGE_BATCH_SQL, [isoTimestamp(cutoff), PURGE_BATCH_RUNS]);
          const ids = purged.map((row) => String(row['rebalance_run_id']));
          // Only edges that touch a purged run: a correlation id (`c_none`) or key shared with a
          // live run keeps that run's edges (the reference deleted those too).
          await deleteEdgesTouching(tx, ids);
          return ids.length;
        });
        total += batch;
        if (batch < PURGE_BATCH_RUNS) return total;
      }
    },
  };
}
