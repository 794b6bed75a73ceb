/**
 * Composition root: settings → guardrails (already passed) → stores → services → HTTP.
 * The only module that picks concrete adapters.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { StartupAssessment } from '../config/startup-assessment.ts';
import { parseTenantPolicyPackMap } from '../domain/policy-packs/index.ts';
import { healthRoutes } from '../http/routes/health.ts';
import { consoleConfig, consoleRoutes } from '../http/routes/console.ts';
import { createAccessControl } from '../http/auth/access-control.ts';
import { dpmRunRoutes } from '../http/routes/dpm-runs.ts';
import { dpmSupportRoutes } from '../http/routes/dpm-support.ts';
import { dpmWorkflowRoutes } from '../http/routes/dpm-workflow.ts';
import { policyPackRoutes } from '../http/routes/policy-packs.ts';
import { dpmGates } from '../http/feature-gates.ts';
import { proposalSimulationRoutes } from '../http/routes/proposal-simulation.ts';
import { createDpmRunService } from '../services/dpm-runs.ts';
import { dpmAnalyzeRoutes } from '../http/routes/dpm-analyze.ts';
import { dpmOperationRoutes } from '../http/routes/dpm-operations.ts';
import { createDpmAnalyzeService } from '../services/dpm-analyze.ts';
import { startDpmOperationBackground } from '../services/dpm-operation-background.ts';
import { createDpmOperationService } from '../services/dpm-operations.ts';
import { createPolicyPackSelector } from '../services/dpm-policy-context.ts';
import { createDpmArtifactResolver, persistingArtifacts } from '../services/dpm-artifact.ts';
import { createRetentionScheduler } from '../services/dpm-retention.ts';
import { createDpmSupportBundleService } from '../services/dpm-support-bundle.ts';
import { createDpmSupportService } from '../services/dpm-support.ts';
import { createDpmWorkflowService } from '../services/dpm-workflow.ts';
import { createEnginePool } from '../services/engine/engine-pool.ts';
import { createServiceMetrics } from '../services/metrics.ts';
import { createDpmReproduceService } from '../services/dpm-reproduce.ts';
import { dpmReproduceRoutes } from '../http/routes/dpm-reproduce.ts';
import { buildInfo, engineVersion as buildEngineVersion } from './build-info.ts';
import { countedOperations, countedSimulations } from '../services/metric-observers.ts';
import { startTracing } from './tracing.ts';
import { createProposalSimulationService } from '../services/proposal-simulation.ts';
import { buildServer } from '../http/server.ts';
import type { Violation } from '../config/variables.ts';
import { wireProposalLifecycle } from './proposals.ts';
import type { DpmSupportabilityStore } from '../stores/dpm-supportability/port.ts';
import { clusterWorkerMetrics } from './cluster-metrics.ts';
import { trackResponses } from './connection-drain.ts';
import { createReadinessSource } from './readiness.ts';
import { openStores } from './stores.ts';

export interface App {
  readonly server: FastifyInstance;
  /** The DPM store the services use (tests seed history through it). */
  readonly dpmStore: DpmSupportabilityStore;
  /** Stops accepting connections, lets requests in flight finish, then closes the stores. */
  close(): Promise<void>;
}

export type CreateAppResult = { readonly ok: true; readonly app: App } | { readonly ok: false; readonly violations: readonly Violation[] };

export interface CreateAppOptions {
  /** This process is one of a cluster's workers (WEB_CONCURRENCY > 1): GET /metrics answers for the whole group. */
  readonly clusterWorker?: boolean;
}

export async function createApp(assessment: StartupAssessment, logger: Logger, options: CreateAppOptions = {}): Promise<CreateAppResult> {
  const { settings } = assessment;
  // The JSON settings parsed against the domain's vocabulary; every problem is reported at once.
  const tenantMap = parseTenantPolicyPackMap(settings.policyPacks.tenantMapJson);
  const accessControl = createAccessControl(settings.auth);
  const jsonViolations: Violation[] = [
    ...(tenantMap.problems.length > 0
      ? [{ code: 'DPM_TENANT_POLICY_PACK_MAP_JSON_INVALID', variable: 'DPM_TENANT_POLICY_PACK_MAP_JSON', message: `DPM_TENANT_POLICY_PACK_MAP_JSON: ${tenantMap.problems.join('; ')}.` }]
      : []),
    ...(accessControl.ok ? [] : accessControl.violations),
  ];
  if (!accessControl.ok || jsonViolations.length > 0) return { ok: false, violations: jsonViolations };
  const { access } = accessControl;
  const opened = await openStores(settings, logger);
  if (!opened.ok) return opened;
  const tracing = startTracing(settings.tracing, logger);
  const { stores } = opened;
  const readiness = createReadinessSource({
    profile: settings.profile,
    backends: {
      dpm_supportability: settings.dpm.backend,
      proposals: settings.proposals.backend,
      policy_pack_catalog: settings.policyPacks.catalogBackend,
    },
    probes: () => stores.probes,
    shadowViolations: assessment.shadowViolations,
    productionWarnings: assessment.productionWarnings,
  });

  const { policyPacks, dpm } = settings;
  const metrics = createServiceMetrics(buildInfo());
  const groupMetrics = options.clusterWorker ? clusterWorkerMetrics(metrics.registry) : undefined;
  // Large engine calls run in worker threads, so the serving thread keeps answering (docs/operations.md#engine-worker-pool).
  const engine = createEnginePool(settings.engine, {
    settled: (path, outcome) => metrics.engineCalls.inc({ path, outcome }),
    inFlight: (count) => metrics.engineInFlight(count),
  });
  metrics.engineLimits(settings.engine);
  // Stamped into results and recorded with every run and proposal version (docs/dpm-api.md#reproducing-a-run).
  const engineVersion = buildEngineVersion();
  const proposalProbe = stores.probes.find((probe) => probe.store === 'proposals');
  const proposals = wireProposalLifecycle({
    store: stores.proposals,
    backend: settings.proposals.backend,
    check: () => proposalProbe?.check() ?? Promise.resolve({ ready: false }),
    settings: settings.proposalLifecycle,
    maxBackoffMs: settings.resilience.retryMaxBackoffMs,
    engine,
    logger,
    engineVersion,
    metrics,
  });
  const packResolution = {
    enabled: policyPacks.enabled,
    defaultPolicyPackId: policyPacks.defaultPolicyPackId,
    tenantResolutionEnabled: policyPacks.tenantResolutionEnabled,
    tenantPolicyPackMap: tenantMap.map,
  };
  const packSelector = createPolicyPackSelector({ config: packResolution, catalog: stores.policyPacks });
  // Every writer of runs goes through this store, so PERSISTED mode stores each run's artifact.
  const dpmStore = dpm.artifactStoreMode === 'PERSISTED' ? persistingArtifacts(stores.dpm, logger) : stores.dpm;
  const gates = dpmGates(dpm.features);
  const analyze = createDpmAnalyzeService({ store: dpmStore, policyPacks: packSelector, engine, engineVersion });
  // Claims, takeovers and finishes of async operations are counted (docs/operations.md#metrics).
  const dpmOperationStore = countedOperations(dpmStore, 'dpm', metrics);
  const operations = createDpmOperationService({
    store: dpmOperationStore,
    analyze,
    settings: dpm.asyncOperations,
    onStateChange: (state) => metrics.dpmAsyncOperations.inc({ state }),
  });
  const support = createDpmSupportService({ store: dpmStore, settings: { backend: dpm.backend, retentionDays: dpm.retention.days } });
  const artifacts = createDpmArtifactResolver({ store: dpmStore, mode: dpm.artifactStoreMode });
  const retention = createRetentionScheduler({ store: dpmStore, days: dpm.retention.days, intervalMs: dpm.retention.purgeIntervalMs, logger });
  const server = await buildServer({
    logger,
    metrics,
    ...(groupMetrics ? { scrapeMetrics: groupMetrics.scrape } : {}),
    bodyLimitBytes: settings.http.bodyLimitBytes,
    limits: settings.http.limits,
    access,
    routes: [
      healthRoutes(readiness),
      dpmRunRoutes({
        service: createDpmRunService({ store: dpmStore, replayEnabled: dpm.replayEnabled, policyPacks: packSelector, engine, engineVersion }),
        store: dpmStore,
        gates,
        metrics,
      }),
      proposalSimulationRoutes({ service: countedSimulations(createProposalSimulationService({ store: stores.proposals, engine }), metrics) }),
      dpmReproduceRoutes({ reproduce: createDpmReproduceService({ store: dpmStore, engine, engineVersion }), gates }),
      dpmAnalyzeRoutes({ analyze, operations, gates }),
      dpmOperationRoutes({ operations, gates }),
      dpmSupportRoutes({ support, artifacts, gates, bundles: createDpmSupportBundleService({ store: dpmStore, support, artifacts }) }),
      dpmWorkflowRoutes({ support, gates, workflow: createDpmWorkflowService({ store: dpmStore, reviewStatuses: dpm.workflowReviewStatuses }) }),
      policyPackRoutes({
        catalog: stores.policyPacks,
        settings: {
          ...packResolution,
          adminApisEnabled: policyPacks.adminApisEnabled,
          adminToken: policyPacks.adminToken,
          adminAuthorisation: access.mode === 'JWT' ? 'ROLES' : 'TOKEN',
        },
      }),
      ...proposals.routes,
      consoleRoutes({ config: consoleConfig(settings.auth, access.table) }),
    ],
  });
  const drain = trackResponses(server.server);
  groupMetrics?.countRequests(server.server);
  proposals.start();
  // Takes over async operations whose process died, and purges expired ones, on this replica.
  const background = startDpmOperationBackground({
    store: dpmOperationStore,
    operations,
    settings: { ...dpm.asyncOperations, purgeIntervalMs: dpm.retention.purgeIntervalMs, maxBackoffMs: settings.resilience.retryMaxBackoffMs },
    logger,
  });
  retention.start();
  // Read at each scrape: pool clients, store outages, the async queue depth.
  metrics.observe({
    pools: stores.postgres.pools,
    outages: stores.postgres.outages,
    runnable: { dpm: (now) => dpmStore.countRunnableOperations(now), proposal: (now) => stores.proposals.countRunnableOperations(now) },
  });
  return {
    ok: true,
    app: {
      server,
      dpmStore,
      async close() {
        // Engine calls in flight get half the grace period to finish; the rest are cancelled (503
        // ENGINE_SHUTTING_DOWN, async operations left for another replica), so closing never hangs on them.
        const cancelEngine = setTimeout(() => engine.cancelAll(), settings.http.shutdownGraceMs / 2);
        drain.closeAfterResponses();
        try {
          await server.close();
          // The operation in hand finishes (or its lease lapses for another replica) before the store closes.
          await proposals.stop();
          await background.stop();
          await retention.stop();
        } finally {
          clearTimeout(cancelEngine);
          await engine.close();
        }
        await stores.close();
        // Last, so the spans of everything above are exported.
        await tracing.shutdown();
      },
    },
  };
}
