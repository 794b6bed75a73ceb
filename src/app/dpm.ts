/**
 * Wires the DPM rebalance API: services over the DPM run store, its routes, and its background
 * work on this replica (the async-operation worker and TTL purge, retention), started with the app
 * and stopped by its close().
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Logger } from 'pino';
import type { Settings } from '../config/settings.ts';
import { dpmGates } from '../http/feature-gates.ts';
import { dpmAnalyzeRoutes } from '../http/routes/dpm/analyze.ts';
import { dpmOperationRoutes } from '../http/routes/dpm/operations.ts';
import { dpmReproduceRoutes } from '../http/routes/dpm/reproduce.ts';
import { dpmRunRoutes } from '../http/routes/dpm/runs.ts';
import { dpmSupportRoutes } from '../http/routes/dpm/support.ts';
import { dpmWorkflowRoutes } from '../http/routes/dpm/workflow.ts';
import { createDpmAnalyzeService } from '../services/dpm/analyze.ts';
import { createDpmArtifactResolver, persistingArtifacts } from '../services/dpm/artifact.ts';
import { startDpmOperationBackground, type DpmOperationBackground } from '../services/dpm/operation-background.ts';
import { createDpmOperationService } from '../services/dpm/operations.ts';
import type { PolicyPackSelector } from '../services/dpm/policy-context.ts';
import { createDpmReproduceService } from '../services/dpm/reproduce.ts';
import { createRetentionScheduler } from '../services/dpm/retention.ts';
import { createDpmRunService } from '../services/dpm/runs.ts';
import { createDpmSupportBundleService } from '../services/dpm/support-bundle.ts';
import { createDpmSupportService } from '../services/dpm/support.ts';
import { createDpmWorkflowService } from '../services/dpm/workflow.ts';
import type { Engine } from '../services/engine/engine-pool.ts';
import { countedOperations } from '../services/observability/metric-observers.ts';
import type { ServiceMetrics } from '../services/observability/metrics.ts';
import type { DpmRunStore } from '../stores/dpm-runs/port.ts';

export interface DpmWiring {
  /** The store every DPM writer goes through (PERSISTED mode stores each run's artifact with it). */
  readonly store: DpmRunStore;
  readonly routes: readonly FastifyPluginAsync[];
  /** Starts the background work of this replica. */
  start(): void;
  /** Stops it, waiting for the operation and the purges in hand. */
  stop(): Promise<void>;
}

export function wireDpm(options: {
  readonly store: DpmRunStore;
  readonly settings: Settings['dpm'];
  /** STORE_RETRY_MAX_BACKOFF_MS: the worker's longest wait after consecutive failures. */
  readonly maxBackoffMs: number;
  readonly policyPacks: PolicyPackSelector;
  readonly engine: Engine;
  readonly engineVersion: string;
  readonly metrics: ServiceMetrics;
  readonly logger: Logger;
}): DpmWiring {
  const { settings, policyPacks, engine, engineVersion, metrics, logger } = options;
  const store = settings.artifactStoreMode === 'PERSISTED' ? persistingArtifacts(options.store, logger) : options.store;
  const gates = dpmGates(settings.features);
  const analyze = createDpmAnalyzeService({ store, policyPacks, engine, engineVersion });
  // Claims, takeovers and finishes of async operations are counted (docs/operations.md#metrics).
  const operationStore = countedOperations(store, 'dpm', metrics);
  const operations = createDpmOperationService({
    store: operationStore,
    analyze,
    settings: settings.asyncOperations,
    onStateChange: (state) => metrics.dpmAsyncOperations.inc({ state }),
  });
  const support = createDpmSupportService({ store, settings: { backend: settings.backend, retentionDays: settings.retention.days } });
  const artifacts = createDpmArtifactResolver({ store, mode: settings.artifactStoreMode });
  const retention = createRetentionScheduler({ store, days: settings.retention.days, intervalMs: settings.retention.purgeIntervalMs, logger });
  let background: DpmOperationBackground | undefined;

  return {
    store,
    routes: [
      dpmRunRoutes({
        service: createDpmRunService({ store, replayEnabled: settings.replayEnabled, policyPacks, engine, engineVersion }),
        support,
        gates,
        metrics,
      }),
      dpmReproduceRoutes({ reproduce: createDpmReproduceService({ store, engine, engineVersion }), gates }),
      dpmAnalyzeRoutes({ analyze, operations, gates }),
      dpmOperationRoutes({ operations, gates }),
      dpmSupportRoutes({ support, artifacts, gates, bundles: createDpmSupportBundleService({ store, support, artifacts }) }),
      dpmWorkflowRoutes({ support, gates, workflow: createDpmWorkflowService({ store, reviewStatuses: settings.workflowReviewStatuses }) }),
    ],
    start() {
      // Takes over async operations whose process died, and purges expired ones, on this replica.
      background = startDpmOperationBackground({
        store: operationStore,
        operations,
        settings: { ...settings.asyncOperations, purgeIntervalMs: settings.retention.purgeIntervalMs, maxBackoffMs: options.maxBackoffMs },
        logger,
      });
      retention.start();
    },
    async stop() {
      await Promise.all([background?.stop(), retention.stop()]);
    },
  };
}
