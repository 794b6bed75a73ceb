/** Row → record mappers: the one place where engine differences in returned types are smoothed. */
import type { AsyncOperation, IdempotencyHistoryEntry, IdempotencyMapping, LineageEdge, RunRecord, WorkflowDecision } from './port.ts';
import type { Row } from '../sql/executor.ts';

const text = (value: unknown): string => String(value);
const textOrNull = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));
const jsonOrNull = (value: unknown): unknown => (value === undefined ? null : value);

export const RUN_COLUMNS = 'rebalance_run_id, correlation_id, request_hash, idempotency_key, portfolio_id, status, created_at, result_json';

export function toRun(row: Row): RunRecord {
  return {
    rebalance_run_id: text(row['rebalance_run_id']),
    correlation_id: text(row['correlation_id']),
    request_hash: text(row['request_hash']),
    idempotency_key: textOrNull(row['idempotency_key']),
    portfolio_id: text(row['portfolio_id']),
    status: text(row['status']),
    created_at: text(row['created_at']),
    result_json: row['result_json'],
  };
}

export function toMapping(row: Row): IdempotencyMapping {
  return {
    idempotency_key: text(row['idempotency_key']),
    request_hash: text(row['request_hash']),
    rebalance_run_id: text(row['rebalance_run_id']),
    created_at: text(row['created_at']),
  };
}

export function toHistory(row: Row): IdempotencyHistoryEntry {
  return {
    idempotency_key: text(row['idempotency_key']),
    rebalance_run_id: text(row['rebalance_run_id']),
    correlation_id: text(row['correlation_id']),
    request_hash: text(row['request_hash']),
    created_at: text(row['created_at']),
  };
}

export function toOperation(row: Row): AsyncOperation {
  return {
    operation_id: text(row['operation_id']),
    operation_type: text(row['operation_type']),
    status: text(row['status']) as AsyncOperation['status'],
    correlation_id: text(row['correlation_id']),
    created_at: text(row['created_at']),
    started_at: textOrNull(row['started_at']),
    finished_at: textOrNull(row['finished_at']),
    result_json: jsonOrNull(row['result_json']),
    error_json: jsonOrNull(row['error_json']),
    request_json: jsonOrNull(row['request_json']),
    lease_owner: textOrNull(row['lease_owner']),
    lease_expires_at: textOrNull(row['lease_expires_at']),
  };
}

export function toDecision(row: Row): WorkflowDecision {
  return {
    decision_id: text(row['decision_id']),
    run_id: text(row['run_id']),
    action: text(row['action']),
    reason_code: text(row['reason_code']),
    comment: textOrNull(row['comment']),
    actor_id: text(row['actor_id']),
    decided_at: text(row['decided_at']),
    correlation_id: text(row['correlation_id']),
  };
}

export function toEdge(row: Row): LineageEdge {
  return {
    edge_id: text(row['edge_id']),
    source_entity_id: text(row['source_entity_id']),
    edge_type: text(row['edge_type']),
    target_entity_id: text(row['target_entity_id']),
    created_at: text(row['created_at']),
    metadata_json: row['metadata_json'],
  };
}

/** `[{key, n}]` rows → `{key: n}`; counts arrive as strings from PostgreSQL. */
export function countsOf(rows: readonly Row[]): Record<string, number> {
  return Object.fromEntries(rows.map((row) => [text(row['key']), Number(row['n'])]));
}
