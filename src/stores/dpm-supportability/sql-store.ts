/**
 * The DPM supportability store on the shared SQL layer: the same queries run on SQLite
 * (`:memory:` for IN_MEMORY, a file for SQL) and PostgreSQL. Races are decided by the
 * database — a primary key on the idempotency key, a conditional UPDATE for leases — never
 * by process memory, so several replicas can share one PostgreSQL.
 */
import type { ReasonCode } from '../../config/reason-codes.ts';
import { pageOf, type Page } from '../sql/keyset-cursor.ts';
import { operationLeases } from '../sql/operation-leases.ts';
import { named, SqlConstraintError, type Row, type Sql, type SqlExecutor, type SqlQueryable, type SqlValue } from '../sql/executor.ts';
import { cursorPosition, isoOrUndefined, isoTimestamp, Where } from '../sql/where.ts';
import type {
  AppendDecisionOutcome,
  AsyncOperation,
  DecisionFilter,
  DpmSupportabilityStore,
  IdempotencyHistoryEntry,
  LineageEdge,
  LineageFilter,
  OperationFilter,
  RecordRunInput,
  RecordRunOutcome,
  RunFilter,
  RunInputs,
  RunRecord,
  SupportabilitySummary,
  WorkflowDecision,
} from './port.ts';
import {
  countsOf,
  RUN_COLUMNS,
  RUN_INPUT_COLUMNS,
  runFromStoredText,
  runInputValues,
  storedRunColumns,
  toDecision,
  toEdge,
  toHistory,
  toMapping,
  toOperation,
  toRun,
  toRunInputs,
} from './rows.ts';
import { recordInOneStatement } from './record-run-postgres.ts';
import { insertRefusedAttempt, listRefusedAttempts, type RefusedAttemptTable } from '../sql/refused-attempts.ts';

const INVALID_CURSOR: ReasonCode = 'DPM_SUPPORTABILITY_INVALID_CURSOR';
const REFUSED_ATTEMPTS: RefusedAttemptTable = { table: 'dpm_run_refused_attempts', entityColumn: 'run_id' };
const APPEND_ATTEMPTS = 5;
const EDGE_DELETE_CHUNK = 500;
const EDGE_INSERT_CHUNK = 100;
/** The run's columns as `r.<column>`, for queries joining `dpm_runs r`. */
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
const json = (value: unknown): string | null => (value === null || value === undefined ? null : JSON.stringify(value));

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

/** Multi-row INSERTs (every statement is a round trip on simulate's hot path), chunked under both engines' parameter limits. */
async function insertEdges(tx: SqlQueryable, edges: readonly LineageEdge[]): Promise<void> {
  for (let start = 0; start < edges.length; start += EDGE_INSERT_CHUNK) {
    const chunk = edges.slice(start, start + EDGE_INSERT_CHUNK);
    const rows = chunk.map((_, i) => `($${i * 6 + 1}, $${i * 6 + 2}, $${i * 6 + 3}, $${i * 6 + 4}, $${i * 6 + 5}, $${i * 6 + 6})`);
    await tx.execute(
      `INSERT INTO dpm_lineage_edges (edge_id, source_entity_id, edge_type, target_entity_id, created_at, metadata_json) VALUES ${rows.join(', ')}`,
      chunk.flatMap((edge) => [edge.edge_id, edge.source_entity_id, edge.edge_type, edge.target_entity_id, isoTimestamp(edge.created_at), json(edge.metadata_json)]),
    );
  }
}

const INSERT_HISTORY = named(
  'dpm_insert_history',
  'INSERT INTO dpm_run_idempotency_history (idempotency_key, rebalance_run_id, correlation_id, request_hash, created_at) VALUES ($1, $2, $3, $4, $5)',
);

async function insertHistory(tx: SqlQueryable, entry: IdempotencyHistoryEntry): Promise<void> {
  await tx.execute(INSERT_HISTORY, [entry.idempotency_key, entry.rebalance_run_id, entry.correlation_id, entry.request_hash, isoTimestamp(entry.created_at)]);
}

/** Edges whose source or target is one of `ids`, in chunks that stay under both engines' parameter limits. */
async function deleteEdgesTouching(tx: SqlQueryable, ids: readonly string[]): Promise<void> {
  for (let start = 0; start < ids.length; start += EDGE_DELETE_CHUNK) {
    const chunk = ids.slice(start, start + EDGE_DELETE_CHUNK);
    const list = chunk.map((_, i) => `$${i + 1}`).join(', ');
    await tx.execute(`DELETE FROM dpm_lineage_edges WHERE source_entity_id IN (${list}) OR target_entity_id IN (${list})`, chunk);
  }
}

async function latestDecision(queryable: SqlQueryable, runId: string): Promise<{ decision: WorkflowDecision; seq: number } | null> {
  return one(queryable, 'SELECT * FROM dpm_workflow_decisions WHERE run_id = $1 ORDER BY decision_seq DESC LIMIT 1', [runId], (row) => ({
    decision: toDecision(row),
    seq: Number(row['decision_seq']),
  }));
}

async function one<T>(queryable: SqlQueryable, sql: Sql, params: readonly SqlValue[], map: (row: Record<string, unknown>) => T): Promise<T | null> {
  const [row] = await queryable.query(sql, params);
  return row ? map(row) : null;
}

export function createSqlDpmSupportabilityStore(db: SqlExecutor): DpmSupportabilityStore {
  const leases = operationLeases(db, 'dpm_async_operations');
  const operationOrNull = (row: Row | undefined): AsyncOperation | null => (row ? toOperation(row) : null);
  async function list<T>(
    sql: { select: string; where: Where; orderTime: string; orderId: string; direction: 'ASC' | 'DESC' },
    limit: number,
    map: (row: Record<string, unknown>) => T,
    positionOf: (item: T) => { createdAt: string; id: string },
  ): Promise<Page<T>> {
    const { where, orderTime, orderId, direction } = sql;
    const rows = await db.query(
      `${sql.select} ${where} ORDER BY ${orderTime} ${direction}, ${orderId} ${direction} LIMIT ${where.param(limit + 1)}`,
      where.params,
    );
    return pageOf(rows.map(map), limit, positionOf);
  }

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
   * The common retry: the key is already mapped. One read decides it (replay or conflict) and
   * the history entry is one autocommitted insert — no transaction, no engine-side locking.
   * Anything else (a new key, replay off) goes through the transaction, which settles races.
   */
  async function replayWithoutTransaction(input: RecordRunInput, key: string): Promise<RecordRunOutcome | undefined> {
    const [row] = await db.query(GET_MAPPED_RUN, [key]);
    if (!row) return undefined;
    const stored = runFromStoredText(row);
    if (row['mapped_hash'] !== (input.idempotencyHash ?? input.run.request_hash)) {
      return { outcome: 'conflict', existingRequestHash: String(row['mapped_hash']), existingRunId: stored.run.rebalance_run_id };
    }
    await insertHistory(db, { ...input.run, idempotency_key: key, rebalance_run_id: stored.run.rebalance_run_id });
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
    return input.replay ? replayWithoutTransaction(input, key) : undefined;
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
        .when(filter.portfolio_id, 'portfolio_id = ?')
        .after(cursorPosition(filter.cursor, INVALID_CURSOR), 'created_at', 'rebalance_run_id', 'DESC');
      return list(
        { select: `SELECT ${RUN_COLUMNS} FROM dpm_runs`, where, orderTime: 'created_at', orderId: 'rebalance_run_id', direction: 'DESC' },
        filter.limit,
        toRun,
        (r) => ({ createdAt: r.created_at, id: r.rebalance_run_id }),
      );
    },

    async saveArtifact(runId, artifact, createdAt) {
      await db.execute(
        `INSERT INTO dpm_run_artifacts (rebalance_run_id, artifact_json, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (rebalance_run_id) DO UPDATE SET artifact_json = excluded.artifact_json, created_at = excluded.created_at`,
        [runId, json(artifact), isoTimestamp(createdAt)],
      );
    },
    getArtifact: (runId) => one(db, 'SELECT artifact_json FROM dpm_run_artifacts WHERE rebalance_run_id = $1', [runId], (row) => row['artifact_json']),

    getIdempotencyMapping: (key) => one(db, GET_MAPPING, [key], toMapping),
    async listIdempotencyHistory(key) {
      const rows = await db.query('SELECT * FROM dpm_run_idempotency_history WHERE idempotency_key = $1 ORDER BY created_at, history_id', [key]);
      return rows.map(toHistory);
    },

    async createOperation(operation, lineage) {
      await db.transaction(async (tx) => {
        await tx.execute(
          `INSERT INTO dpm_async_operations (operation_id, operation_type, status, correlation_id, created_at, started_at, finished_at,
             result_json, error_json, request_json, lease_owner, lease_expires_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
          [
            operation.operation_id,
            operation.operation_type,
            operation.status,
            operation.correlation_id,
            isoTimestamp(operation.created_at),
            isoOrUndefined(operation.started_at ?? undefined) ?? null,
            isoOrUndefined(operation.finished_at ?? undefined) ?? null,
            json(operation.result_json),
            json(operation.error_json),
            json(operation.request_json),
            operation.lease_owner,
            isoOrUndefined(operation.lease_expires_at ?? undefined) ?? null,
          ],
        );
        await insertEdges(tx, lineage);
      });
    },
    getOperation: (operationId) => one(db, 'SELECT * FROM dpm_async_operations WHERE operation_id = $1', [operationId], toOperation),
    getOperationByCorrelation: (correlationId) =>
      one(db, 'SELECT * FROM dpm_async_operations WHERE correlation_id = $1 ORDER BY created_at DESC, operation_id DESC LIMIT 1', [correlationId], toOperation),
    async listOperations(filter: OperationFilter) {
      const where = new Where()
        .when(isoOrUndefined(filter.created_from), 'created_at >= ?')
        .when(isoOrUndefined(filter.created_to), 'created_at <= ?')
        .when(filter.operation_type, 'operation_type = ?')
        .when(filter.status, 'status = ?')
        .when(filter.correlation_id, 'correlation_id = ?')
        .after(cursorPosition(filter.cursor, INVALID_CURSOR), 'created_at', 'operation_id', 'DESC');
      return list(
        { select: 'SELECT * FROM dpm_async_operations', where, orderTime: 'created_at', orderId: 'operation_id', direction: 'DESC' },
        filter.limit,
        toOperation,
        (o) => ({ createdAt: o.created_at, id: o.operation_id }),
      );
    },
    claimRunnable: async (request) => operationOrNull(await leases.claimRunnable(request)),
    countRunnableOperations: (now) => leases.countRunnable(now),
    claimOperation: async (request) => operationOrNull(await leases.claimOperation(request)),
    extendLease: (request) => leases.extendLease(request),
    completeOperation: (operationId, workerId, success) =>
      leases.complete(operationId, workerId, { status: 'SUCCEEDED', finished_at: success.finished_at, result_json: success.result_json, error_json: null }),
    failOperation: (operationId, workerId, failure) =>
      leases.complete(operationId, workerId, { status: 'FAILED', finished_at: failure.finished_at, result_json: null, error_json: failure.error_json }),
    async purgeExpiredOperations({ cutoff, now }) {
      return db.transaction(async (tx) => {
        const purged = await tx.query(
          `DELETE FROM dpm_async_operations
           WHERE COALESCE(finished_at, created_at) < $1 AND (status <> 'RUNNING' OR lease_expires_at IS NULL OR lease_expires_at < $2)
           RETURNING operation_id`,
          [isoTimestamp(cutoff), isoTimestamp(now)],
        );
        const ids = purged.map((row) => String(row['operation_id']));
        await deleteEdgesTouching(tx, ids);
        return ids.length;
      });
    },

    async appendWorkflowDecision(decision, guard) {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await db.transaction(async (tx): Promise<AppendDecisionOutcome> => {
            const latest = await latestDecision(tx, decision.run_id);
            if (guard && (latest?.decision.decision_id ?? null) !== guard.expectedLatestDecisionId) {
              return { outcome: 'stale', latest: latest?.decision ?? null };
            }
            await tx.execute(
              `INSERT INTO dpm_workflow_decisions (decision_id, run_id, action, reason_code, comment, actor_id, decided_at, correlation_id, decision_seq)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
              [
                decision.decision_id,
                decision.run_id,
                decision.action,
                decision.reason_code,
                decision.comment,
                decision.actor_id,
                isoTimestamp(decision.decided_at),
                decision.correlation_id,
                (latest?.seq ?? 0) + 1,
              ],
            );
            return { outcome: 'appended', decision };
          });
        } catch (error) {
          // A concurrent append took the next sequence number of this run (UNIQUE (run_id, seq)).
          if (!(error instanceof SqlConstraintError && error.kind === 'unique')) throw error;
          const duplicateId = await db.query('SELECT decision_id FROM dpm_workflow_decisions WHERE decision_id = $1', [decision.decision_id]);
          if (duplicateId.length > 0 || attempt >= APPEND_ATTEMPTS) throw error;
          if (guard) return { outcome: 'stale', latest: (await latestDecision(db, decision.run_id))?.decision ?? null };
        }
      }
    },
    async listWorkflowDecisions(runId) {
      return (await db.query('SELECT * FROM dpm_workflow_decisions WHERE run_id = $1 ORDER BY decision_seq', [runId])).map(toDecision);
    },
    recordRefusedAttempt: (attempt) => insertRefusedAttempt(db, REFUSED_ATTEMPTS, attempt),
    listRefusedAttempts: (runId) => listRefusedAttempts(db, REFUSED_ATTEMPTS, runId),
    async listWorkflowDecisionsFiltered(filter: DecisionFilter) {
      const where = new Where()
        .when(filter.rebalance_run_id, 'run_id = ?')
        .when(filter.action, 'action = ?')
        .when(filter.actor_id, 'actor_id = ?')
        .when(filter.reason_code, 'reason_code = ?')
        .when(isoOrUndefined(filter.decided_from), 'decided_at >= ?')
        .when(isoOrUndefined(filter.decided_to), 'decided_at <= ?')
        .after(cursorPosition(filter.cursor, INVALID_CURSOR), 'decided_at', 'decision_id', 'DESC');
      return list(
        { select: 'SELECT * FROM dpm_workflow_decisions', where, orderTime: 'decided_at', orderId: 'decision_id', direction: 'DESC' },
        filter.limit,
        toDecision,
        (d) => ({ createdAt: d.decided_at, id: d.decision_id }),
      );
    },

    async appendLineageEdges(edges) {
      if (edges.length > 0) await db.transaction((tx) => insertEdges(tx, edges));
    },
    async listLineageEdges(entityId: string, filter: LineageFilter) {
      const where = new Where();
      const id = where.param(entityId);
      where
        .add(`(source_entity_id = ${id} OR target_entity_id = ${id})`)
        .when(filter.edge_type, 'edge_type = ?')
        .when(isoOrUndefined(filter.created_from), 'created_at >= ?')
        .when(isoOrUndefined(filter.created_to), 'created_at <= ?')
        .after(cursorPosition(filter.cursor, INVALID_CURSOR), 'created_at', 'edge_id', 'ASC');
      return list(
        { select: 'SELECT * FROM dpm_lineage_edges', where, orderTime: 'created_at', orderId: 'edge_id', direction: 'ASC' },
        filter.limit,
        toEdge,
        (e) => ({ createdAt: e.created_at, id: e.edge_id }),
      );
    },

    async summary(): Promise<SupportabilitySummary> {
      const [runs] = await db.query('SELECT COUNT(*) AS n, MIN(created_at) AS oldest, MAX(created_at) AS newest FROM dpm_runs');
      const [operations] = await db.query('SELECT COUNT(*) AS n, MIN(created_at) AS oldest, MAX(created_at) AS newest FROM dpm_async_operations');
      const [decisions] = await db.query('SELECT COUNT(*) AS n FROM dpm_workflow_decisions');
      const [edges] = await db.query('SELECT COUNT(*) AS n FROM dpm_lineage_edges');
      const grouped = (table: string, column: string) =>
        db.query(`SELECT ${column} AS key, COUNT(*) AS n FROM ${table} WHERE ${column} <> '' GROUP BY ${column} ORDER BY ${column}`);
      const nullable = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));
      return {
        run_count: Number(runs?.['n'] ?? 0),
        operation_count: Number(operations?.['n'] ?? 0),
        operation_status_counts: countsOf(await grouped('dpm_async_operations', 'status')),
        run_status_counts: countsOf(await grouped('dpm_runs', 'status')),
        workflow_decision_count: Number(decisions?.['n'] ?? 0),
        workflow_action_counts: countsOf(await grouped('dpm_workflow_decisions', 'action')),
        workflow_reason_code_counts: countsOf(await grouped('dpm_workflow_decisions', 'reason_code')),
        lineage_edge_count: Number(edges?.['n'] ?? 0),
        oldest_run_created_at: nullable(runs?.['oldest']),
        newest_run_created_at: nullable(runs?.['newest']),
        oldest_operation_created_at: nullable(operations?.['oldest']),
        newest_operation_created_at: nullable(operations?.['newest']),
      };
    },

    async purgeRunsBefore(cutoff) {
      return db.transaction(async (tx) => {
        // Artifacts, mappings, history and decisions go with their run (ON DELETE CASCADE).
        const purged = await tx.query('DELETE FROM dpm_runs WHERE created_at < $1 RETURNING rebalance_run_id', [isoTimestamp(cutoff)]);
        const ids = purged.map((row) => String(row['rebalance_run_id']));
        // Only edges that touch a purged run: a correlation id (`c_none`) or key shared with a
        // live run keeps that run's edges (the reference deleted those too).
        await deleteEdgesTouching(tx, ids);
        return ids.length;
      });
    },

    async ping() {
      await db.query('SELECT 1 AS ok');
    },
    close: () => db.close(),
  };
}

