/**
 * Wires the advisory proposal lifecycle: services over the proposal store, the routes, and the
 * async-operation worker loop (started with the app, stopped by its close()).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Logger } from 'pino';
import type { ProposalLifecycleSettings, ProposalStoreBackend } from '../config/proposal-settings.ts';
import { proposalLifecycleRoutes } from '../http/routes/proposals/lifecycle.ts';
import { proposalReproduceRoutes } from '../http/routes/proposals/reproduce.ts';
import { proposalSupportRoutes } from '../http/routes/proposals/support.ts';
import type { Engine } from '../services/engine/engine-pool.ts';
import { countedCreates, countedOperations, workflowCounter } from '../services/observability/metric-observers.ts';
import type { ServiceMetrics } from '../services/observability/metrics.ts';
import { createOperationWorker, workerFailureReporter, type OperationWorker } from '../services/operations/worker.ts';
import { createProposalLifecycleService } from '../services/proposals/lifecycle.ts';
import { createProposalOperations } from '../services/proposals/operations.ts';
import { createProposalQueries } from '../services/proposals/queries.ts';
import { createProposalReproduceService } from '../services/proposals/reproduce.ts';
import type { ProposalStore } from '../stores/proposals/port.ts';
import type { ProbeResult } from './readiness.ts';

export interface ProposalLifecycleWiring {
  readonly routes: readonly FastifyPluginAsync[];
  /** Starts the worker loop (when this process runs async operations). */
  start(): void;
  /** Stops claiming and waits for the operation in hand. */
  stop(): Promise<void>;
}

export function wireProposalLifecycle(options: {
  store: ProposalStore;
  backend: ProposalStoreBackend;
  check: () => Promise<ProbeResult>;
  settings: ProposalLifecycleSettings;
  /** STORE_RETRY_MAX_BACKOFF_MS: the worker's longest wait after consecutive failures. */
  maxBackoffMs?: number;
  /** Default: every engine call inline. */
  engine?: Engine;
  logger: Logger;
  /** The build simulating versions (recorded with each); absent in tests that do not care. */
  engineVersion?: string;
  /** Counts creates, workflow events, approvals and async operations (docs/operations.md#metrics); absent in tests that do not. */
  metrics?: ServiceMetrics;
}): ProposalLifecycleWiring {
  const { store, settings, logger, metrics } = options;
  const onError = workerFailureReporter(logger, 'Async proposal operation (retried once its lease lapses)');
  let worker: OperationWorker | undefined;
  const service = createProposalLifecycleService({
    store,
    config: settings,
    engine: options.engine,
    engineVersion: options.engineVersion,
    ...(metrics ? { onRecorded: workflowCounter(metrics) } : {}),
  });
  // Routes call the lifecycle synchronously; the worker runs the creates and versions accepted with 202.
  const lifecycle = metrics ? countedCreates(service, 'sync', metrics) : service;
  const operations = createProposalOperations({
    store: metrics ? countedOperations(store, 'proposal', metrics) : store,
    lifecycle: metrics ? countedCreates(service, 'async', metrics) : service,
    leaseMs: settings.asyncLeaseMs,
    onError,
    onAccepted: () => worker?.wake(),
  });
  const queries = createProposalQueries(store);
  if (settings.asyncWorkerEnabled) {
    worker = createOperationWorker({ claim: operations.claim, run: operations.run, pollMs: settings.asyncPollMs, onError, ...(options.maxBackoffMs === undefined ? {} : { maxBackoffMs: options.maxBackoffMs }) });
  }
  return {
    routes: [
      proposalLifecycleRoutes({ lifecycle, queries, operations, flags: settings }),
      proposalSupportRoutes({ queries, operations, settings, backend: options.backend, check: options.check }),
      proposalReproduceRoutes({ reproduce: createProposalReproduceService({ store, engine: options.engine, engineVersion: options.engineVersion }), flags: settings }),
    ],
    start: () => worker?.start(),
    stop: async () => worker?.stop(),
  };
}
