/**
 * Composition root: settings → guardrails (already passed) → stores → services → HTTP.
 * The only module that picks concrete adapters; each API's own wiring lives beside it
 * (dpm.ts, proposals.ts, policy-packs.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { StartupAssessment } from '../config/startup-assessment.ts';
import type { Violation } from '../config/variables.ts';
import { createAccessControl } from '../http/auth/access-control.ts';
import { consoleConfig, consoleRoutes } from '../http/routes/console.ts';
import { healthRoutes } from '../http/routes/health.ts';
import { proposalSimulationRoutes } from '../http/routes/proposals/simulation.ts';
import { buildServer } from '../http/server.ts';
import { createEnginePool } from '../services/engine/engine-pool.ts';
import { countedSimulations } from '../services/observability/metric-observers.ts';
import { createServiceMetrics } from '../services/observability/metrics.ts';
import { createProposalSimulationService } from '../services/proposals/simulation.ts';
import type { DpmRunStore } from '../stores/dpm-runs/port.ts';
import { buildInfo, engineVersion as buildEngineVersion } from './build-info.ts';
import { clusterWorkerMetrics } from './cluster-metrics.ts';
import { trackResponses } from './connection-drain.ts';
import { wireDpm } from './dpm.ts';
import { policyPackResolution, wirePolicyPacks } from './policy-packs.ts';
import { wireProposalLifecycle } from './proposals.ts';
import { createReadinessSource } from './readiness.ts';
import { openStores } from './stores.ts';
import { startTracing } from './tracing.ts';

export interface App {
  readonly server: FastifyInstance;
  /** The DPM store the services use (tests seed history through it). */
  readonly dpmStore: DpmRunStore;
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
  // The JSON settings checked against the domain's vocabulary, before any store opens; every problem is reported at once.
  const packs = policyPackResolution(settings.policyPacks);
  const accessControl = createAccessControl(settings.auth);
  if (!packs.ok || !accessControl.ok) {
    return { ok: false, violations: [...(packs.ok ? [] : packs.violations), ...(accessControl.ok ? [] : accessControl.violations)] };
  }
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
  const policyPacks = wirePolicyPacks({ catalog: stores.policyPacks, resolution: packs.resolution, settings: settings.policyPacks, accessMode: access.mode });
  const dpm = wireDpm({
    store: stores.dpm,
    settings: settings.dpm,
    maxBackoffMs: settings.resilience.retryMaxBackoffMs,
    policyPacks: policyPacks.selector,
    engine,
    engineVersion,
    metrics,
    logger,
  });
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
  const server = await buildServer({
    logger,
    metrics,
    ...(groupMetrics ? { scrapeMetrics: groupMetrics.scrape } : {}),
    bodyLimitBytes: settings.http.bodyLimitBytes,
    limits: settings.http.limits,
    access,
    routes: [
      healthRoutes(readiness),
      ...dpm.routes,
      proposalSimulationRoutes({ service: countedSimulations(createProposalSimulationService({ store: stores.proposals, engine }), metrics) }),
      ...policyPacks.routes,
      ...proposals.routes,
      consoleRoutes({ config: consoleConfig(settings.auth, access.table) }),
    ],
  });
  const drain = trackResponses(server.server);
  groupMetrics?.countRequests(server.server);
  proposals.start();
  dpm.start();
  // Read at each scrape: pool clients, store outages, the async queue depth.
  metrics.observe({
    pools: stores.postgres.pools,
    outages: stores.postgres.outages,
    runnable: { dpm: (now) => dpm.store.countRunnableOperations(now), proposal: (now) => stores.proposals.countRunnableOperations(now) },
  });
  return {
    ok: true,
    app: {
      server,
      dpmStore: dpm.store,
      async close() {
        // Engine calls in flight get half the grace period to finish; the rest are cancelled (503
        // ENGINE_SHUTTING_DOWN, async operations left for another replica), so closing never hangs on them.
        const cancelEngine = setTimeout(() => engine.cancelAll(), settings.http.shutdownGraceMs / 2);
        drain.closeAfterResponses();
        try {
          await server.close();
          // The operation in hand finishes (or its lease lapses for another replica) before the store closes.
          await proposals.stop();
          await dpm.stop();
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
