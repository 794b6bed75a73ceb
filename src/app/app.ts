/**
 * Composition root: settings → guardrails (already passed) → stores → services → HTTP.
 * The only module that picks concrete adapters.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { StartupAssessment } from '../config/startup-assessment.ts';
import { parseTenantPolicyPackMap } from '../domain/policy-packs/index.ts';
import { healthRoutes } from '../http/routes/health.ts';
import { dpmRunRoutes } from '../http/routes/dpm-runs.ts';
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
import { createServiceMetrics } from '../services/metrics.ts';
import { createProposalSimulationService } from '../services/proposal-simulation.ts';
import { buildServer } from '../http/server.ts';
import type { Violation } from '../config/variables.ts';
import { wireProposalLifecycle } from './proposal-lifecycle.ts';
import { createReadinessSource } from './readiness.ts';
import { openStores } from './stores.ts';

export interface App {
  readonly server: FastifyInstance;
  /** Stops accepting connections, lets requests in flight finish, then closes the stores. */
  close(): Promise<void>;
}

export type CreateAppResult = { readonly ok: true; readonly app: App } | { readonly ok: false; readonly violations: readonly Violation[] };

export async function createApp(assessment: StartupAssessment, logger: Logger): Promise<CreateAppResult> {
  const { settings } = assessment;
  const tenantMap = parseTenantPolicyPackMap(settings.policyPacks.tenantMapJson);
  if (tenantMap.problems.length > 0) {
    return {
      ok: false,
      violations: [{ code: 'DPM_TENANT_POLICY_PACK_MAP_JSON_INVALID', variable: 'DPM_TENANT_POLICY_PACK_MAP_JSON', message: `DPM_TENANT_POLICY_PACK_MAP_JSON: ${tenantMap.problems.join('; ')}.` }],
    };
  }
  const opened = await openStores(settings, logger);
  if (!opened.ok) return opened;
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
  });

  const { policyPacks } = settings;
  const metrics = createServiceMetrics();
  const proposalProbe = stores.probes.find((probe) => probe.store === 'proposals');
  const proposals = wireProposalLifecycle({
    store: stores.proposals,
    backend: settings.proposals.backend,
    check: () => proposalProbe?.check() ?? Promise.resolve({ ready: false }),
    settings: settings.proposalLifecycle,
    logger,
  });
  const packResolution = {
    enabled: policyPacks.enabled,
    defaultPolicyPackId: policyPacks.defaultPolicyPackId,
    tenantResolutionEnabled: policyPacks.tenantResolutionEnabled,
    tenantPolicyPackMap: tenantMap.map,
  };
  const packSelector = createPolicyPackSelector({ config: packResolution, catalog: stores.policyPacks });
  const gates = dpmGates(settings.dpm.features);
  const asyncSettings = settings.dpm.asyncOperations;
  const analyze = createDpmAnalyzeService({ store: stores.dpm, policyPacks: packSelector });
  const operations = createDpmOperationService({
    store: stores.dpm,
    analyze,
    settings: asyncSettings,
    onStateChange: (state) => metrics.dpmAsyncOperations.inc({ state }),
  });
  const server = await buildServer({
    logger,
    metrics,
    routes: [
      healthRoutes(readiness),
      dpmRunRoutes({
        service: createDpmRunService({ store: stores.dpm, replayEnabled: settings.dpm.replayEnabled, policyPacks: packSelector }),
        store: stores.dpm,
        gates,
        metrics,
      }),
      proposalSimulationRoutes({ service: createProposalSimulationService({ store: stores.proposals }) }),
      dpmAnalyzeRoutes({ analyze, operations, gates }),
      dpmOperationRoutes({ operations, gates }),
      policyPackRoutes({
        catalog: stores.policyPacks,
        settings: { ...packResolution, adminApisEnabled: policyPacks.adminApisEnabled, adminToken: policyPacks.adminToken },
      }),
      ...proposals.routes,
    ],
  });
  proposals.start();
  // Takes over async operations whose process died, and purges expired ones, on this replica.
  const background = startDpmOperationBackground({
    store: stores.dpm,
    operations,
    settings: { ...asyncSettings, purgeIntervalMs: settings.dpm.retention.purgeIntervalMs },
    logger,
  });
  return {
    ok: true,
    app: {
      server,
      async close() {
        await server.close();
        // The operation in hand finishes (or its lease lapses for another replica) before the store closes.
        await proposals.stop();
        await background.stop();
        await stores.close();
      },
    },
  };
}
