/**
 * Async proposal creates and versions (ADR-0001, spec advisory §7.5 "Async"), durable and
 * crash-safe: the accepted request is stored with the operation before 202 is answered, and a
 * worker loop in any replica claims it under a lease, renews the lease while it runs, and
 * completes it. If the worker dies the lease lapses and another worker (or the restarted
 * process) runs it again; the run is idempotent — a create reuses the client's Idempotency-Key,
 * a version claims the key `pop:<operation_id>` — so the proposal or version is written exactly
 * once however often the operation is run.
 *
 * A refusal (validation, flag, idempotency conflict, state) fails the operation with
 * `{code, message}`. A store outage leaves it RUNNING for the lease to lapse, so it is retried
 * when the database is back; any other error is a bug and fails it with INTERNAL_ERROR (it
 * would fail again on every retry).
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { ReasonError, REASON_CODES, type ReasonCode } from '../config/reason-codes.ts';
import type { ProposalOperation, ProposalStore } from '../stores/proposals/port.ts';
import { NOT_STARTED, withLeaseHeartbeat } from './operation-worker.ts';
import type { ProposalLifecycleService } from './proposal-lifecycle.ts';
import { newId, simulateRequestOf, type CreateProposalBody, type CreateVersionBody } from './proposal-records.ts';
import { operationStatus, statusUrl } from './proposal-wire.ts';

/** What is stored with an operation so any replica can run it. */
type OperationRequest =
  | { readonly kind: 'CREATE_PROPOSAL'; readonly body: CreateProposalBody; readonly idempotency_key: string; readonly correlation_id: string }
  | { readonly kind: 'CREATE_PROPOSAL_VERSION'; readonly body: CreateVersionBody; readonly proposal_id: string; readonly correlation_id: string };

export interface ProposalOperationsDeps {
  readonly store: ProposalStore;
  readonly lifecycle: ProposalLifecycleService;
  readonly leaseMs: number;
  readonly now?: () => Date;
  /** Told when an operation was accepted, so a local worker can start it at once. */
  readonly onAccepted?: () => void;
  /** Errors of lease renewals (the operation goes on; the store decides who may finish it). */
  readonly onError?: (error: unknown) => void;
  readonly workerId?: string;
}

export interface ProposalOperations {
  submitCreate(command: { body: CreateProposalBody; idempotencyKey: string; correlationId: string }): Promise<Record<string, unknown>>;
  submitVersion(command: { proposalId: string; body: CreateVersionBody; correlationId: string }): Promise<Record<string, unknown>>;
  get(operationId: string): Promise<Record<string, unknown>>;
  getByCorrelation(correlationId: string): Promise<Record<string, unknown>>;
  /** The worker loop's claim: the oldest runnable operation, leased to this process. */
  claim(): Promise<ProposalOperation | null>;
  /** Runs a claimed operation and records its outcome. */
  run(operation: ProposalOperation): Promise<void>;
}

export const defaultWorkerId = (): string => `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

const found = (op: ProposalOperation | null): Record<string, unknown> => {
  if (!op) throw new ReasonError('PROPOSAL_ASYNC_OPERATION_NOT_FOUND', 'No async proposal operation matches.');
  return operationStatus(op);
};

export function createProposalOperations(deps: ProposalOperationsDeps): ProposalOperations {
  const { store, lifecycle, leaseMs } = deps;
  const now = deps.now ?? (() => new Date());
  const workerId = deps.workerId ?? defaultWorkerId();
  const onError = deps.onError ?? (() => undefined);

  async function accept(request: OperationRequest, fields: { idempotency_key: string | null; proposal_id: string | null; created_by: string }) {
    // Refuse what can never succeed now, rather than accept it and fail it later.
    simulateRequestOf(request.body);
    const operation: ProposalOperation = {
      ...NOT_STARTED,
      operation_id: newId('pop'),
      operation_type: request.kind,
      correlation_id: request.correlation_id,
      ...fields,
      created_at: now().toISOString(),
      request_json: request,
    };
    await store.createOperation(operation);
    deps.onAccepted?.();
    return {
      operation_id: operation.operation_id,
      operation_type: operation.operation_type,
      status: operation.status,
      correlation_id: operation.correlation_id,
      created_at: operation.created_at,
      status_url: statusUrl(operation.operation_id),
    };
  }

  function execute(op: ProposalOperation) {
    const request = op.request_json as OperationRequest;
    if (request.kind === 'CREATE_PROPOSAL') {
      return lifecycle.create({ body: request.body, idempotencyKey: request.idempotency_key, correlationId: request.correlation_id });
    }
    return lifecycle.createVersion({
      proposalId: request.proposal_id,
      body: request.body,
      idempotencyKey: `pop:${op.operation_id}`,
      correlationId: request.correlation_id,
    });
  }

  return {
    submitCreate: ({ body, idempotencyKey, correlationId }) =>
      accept(
        { kind: 'CREATE_PROPOSAL', body, idempotency_key: idempotencyKey, correlation_id: correlationId },
        { idempotency_key: idempotencyKey, proposal_id: null, created_by: body.created_by },
      ),
    submitVersion: ({ proposalId, body, correlationId }) =>
      accept(
        { kind: 'CREATE_PROPOSAL_VERSION', body, proposal_id: proposalId, correlation_id: correlationId },
        { idempotency_key: null, proposal_id: proposalId, created_by: body.created_by },
      ),
    get: async (operationId) => found(await store.getOperation(operationId)),
    getByCorrelation: async (correlationId) => found(await store.getOperationByCorrelation(correlationId)),

    claim: () => store.claimRunnable({ workerId, now: now().toISOString(), leaseMs }),

    async run(op) {
      const renew = () => store.extendLease({ workerId, operationId: op.operation_id, now: now().toISOString(), leaseMs });
      try {
        const { response } = await withLeaseHeartbeat(renew, leaseMs, () => execute(op), onError);
        const proposal = response['proposal'] as { proposal_id: string };
        await store.completeOperation(op.operation_id, workerId, { finished_at: now().toISOString(), result_json: response, proposal_id: proposal.proposal_id });
      } catch (error) {
        const status = error instanceof ReasonError ? REASON_CODES[error.code as ReasonCode].status : undefined;
        // An outage (5xx) leaves the operation RUNNING for the lease to lapse and a retry later.
        if (error instanceof ReasonError && status !== undefined && status >= 500) throw error;
        const refusal = error instanceof ReasonError && status !== undefined;
        const failure = refusal ? { code: error.code, message: error.message } : { code: 'INTERNAL_ERROR', message: REASON_CODES.INTERNAL_ERROR.meaning };
        await store.failOperation(op.operation_id, workerId, { finished_at: now().toISOString(), error_json: failure });
        if (!refusal) throw error;
      }
    },
  };
}
