/**
 * DPM async operations (docs/dpm-api.md#async-operations): accept an analyze batch as a durable
 * operation, run it under a lease (inline in the accepting request, by manual execute, or by the
 * background worker), and look operations up.
 *
 * Departures from the reference, on purpose:
 * - The operation and its OPERATION_TO_CORRELATION edge are stored in one transaction before
 *   the 202 goes out, so an accepted operation is never lost.
 * - PENDING → RUNNING is an atomic claim under a lease: of two executes, one runs and the other
 *   gets 409. Only the lease holder may complete, so an operation finishes exactly once even when a
 *   worker elsewhere took it over after this process died.
 * - The 202 body carries the operation's real status: SUCCEEDED or FAILED after an INLINE run,
 *   PENDING in ACCEPT_ONLY mode.
 * - TTL expiry is applied on read (an expired operation is 404 at once) while the actual purge runs
 *   on a timer, never on the request path; a RUNNING operation whose lease is live never expires
 *   mid-flight.
 */
import { ReasonError } from '../../config/reason-codes.ts';
import type { DpmAsyncExecutionMode } from '../../config/dpm-settings.ts';
import { validateBatchRebalanceRequest, type BatchRebalanceRequest } from '../../domain/dpm/index.ts';
import { isStoreOutage } from '../../stores/postgres/errors.ts';
import type { AsyncOperation, DpmRunStore, OperationFilter, OperationStatus, Page } from '../../stores/dpm-runs/port.ts';
import { operationBatchRunId, type DpmAnalyzeService } from './analyze.ts';
import { isEngineBusy } from '../engine/engine-pool.ts';
import { NO_POLICY_HEADERS, type PolicyHeaders } from './policy-context.ts';
import { newId } from '../ids.ts';
import { leaseHolder, newLeaseOwner } from '../operations/lease-owner.ts';
import { leaseFields, NOT_STARTED, withLeaseHeartbeat } from '../operations/worker.ts';
import { activeTraceCarrier, SpanKind, storedTraceCarrier, withSubmittedTrace, type TraceCarrier } from '../observability/telemetry.ts';

export const ANALYZE_SCENARIOS = 'ANALYZE_SCENARIOS';

export interface DpmOperationSettings {
  readonly executionMode: DpmAsyncExecutionMode;
  readonly ttlSeconds: number;
  readonly leaseMs: number;
}

/**
 * The stored request: the parsed batch plus the raw policy headers, resolved again at execution,
 * and the verified subject who submitted it (the requester of its runs, whoever executes it).
 */
interface StoredRequest {
  readonly batch_request: unknown;
  readonly requested_by?: string;
  /** The submitting request's trace, continued by whichever process runs the operation. */
  readonly trace_context?: TraceCarrier;
  readonly policy_context?: {
    readonly request_policy_pack_id: string | null;
    readonly tenant_default_policy_pack_id: null;
    readonly tenant_id: string | null;
  };
}

export type ExecuteOutcome =
  | { readonly outcome: 'not_found' }
  | { readonly outcome: 'not_executable'; readonly status: string }
  | { readonly outcome: 'done'; readonly operation: AsyncOperation };

export interface DpmOperationService {
  /** Stores a validated batch as a PENDING operation (and runs it in INLINE mode); returns it as it is now. */
  submit(command: {
    readonly request: BatchRebalanceRequest;
    readonly correlationId: string;
    readonly policy?: PolicyHeaders;
    /** The verified subject submitting (null without authentication). */
    readonly requestedBy?: string | null;
  }): Promise<AsyncOperation>;
  get(operationId: string): Promise<AsyncOperation | null>;
  getByCorrelation(correlationId: string): Promise<AsyncOperation | null>;
  list(filter: OperationFilter): Promise<Page<AsyncOperation>>;
  /** Manual execute: claims a PENDING operation and runs it to its end. */
  execute(operationId: string): Promise<ExecuteOutcome>;
  /** Runs an operation this process already claimed (the background worker's `run`). */
  runClaimed(operation: AsyncOperation): Promise<void>;
  /** Deletes operations past their TTL (called on a timer). */
  purgeExpired(): Promise<number>;
}

export interface DpmOperationServiceDeps {
  readonly store: DpmRunStore;
  readonly analyze: Pick<DpmAnalyzeService, 'runBatch'>;
  readonly settings: DpmOperationSettings;
  readonly now?: () => Date;
  /** Hears every state this process moves an operation into (metrics). */
  readonly onStateChange?: (state: AsyncOperation['status']) => void;
}

/** The operation's failure as stored: `{code, message}` with the error's class name as code, like the reference (or its reason code). */
function failureOf(error: unknown): { code: string; message: string } {
  if (error instanceof ReasonError) return { code: error.fullCode, message: error.message };
  if (error instanceof Error) return { code: error.name, message: error.message };
  return { code: 'Error', message: String(error) };
}

export function createDpmOperationService(deps: DpmOperationServiceDeps): DpmOperationService {
  const { store, settings } = deps;
  const now = deps.now ?? (() => new Date());
  const noted = (state: AsyncOperation['status']): void => deps.onStateChange?.(state);

  /** Past its TTL (the purge rule of the store), so already gone for every caller. */
  function expired(operation: AsyncOperation): boolean {
    const at = now().getTime();
    if (operation.status === 'RUNNING' && operation.lease_expires_at !== null && Date.parse(operation.lease_expires_at) >= at) return false;
    return Date.parse(operation.finished_at ?? operation.created_at) < at - settings.ttlSeconds * 1000;
  }
  const live = (operation: AsyncOperation | null): AsyncOperation | null => (operation && !expired(operation) ? operation : null);

  async function runStored(operation: AsyncOperation, signal: AbortSignal): Promise<unknown> {
    const stored = operation.request_json as StoredRequest | Record<string, unknown>;
    // A request without `batch_request` is the reference's legacy shape: the batch itself, no policy context.
    const isWrapped = typeof stored === 'object' && stored !== null && 'batch_request' in stored;
    const body = isWrapped ? (stored as StoredRequest).batch_request : stored;
    const context = isWrapped ? (stored as StoredRequest).policy_context : undefined;
    const requestedBy = isWrapped ? ((stored as StoredRequest).requested_by ?? null) : null;
    const validated = validateBatchRebalanceRequest(body);
    if (!validated.ok) {
      const error = new Error(validated.problems.map((p) => `${p.field}: ${p.message}`).join('; '));
      error.name = 'ValidationError';
      throw error;
    }
    return deps.analyze.runBatch(validated.value, {
      batchRunId: operationBatchRunId(operation.operation_id),
      correlationRoot: operation.correlation_id,
      policy: context ? { requestPolicyPackId: context.request_policy_pack_id, tenantId: context.tenant_id } : NO_POLICY_HEADERS,
      operationId: operation.operation_id,
      signal,
      requestedBy,
    });
  }

  async function runClaimed(operation: AsyncOperation): Promise<void> {
    const workerId = leaseHolder(operation);
    const id = operation.operation_id;
    noted('RUNNING');
    const renew = () => store.extendLease({ operationId: id, workerId, now: now().toISOString(), leaseMs: settings.leaseMs });
    let leaseLost: AbortSignal | undefined;
    try {
      const span = { kind: SpanKind.CONSUMER, attributes: { 'dpm.operation_id': id, 'dpm.operation_type': operation.operation_type } };
      const result = await withSubmittedTrace(storedTraceCarrier(operation.request_json), 'dpm.operation', span, () =>
        withLeaseHeartbeat(renew, settings.leaseMs, (signal) => {
          leaseLost = signal;
          return runStored(operation, signal);
        }),
      );
      if (await store.completeOperation(id, workerId, { finished_at: now().toISOString(), result_json: result })) noted('SUCCEEDED');
    } catch (error) {
      // Another worker holds the operation now; its outcome is the one that counts.
      if (leaseLost?.aborted) return;
      // A store outage or a busy engine is not the operation's fault: it stays RUNNING and is taken over once the lease runs out.
      if (isStoreOutage(error) || isEngineBusy(error)) throw error;
      if (await store.failOperation(id, workerId, { finished_at: now().toISOString(), error_json: failureOf(error) })) noted('FAILED');
    }
  }

  const lease = (workerId: string) => ({ workerId, now: now().toISOString(), leaseMs: settings.leaseMs });

  return {
    async submit({ request: batch, correlationId, policy = NO_POLICY_HEADERS, requestedBy = null }) {
      const createdAt = now().toISOString();
      const operationId = newId('dop');
      const traceContext = activeTraceCarrier();
      const request: StoredRequest = {
        batch_request: batch,
        policy_context: { request_policy_pack_id: policy.requestPolicyPackId, tenant_default_policy_pack_id: null, tenant_id: policy.tenantId },
        ...(requestedBy === null ? {} : { requested_by: requestedBy }),
        ...(traceContext === undefined ? {} : { trace_context: traceContext }),
      };
      // INLINE: the operation is born RUNNING under this request's lease, so no worker can take it
      // between its creation and its run; if this process dies, the lease runs out and one does.
      const inline = settings.executionMode === 'INLINE';
      const accepted: AsyncOperation = {
        ...NOT_STARTED,
        operation_id: operationId,
        operation_type: ANALYZE_SCENARIOS,
        correlation_id: correlationId,
        created_at: createdAt,
        request_json: request,
        ...(inline
          ? {
              status: 'RUNNING',
              started_at: createdAt,
              lease_owner: newLeaseOwner(),
              lease_expires_at: new Date(Date.parse(createdAt) + settings.leaseMs).toISOString(),
              attempts: 1,
            }
          : {}),
      };
      await store.createOperation(
        accepted,
        [
          {
            edge_id: newId('dle'),
            source_entity_id: operationId,
            edge_type: 'OPERATION_TO_CORRELATION',
            target_entity_id: correlationId,
            created_at: createdAt,
            metadata_json: { operation_type: ANALYZE_SCENARIOS },
          },
        ],
      );
      if (inline) await runClaimed(accepted);
      else noted('PENDING');
      const current = await store.getOperation(operationId);
      if (!current) throw new Error(`Operation ${operationId} vanished right after it was accepted.`);
      return current;
    },

    get: async (operationId) => live(await store.getOperation(operationId)),
    getByCorrelation: async (correlationId) => live(await store.getOperationByCorrelation(correlationId)),
    async list(filter) {
      const page = await store.listOperations(filter);
      return { items: page.items.filter((operation) => !expired(operation)), nextCursor: page.nextCursor };
    },

    async execute(operationId) {
      const existing = live(await store.getOperation(operationId));
      if (!existing) return { outcome: 'not_found' };
      const claimed = await store.claimOperation({ ...lease(newLeaseOwner()), operationId });
      if (!claimed) return { outcome: 'not_executable', status: (await store.getOperation(operationId))?.status ?? existing.status };
      await runClaimed(claimed);
      const finished = await store.getOperation(operationId);
      return finished ? { outcome: 'done', operation: finished } : { outcome: 'not_found' };
    },

    runClaimed,

    purgeExpired() {
      const at = now();
      return store.purgeExpiredOperations({ cutoff: new Date(at.getTime() - settings.ttlSeconds * 1000).toISOString(), now: at.toISOString() });
    },
  };
}

/** `is_executable` (docs/dpm-api.md#async-operations): PENDING with a request to run. */
export function isExecutable(operation: AsyncOperation): boolean {
  return operation.status === 'PENDING' && operation.request_json !== null && operation.request_json !== undefined;
}

export interface OperationListItem {
  readonly operation_id: string;
  readonly operation_type: string;
  readonly status: OperationStatus;
  readonly correlation_id: string;
  readonly is_executable: boolean;
  readonly created_at: string;
  readonly started_at: string | null;
  readonly finished_at: string | null;
  readonly attempts: number;
  readonly lease_owner: string | null;
  readonly lease_expires_at: string | null;
}

export interface OperationStatusPayload extends OperationListItem {
  readonly result: unknown;
  readonly error: { readonly code: string; readonly message: string } | null;
}

export interface OperationAcceptedPayload {
  readonly operation_id: string;
  readonly operation_type: string;
  readonly status: OperationStatus;
  readonly correlation_id: string;
  readonly created_at: string;
  readonly status_url: string;
  readonly execute_url: string;
}

/** `DpmAsyncOperationStatusResponse`. */
export function operationStatus(operation: AsyncOperation): OperationStatusPayload {
  return {
    operation_id: operation.operation_id,
    operation_type: operation.operation_type,
    status: operation.status,
    is_executable: isExecutable(operation),
    correlation_id: operation.correlation_id,
    created_at: operation.created_at,
    started_at: operation.started_at,
    finished_at: operation.finished_at,
    ...leaseFields(operation),
    result: operation.result_json ?? null,
    error: (operation.error_json as OperationStatusPayload['error'] | undefined) ?? null,
  };
}

/** A list item: the status without result and error. */
export function operationListItem(operation: AsyncOperation): OperationListItem {
  return {
    operation_id: operation.operation_id,
    operation_type: operation.operation_type,
    status: operation.status,
    correlation_id: operation.correlation_id,
    is_executable: isExecutable(operation),
    created_at: operation.created_at,
    started_at: operation.started_at,
    finished_at: operation.finished_at,
    ...leaseFields(operation),
  };
}

/** `DpmAsyncAcceptedResponse`, with the operation's real status. */
export function operationAccepted(operation: AsyncOperation): OperationAcceptedPayload {
  return {
    operation_id: operation.operation_id,
    operation_type: operation.operation_type,
    status: operation.status,
    correlation_id: operation.correlation_id,
    created_at: operation.created_at,
    status_url: `/rebalance/operations/${operation.operation_id}`,
    execute_url: `/rebalance/operations/${operation.operation_id}/execute`,
  };
}
