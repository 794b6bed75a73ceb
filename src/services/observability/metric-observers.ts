/**
 * Where service events become counts (docs/operations.md#metrics). The services stay unaware of
 * Prometheus: the app wraps them here, or passes them one of these callbacks, as it does for the
 * engine pool. Outcomes are bounded labels: a fixed word for success (`created`, `replayed`,
 * `simulated`) or the catalogue's reason code for a refusal, and INTERNAL_ERROR for anything else.
 */
import { ReasonError, type ReasonCode } from '../../config/reason-codes.ts';
import type { Approval, WorkflowEvent } from '../../stores/proposals/port.ts';
import type { LeasedOperation, LeaseRequest } from '../../stores/sql/operation-leases.ts';
import type { CreateMode, OperationKind, ServiceMetrics } from './metrics.ts';
import type { ProposalLifecycleService, WriteResult } from '../proposals/lifecycle.ts';
import type { ProposalSimulationOutcome, ProposalSimulationService } from '../proposals/simulation.ts';

/** `work`'s outcome, counted once it is known: `outcomeOf` its value, or the reason code it threw. */
async function counted<T>(work: Promise<T>, outcomeOf: (value: T) => string, count: (outcome: string) => void): Promise<T> {
  let value: T;
  try {
    value = await work;
  } catch (error) {
    count(error instanceof ReasonError ? error.code : 'INTERNAL_ERROR');
    throw error;
  }
  count(outcomeOf(value));
  return value;
}

const written = (result: WriteResult): string => (result.replayed ? 'replayed' : 'created');

/** The lifecycle as `mode` calls it (routes: sync; the async worker: async), counting creates and new versions. */
export function countedCreates(
  lifecycle: ProposalLifecycleService,
  mode: CreateMode,
  metrics: Pick<ServiceMetrics, 'proposalCreates' | 'proposalVersionCreates'>,
): ProposalLifecycleService {
  return {
    ...lifecycle,
    create: (command) => counted(lifecycle.create(command), written, (outcome) => metrics.proposalCreates.inc({ mode, outcome })),
    createVersion: (command) => counted(lifecycle.createVersion(command), written, (outcome) => metrics.proposalVersionCreates.inc({ mode, outcome })),
  };
}

/** The lifecycle's `onRecorded`: every workflow event written, and the approval written with it. */
export function workflowCounter(metrics: Pick<ServiceMetrics, 'proposalTransitions' | 'proposalApprovals'>): (event: WorkflowEvent, approval?: Approval) => void {
  return (event, approval) => {
    metrics.proposalTransitions.inc({ event: event.event_type, to_state: event.to_state });
    if (approval) metrics.proposalApprovals.inc({ approval_type: approval.approval_type, decision: approval.approved ? 'approved' : 'rejected' });
  };
}

/** The codes the routes answer these outcomes with (src/http/routes/proposals/simulation.ts). */
const REFUSALS: Readonly<Record<Exclude<ProposalSimulationOutcome['outcome'], 'ok'>, ReasonCode>> = {
  invalid: 'VALIDATION_ERROR',
  disabled: 'PROPOSAL_SIMULATION_DISABLED',
  conflict: 'IDEMPOTENCY_KEY_CONFLICT',
};

const simulated = (outcome: ProposalSimulationOutcome): string =>
  outcome.outcome === 'ok' ? (outcome.replayed ? 'replayed' : 'simulated') : REFUSALS[outcome.outcome];

export function countedSimulations(service: ProposalSimulationService, metrics: Pick<ServiceMetrics, 'proposalSimulations'>): ProposalSimulationService {
  return {
    simulate: (command) => counted(service.simulate(command), simulated, (outcome) => metrics.proposalSimulations.inc({ endpoint: 'simulate', outcome })),
    artifact: (command) => counted(service.artifact(command), simulated, (outcome) => metrics.proposalSimulations.inc({ endpoint: 'artifact', outcome })),
  };
}

/** The lease methods both operation stores share (DPM analyze, proposal create/version). */
interface OperationLeasing {
  claimRunnable(request: LeaseRequest): Promise<LeasedOperation | null>;
  claimOperation(request: LeaseRequest & { readonly operationId: string }): Promise<LeasedOperation | null>;
  // Method syntax: each store's own outcome type stands in for `unknown`.
  completeOperation(operationId: string, workerId: string, success: unknown): Promise<boolean>;
  failOperation(operationId: string, workerId: string, failure: unknown): Promise<boolean>;
}

/**
 * A claim is a takeover when the operation had started before: a first claim sets `started_at`
 * to the claimer's clock, a takeover keeps the first one (src/stores/sql/operation-leases.ts,
 * and the stores' contract tests).
 */
const isTakeover = (operation: LeasedOperation, request: LeaseRequest): boolean =>
  operation.started_at !== null && Date.parse(operation.started_at) < Date.parse(request.now);

/**
 * `store` with its claims, takeovers and finishes counted under `kind`; every other method as it
 * was. Only what took effect counts: a claim that found nothing, or a finish refused because the
 * lease was lost, does not.
 */
export function countedOperations<S extends OperationLeasing>(
  store: S,
  kind: OperationKind,
  metrics: Pick<ServiceMetrics, 'asyncClaims' | 'asyncLeaseTakeovers' | 'asyncFinished'>,
): S {
  function claimed<O extends LeasedOperation | null>(operation: O, request: LeaseRequest): O {
    if (operation === null) return operation;
    metrics.asyncClaims.inc({ kind });
    if (isTakeover(operation, request)) metrics.asyncLeaseTakeovers.inc({ kind });
    return operation;
  }
  function finished(done: boolean, status: 'SUCCEEDED' | 'FAILED'): boolean {
    if (done) metrics.asyncFinished.inc({ kind, status });
    return done;
  }
  const counting: OperationLeasing = {
    claimRunnable: async (request) => claimed(await store.claimRunnable(request), request),
    claimOperation: async (request) => claimed(await store.claimOperation(request), request),
    completeOperation: async (operationId, workerId, success) => finished(await store.completeOperation(operationId, workerId, success), 'SUCCEEDED'),
    failOperation: async (operationId, workerId, failure) => finished(await store.failOperation(operationId, workerId, failure), 'FAILED'),
  };
  return new Proxy(store, {
    get(target, property, receiver) {
      return Object.hasOwn(counting, property) ? counting[property as keyof OperationLeasing] : Reflect.get(target, property, receiver);
    },
  });
}
