/** Row → record mappers: the one place where engine differences in returned types are smoothed. */
import type { ReasonCode } from '../../config/reason-codes.ts';
import type { AsyncOperation, IdempotencyHistoryEntry, IdempotencyMapping, LineageEdge, RunInputs, RunRecord, WorkflowDecision } from './port.ts';
import type { Row } from '../sql/executor.ts';
import { leasedOperationFields } from '../sql/operation-leases.ts';
import { text, textOrNull } from '../sql/row-values.ts';

/** What a list answers to a cursor that is not one it issued. */
export const INVALID_CURSOR: ReasonCode = 'DPM_SUPPORTABILITY_INVALID_CURSOR';

const RUN_FIELD_COLUMNS = ['rebalance_run_id', 'correlation_id', 'request_hash', 'idempotency_key', 'portfolio_id', 'status', 'created_at', 'requested_by'];

export const RUN_COLUMNS = [...RUN_FIELD_COLUMNS, 'result_json'].join(', ');

/**
 * A run's columns (prefixed `<alias>.`) with its result as the JSON text it was stored as, in
 * `result_text`: a replay answers that text byte for byte instead of parsing and serialising it
 * again. The cast is a no-op on both engines (PostgreSQL's `json` keeps its input text).
 */
export function storedRunColumns(alias: string): string {
  return [...RUN_FIELD_COLUMNS.map((column) => `${alias}.${column}`), `CAST(${alias}.result_json AS TEXT) AS result_text`].join(', ');
}

/**
 * A row read with `storedRunColumns`: the run, and its result's stored text. The result is parsed
 * on first read of `result_json`: a replay answers `resultText` and never reads it.
 */
export interface StoredRun {
  readonly run: RunRecord;
  readonly resultText: string;
}

export function runFromStoredText(row: Row): StoredRun {
  const resultText = text(row['result_text']);
  let parsed: { readonly value: unknown } | undefined;
  const run = Object.defineProperty(toRun(row), 'result_json', {
    enumerable: true,
    get: () => (parsed ??= { value: JSON.parse(resultText) as unknown }).value,
  });
  return { run, resultText };
}

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
    ...(row['requested_by'] === null || row['requested_by'] === undefined ? {} : { requested_by: text(row['requested_by']) }),
  };
}

/** The columns of RunInputs, in the order `runInputValues` gives them. */
export const RUN_INPUT_COLUMNS = 'request_canonical, effective_options_json, policy_pack_id, policy_pack_version, engine_version';

/** Parameters for RUN_INPUT_COLUMNS (all null for a run recorded without inputs). */
export function runInputValues(inputs: RunInputs | undefined): (string | null)[] {
  if (!inputs) return [null, null, null, null, null];
  return [inputs.request_canonical, JSON.stringify(inputs.effective_options_json), inputs.policy_pack_id, inputs.policy_pack_version, inputs.engine_version];
}

/** Null when the run was recorded without its inputs. */
export function toRunInputs(row: Row): RunInputs | null {
  if (row['request_canonical'] === null || row['request_canonical'] === undefined) return null;
  return {
    request_canonical: text(row['request_canonical']),
    effective_options_json: row['effective_options_json'],
    policy_pack_id: textOrNull(row['policy_pack_id']),
    policy_pack_version: textOrNull(row['policy_pack_version']),
    engine_version: text(row['engine_version']),
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
  return { ...leasedOperationFields(row), operation_type: text(row['operation_type']) };
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
