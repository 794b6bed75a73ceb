/**
 * Crash-safe async operations, shared by every store that keeps them: a worker claims an
 * operation with one conditional UPDATE that moves it to RUNNING under its own lease, and only
 * the lease holder may renew or complete it. Of several concurrent claimers exactly one wins (the
 * losers re-check the condition on the row after the winner commits and update nothing); an
 * operation whose worker died is taken over once its lease has expired.
 */
import type { Row, SqlQueryable, SqlValue } from './executor.ts';
import { jsonOrNull, text, textOrNull } from './row-values.ts';
import { isoTimestamp } from './where.ts';
import { jsonParam } from './queries.ts';

/** A worker asking for a lease: the caller's clock, and how long the lease runs from it. */
export interface LeaseRequest {
  readonly workerId: string;
  /** The caller's clock; the lease runs until `now + leaseMs`. */
  readonly now: string;
  readonly leaseMs: number;
}

export interface RunnableClaim extends LeaseRequest {
  /**
   * Only RUNNING operations whose lease ran out (their worker died), never PENDING ones — for
   * replicas where pending operations wait for an explicit execute (DPM ACCEPT_ONLY mode).
   */
  readonly abandonedOnly?: boolean;
}

export type OperationStatus = 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';

/** What every stored async operation has, whatever it runs; each store's record adds its own fields. */
export interface LeasedOperation {
  readonly operation_id: string;
  readonly status: OperationStatus;
  readonly correlation_id: string;
  readonly created_at: string;
  readonly started_at: string | null;
  readonly finished_at: string | null;
  readonly result_json: unknown;
  readonly error_json: unknown;
  /** The accepted request, so any replica can run (or resume) it; operations without one are never claimed. */
  readonly request_json: unknown;
  /** The worker that holds the operation while RUNNING, and until when. */
  readonly lease_owner: string | null;
  readonly lease_expires_at: string | null;
  /** How many times a worker claimed it: more than 1 means its first worker died or lost its database. */
  readonly attempts: number;
}

/** The columns every operations table has, mapped once; each store adds its own. */
export function leasedOperationFields(row: Row): LeasedOperation {
  return {
    operation_id: text(row['operation_id']),
    status: text(row['status']) as OperationStatus,
    correlation_id: text(row['correlation_id']),
    created_at: text(row['created_at']),
    started_at: textOrNull(row['started_at']),
    finished_at: textOrNull(row['finished_at']),
    result_json: jsonOrNull(row['result_json']),
    error_json: jsonOrNull(row['error_json']),
    request_json: jsonOrNull(row['request_json']),
    lease_owner: textOrNull(row['lease_owner']),
    lease_expires_at: textOrNull(row['lease_expires_at']),
    attempts: Number(row['attempts'] ?? 0),
  };
}

/** Operations a worker could claim now, by why (what `claimRunnable` chooses from). */
export interface RunnableCount {
  /** Accepted and never started. */
  readonly pending: number;
  /** RUNNING with a lapsed lease: the worker died or lost its database; the next claim takes one over. */
  readonly leaseExpired: number;
}

export interface LeaseCompletion {
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly finished_at: string;
  readonly result_json: unknown;
  readonly error_json: unknown;
}

/** The lease operations on one operations table; rows come back raw for the store to map. */
export interface OperationLeases {
  /** The oldest runnable operation (with a request payload), claimed; undefined when none is left. */
  claimRunnable(request: RunnableClaim): Promise<Row | undefined>;
  /** How many operations are runnable at `now`; one indexed count (`status`), cheap enough for every metrics scrape. */
  countRunnable(now: string): Promise<RunnableCount>;
  /** This operation, claimed if it is PENDING and has a request payload. */
  claimOperation(request: LeaseRequest & { readonly operationId: string }): Promise<Row | undefined>;
  /** Pushes the lease to `now + leaseMs`; false when the lease was lost. */
  extendLease(request: LeaseRequest & { readonly operationId: string }): Promise<boolean>;
  /** RUNNING → SUCCEEDED/FAILED by the lease holder only, with an optional extra column. */
  complete(operationId: string, workerId: string, completion: LeaseCompletion, extra?: { column: string; value: SqlValue }): Promise<boolean>;
}

// A claimer that loses the race for the oldest runnable operation tries again while runnable
// work is left, so losing never means idling; the bound keeps a pathological race finite.
const CLAIM_ATTEMPTS = 5;
const ABANDONED = `(status = 'RUNNING' AND lease_expires_at < $1)`;

/**
 * The oldest runnable operation's id (`$1` = now): the oldest PENDING one and the oldest RUNNING
 * one whose lease ran out, each the first row of an ordered scan of the `(status, created_at,
 * operation_id)` index, then the older of the two. One `status = 'PENDING' OR …` scan ordered by
 * creation would instead walk every finished operation older than the oldest runnable one.
 */
function oldestRunnable(table: string, abandonedOnly: boolean): string {
  const first = (condition: string, alias: string): string =>
    `SELECT * FROM (SELECT operation_id, created_at FROM ${table} WHERE ${condition} AND request_json IS NOT NULL ORDER BY created_at, operation_id LIMIT 1) AS ${alias}`;
  const candidates = abandonedOnly ? first(ABANDONED, 'abandoned') : `${first("status = 'PENDING'", 'pending')} UNION ALL ${first(ABANDONED, 'abandoned')}`;
  return `SELECT operation_id FROM (${candidates}) AS runnable ORDER BY created_at, operation_id LIMIT 1`;
}

const leaseUntil = (request: LeaseRequest): string => new Date(Date.parse(request.now) + request.leaseMs).toISOString();

export function operationLeases(db: SqlQueryable, table: string): OperationLeases {
  /** Moves the target to RUNNING under the caller's lease if `condition` still holds. */
  async function claim(request: LeaseRequest, target: string, condition: string, extra: SqlValue[]): Promise<Row | undefined> {
    const [row] = await db.query(
      `UPDATE ${table} SET status = 'RUNNING', started_at = COALESCE(started_at, $1), lease_owner = $2, lease_expires_at = $3, attempts = attempts + 1
       WHERE operation_id = ${target} AND ${condition} RETURNING *`,
      [isoTimestamp(request.now), request.workerId, leaseUntil(request), ...extra],
    );
    return row;
  }

  return {
    async claimRunnable(request) {
      const claimable = request.abandonedOnly ? ABANDONED : `(status = 'PENDING' OR ${ABANDONED})`;
      const oldest = oldestRunnable(table, request.abandonedOnly === true);
      for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt += 1) {
        const row = await claim(request, `(${oldest})`, claimable, []);
        if (row) return row;
        const left = await db.query(oldest, [isoTimestamp(request.now)]);
        if (left.length === 0) return undefined;
      }
      return undefined;
    },
    async countRunnable(now) {
      const rows = await db.query(
        `SELECT status, COUNT(*) AS operations FROM ${table} WHERE (status = 'PENDING' OR ${ABANDONED}) AND request_json IS NOT NULL GROUP BY status`,
        [isoTimestamp(now)],
      );
      const count = (status: OperationStatus): number => Number(rows.find((row) => row['status'] === status)?.['operations'] ?? 0);
      return { pending: count('PENDING'), leaseExpired: count('RUNNING') };
    },
    claimOperation: (request) => claim(request, '$4', "status = 'PENDING' AND request_json IS NOT NULL", [request.operationId]),
    async extendLease(request) {
      const changed = await db.execute(`UPDATE ${table} SET lease_expires_at = $3 WHERE operation_id = $1 AND lease_owner = $2 AND status = 'RUNNING'`, [
        request.operationId,
        request.workerId,
        leaseUntil(request),
      ]);
      return changed > 0;
    },
    async complete(operationId, workerId, completion, extra) {
      const params: SqlValue[] = [
        operationId,
        workerId,
        completion.status,
        isoTimestamp(completion.finished_at),
        jsonParam(completion.result_json),
        jsonParam(completion.error_json),
      ];
      const extraSet = extra ? `, ${extra.column} = $7` : '';
      if (extra) params.push(extra.value);
      const changed = await db.execute(
        `UPDATE ${table} SET status = $3, finished_at = $4, result_json = $5, error_json = $6, lease_owner = NULL, lease_expires_at = NULL${extraSet}
         WHERE operation_id = $1 AND lease_owner = $2 AND status = 'RUNNING'`,
        params,
      );
      return changed > 0;
    },
  };
}
