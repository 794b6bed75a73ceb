/**
 * Async operations of the DPM run store: created with their lineage, read, listed, leased to a
 * worker (src/stores/sql/operation-leases.ts decides every race) and purged after their TTL.
 */
import type { Row, SqlExecutor } from '../sql/executor.ts';
import { operationLeases } from '../sql/operation-leases.ts';
import { jsonParam, listPage, one } from '../sql/queries.ts';
import { isoOrUndefined, isoTimestamp, Where } from '../sql/where.ts';
import { deleteEdgesTouching, insertEdges } from './lineage.ts';
import type { AsyncOperation, DpmRunStore, OperationFilter } from './port.ts';
import { INVALID_CURSOR, toOperation } from './rows.ts';

type OperationQueries = Pick<
  DpmRunStore,
  | 'createOperation'
  | 'getOperation'
  | 'getOperationByCorrelation'
  | 'listOperations'
  | 'claimRunnable'
  | 'countRunnableOperations'
  | 'claimOperation'
  | 'extendLease'
  | 'completeOperation'
  | 'failOperation'
  | 'purgeExpiredOperations'
>;

export function operationQueries(db: SqlExecutor): OperationQueries {
  const leases = operationLeases(db, 'dpm_async_operations');
  const operationOrNull = (row: Row | undefined): AsyncOperation | null => (row ? toOperation(row) : null);
  return {
    async createOperation(operation, lineage) {
      await db.transaction(async (tx) => {
        await tx.execute(
          `INSERT INTO dpm_async_operations (operation_id, operation_type, status, correlation_id, created_at, started_at, finished_at,
             result_json, error_json, request_json, lease_owner, lease_expires_at, attempts)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
          [
            operation.operation_id,
            operation.operation_type,
            operation.status,
            operation.correlation_id,
            isoTimestamp(operation.created_at),
            isoOrUndefined(operation.started_at ?? undefined) ?? null,
            isoOrUndefined(operation.finished_at ?? undefined) ?? null,
            jsonParam(operation.result_json),
            jsonParam(operation.error_json),
            jsonParam(operation.request_json),
            operation.lease_owner,
            isoOrUndefined(operation.lease_expires_at ?? undefined) ?? null,
            operation.attempts,
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
        .when(filter.correlation_id, 'correlation_id = ?');
      return listPage(db,
        { select: 'SELECT * FROM dpm_async_operations', where, orderTime: 'created_at', orderId: 'operation_id', direction: 'DESC', cursor: filter.cursor, invalidCursor: INVALID_CURSOR },
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
  };
}
