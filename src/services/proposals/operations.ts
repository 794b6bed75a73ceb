/**
 * Async proposal creates and versions (docs/advisory.md#async-operations), durable and crash-safe:
 * the accepted request is stored with the operation before 202 is answered, and a worker loop in
 * any replica claims it under a lease, renews the lease while it runs, and completes it. If the
 * worker dies the lease lapses and another worker (or the restarted process) runs it again; the run
 * is idempotent — it reuses the client's Idempotency-Key, or a version without one claims the key
 * `pop:<operation_id>` — so the proposal or version is written exactly once however often the
 * operation is run.
 *
 * Submissions are idempotent too, decided in the database: the Idempotency-Key (required for a
 * create, optional for a version) is claimed with the operation, so concurrent submissions with
 * one key make one operation, and every repeat answers the first one's 202 (`replayed`); the same
 * key with another request is 409 IDEMPOTENCY_KEY_CONFLICT.
 *
 * A refusal (validation, flag, idempotency conflict, state) or an engine timeout fails the
 * operation with `{code, message}`. A store outage or a busy engine pool leaves it RUNNING for
 * the lease to lapse, so it is retried when the database (or the pool) is back; any other error
 * is a bug and fails it with INTERNAL_ERROR (it would fail again on every retry).
 */
import { ReasonError, REASON_CODES, type ReasonCode } from '../../config/reason-codes.ts';
import type { ProposalOperation, ProposalStore } from '../../stores/proposals/port.ts';
import { leaseHolder, newLeaseOwner, PROCESS_WORKER_ID } from '../operations/lease-owner.ts';
import { NOT_STARTED, withLeaseHeartbeat } from '../operations/worker.ts';
import { idempotencyKeyConflict, type ProposalLifecycleService, type WriteResult } from './lifecycle.ts';
import { createRequestHash, newId, simulateRequestOf, versionRequestHash, type CreateProposalBody, type CreateVersionBody } from './records.ts';
import { operationStatus, statusUrl, type AcceptedView, type OperationStatusView } from './wire.ts';
import { activeTraceCarrier, SpanKind, storedTraceCarrier, withSubmittedTrace, type TraceCarrier } from '../observability/telemetry.ts';

/** What is stored with an operation so any replica can run it (with the submitting request's trace, when there is one). */
type OperationRequest = (
  | { readonly kind: 'CREATE_PROPOSAL'; readonly body: CreateProposalBody; readonly idempotency_key: string; readonly correlation_id: string }
  | {
      readonly kind: 'CREATE_PROPOSAL_VERSION';
      readonly body: CreateVersionBody;
      readonly proposal_id: string;
      readonly correlation_id: string;
      /** Absent from operations accepted without a key (and before versions took one). */
      readonly idempotency_key?: string;
    }
) & { readonly trace_context?: TraceCarrier };

export interface ProposalOperationsDeps {
  readonly store: ProposalStore;
  readonly lifecycle: ProposalLifecycleService;
  readonly leaseMs: number;
  readonly now?: () => Date;
  /** Told when an operation was accepted, so a local worker can start it at once. */
  readonly onAccepted?: () => void;
  /** Errors of lease renewals (the operation goes on; the store decides who may finish it). */
  readonly onError?: (error: unknown) => void;
  /** The process's identity in lease owners (default: this process); tests run several workers in one process. */
  readonly workerId?: string;
}

export interface ProposalOperations {
  /** The 202 answer; `replayed` when the key was already taken by the same request. */
  submitCreate(command: { body: CreateProposalBody; idempotencyKey: string; correlationId: string }): Promise<WriteResult<AcceptedView>>;
  submitVersion(command: { proposalId: string; body: CreateVersionBody; idempotencyKey?: string | undefined; correlationId: string }): Promise<WriteResult<AcceptedView>>;
  get(operationId: string): Promise<OperationStatusView>;
  getByCorrelation(correlationId: string): Promise<OperationStatusView>;
  /** The worker loop's claim: the oldest runnable operation, leased to this process. */
  claim(): Promise<ProposalOperation | null>;
  /** Runs a claimed operation and records its outcome. */
  run(operation: ProposalOperation): Promise<void>;
}

const found = (op: ProposalOperation | null): OperationStatusView => {
  if (!op) throw new ReasonError('PROPOSAL_ASYNC_OPERATION_NOT_FOUND', 'No async proposal operation matches.');
  return operationStatus(op);
};

export function createProposalOperations(deps: ProposalOperationsDeps): ProposalOperations {
  const { store, lifecycle, leaseMs } = deps;
  const now = deps.now ?? (() => new Date());
  const workerId = deps.workerId ?? PROCESS_WORKER_ID;
  const onError = deps.onError ?? (() => undefined);

  /** The 202 body: the operation as it was accepted, so a replay answers exactly what the first submission did. */
  const acceptedBody = (operation: ProposalOperation): AcceptedView => ({
    operation_id: operation.operation_id,
    operation_type: operation.operation_type,
    status: NOT_STARTED.status,
    correlation_id: operation.correlation_id,
    created_at: operation.created_at,
    status_url: statusUrl(operation.operation_id),
  });

  async function accept(
    request: OperationRequest,
    fields: { idempotency_key: string | null; proposal_id: string | null; created_by: string },
    requestHash: string,
  ): Promise<WriteResult<AcceptedView>> {
    const traceContext = activeTraceCarrier();
    const operation: ProposalOperation = {
      ...NOT_STARTED,
      operation_id: newId('pop'),
      operation_type: request.kind,
      correlation_id: request.correlation_id,
      ...fields,
      created_at: now().toISOString(),
      request_json: traceContext === undefined ? request : { ...request, trace_context: traceContext },
    };
    const key = fields.idempotency_key;
    const submission = await store.createOperation(operation, key === null ? undefined : { key, request_hash: requestHash });
    if (submission.outcome === 'idempotency_conflict') throw idempotencyKeyConflict();
    if (submission.outcome === 'created') deps.onAccepted?.();
    return { replayed: submission.outcome === 'existing', response: acceptedBody(submission.operation) };
  }

  function execute(op: ProposalOperation) {
    const request = op.request_json as OperationRequest;
    if (request.kind === 'CREATE_PROPOSAL') {
      return lifecycle.create({ body: request.body, idempotencyKey: request.idempotency_key, correlationId: request.correlation_id });
    }
    return lifecycle.createVersion({
      proposalId: request.proposal_id,
      body: request.body,
      idempotencyKey: request.idempotency_key ?? `pop:${op.operation_id}`,
      correlationId: request.correlation_id,
    });
  }

  return {
    // Refuse what can never succeed now (an invalid simulate request), rather than accept it and fail it later.
    submitCreate: ({ body, idempotencyKey, correlationId }) =>
      accept(
        { kind: 'CREATE_PROPOSAL', body, idempotency_key: idempotencyKey, correlation_id: correlationId },
        { idempotency_key: idempotencyKey, proposal_id: null, created_by: body.created_by },
        createRequestHash(body, simulateRequestOf(body)),
      ),
    submitVersion: ({ proposalId, body, idempotencyKey, correlationId }) =>
      accept(
        {
          kind: 'CREATE_PROPOSAL_VERSION',
          body,
          proposal_id: proposalId,
          correlation_id: correlationId,
          ...(idempotencyKey === undefined ? {} : { idempotency_key: idempotencyKey }),
        },
        { idempotency_key: idempotencyKey ?? null, proposal_id: proposalId, created_by: body.created_by },
        versionRequestHash(proposalId, body, simulateRequestOf(body)),
      ),
    get: async (operationId) => found(await store.getOperation(operationId)),
    getByCorrelation: async (correlationId) => found(await store.getOperationByCorrelation(correlationId)),

    claim: () => store.claimRunnable({ workerId: newLeaseOwner(workerId), now: now().toISOString(), leaseMs }),

    async run(op) {
      const holder = leaseHolder(op);
      const renew = () => store.extendLease({ workerId: holder, operationId: op.operation_id, now: now().toISOString(), leaseMs });
      try {
        const span = { kind: SpanKind.CONSUMER, attributes: { 'proposal.operation_id': op.operation_id, 'proposal.operation_type': op.operation_type } };
        const { response } = await withSubmittedTrace(storedTraceCarrier(op.request_json), 'proposal.operation', span, () =>
          withLeaseHeartbeat(renew, leaseMs, () => execute(op), onError),
        );
        const proposal = response['proposal'] as { proposal_id: string };
        await store.completeOperation(op.operation_id, holder, { finished_at: now().toISOString(), result_json: response, proposal_id: proposal.proposal_id });
      } catch (error) {
        const status = error instanceof ReasonError ? REASON_CODES[error.code as ReasonCode].status : undefined;
        // An outage (a store, a busy engine: 5xx) leaves the operation RUNNING for the lease to lapse
        // and a retry later; an engine timeout would only recur, so it fails the operation instead.
        const timedOut = error instanceof ReasonError && error.code === 'ENGINE_CALL_TIMEOUT';
        if (error instanceof ReasonError && status !== undefined && status >= 500 && !timedOut) throw error;
        const refusal = error instanceof ReasonError && status !== undefined;
        const failure = refusal ? { code: error.code, message: error.message } : { code: 'INTERNAL_ERROR', message: REASON_CODES.INTERNAL_ERROR.meaning };
        await store.failOperation(op.operation_id, holder, { finished_at: now().toISOString(), error_json: failure });
        if (!refusal) throw error;
      }
    },
  };
}
