/**
 * Crash-safe async operations, shared by every store that keeps them: a worker claims an
 * operation with one conditional UPDATE that moves it to RUNNING under its own lease, and only
 * the lease holder may complete it. Of several concurrent claimers exactly one wins (the losers
 * re-check the condition on the row after the winner commits and update nothing); an operation
 * whose worker died is taken over once its lease has expired.
 */
import type { Row, SqlQueryable, SqlValue } from './executor.ts';
import { isoTimestamp } from './where.ts';

export interface LeaseClaim {
  /** Claim this operation if it is PENDING; without it, the oldest claimable one. */
  readonly operationId?: string;
  /**
   * Only RUNNING operations whose lease ran out (their worker died), never PENDING ones — for
   * replicas where pending operations wait for an explicit execute (DPM ACCEPT_ONLY mode).
   */
  readonly abandonedOnly?: boolean;
  readonly workerId: string;
  readonly now: string;
  readonly leaseUntil: string;
}

export interface LeaseCompletion {
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly finished_at: string;
  readonly result_json: unknown;
  readonly error_json: unknown;
}

const json = (value: unknown): string | null => (value === null || value === undefined ? null : JSON.stringify(value));

const ABANDONED = `(status = 'RUNNING' AND lease_expires_at < $1)`;

export async function claimLeasedOperation(db: SqlQueryable, table: string, claim: LeaseClaim): Promise<Row | undefined> {
  const claimable = claim.abandonedOnly ? ABANDONED : `(status = 'PENDING' OR ${ABANDONED})`;
  const params: SqlValue[] = [isoTimestamp(claim.now), claim.workerId, isoTimestamp(claim.leaseUntil)];
  let target: string;
  let condition: string;
  if (claim.operationId === undefined) {
    target = `(SELECT operation_id FROM ${table} WHERE ${claimable} AND request_json IS NOT NULL ORDER BY created_at, operation_id LIMIT 1)`;
    condition = claimable;
  } else {
    params.push(claim.operationId);
    target = '$4';
    condition = "status = 'PENDING'";
  }
  const [row] = await db.query(
    `UPDATE ${table} SET status = 'RUNNING', started_at = COALESCE(started_at, $1), lease_owner = $2, lease_expires_at = $3
     WHERE operation_id = ${target} AND ${condition} RETURNING *`,
    params,
  );
  return row;
}

export async function completeLeasedOperation(
  db: SqlQueryable,
  table: string,
  operationId: string,
  workerId: string,
  completion: LeaseCompletion,
  extra: { column: string; value: SqlValue } | undefined = undefined,
): Promise<boolean> {
  const params: SqlValue[] = [
    operationId,
    workerId,
    completion.status,
    isoTimestamp(completion.finished_at),
    json(completion.result_json),
    json(completion.error_json),
  ];
  const extraSet = extra ? `, ${extra.column} = $7` : '';
  if (extra) params.push(extra.value);
  const changed = await db.execute(
    `UPDATE ${table} SET status = $3, finished_at = $4, result_json = $5, error_json = $6, lease_owner = NULL, lease_expires_at = NULL${extraSet}
     WHERE operation_id = $1 AND lease_owner = $2 AND status = 'RUNNING'`,
    params,
  );
  return changed > 0;
}
