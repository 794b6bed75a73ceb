/**
 * Composition root: settings → guardrails (already passed) → stores → services → HTTP.
 * The only module that picks concrete adapters.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { StartupAssessment } from '../config/startup-assessment.ts';
import { healthRoutes } from '../http/routes/health.ts';
import { buildServer } from '../http/server.ts';
import { createReadinessSource, type StoreProbe } from './readiness.ts';

export interface App {
  readonly server: FastifyInstance;
  /** Stops accepting connections, lets requests in flight finish, then closes the stores. */
  close(): Promise<void>;
}

export async function createApp(assessment: StartupAssessment, logger: Logger): Promise<App> {
  const { settings } = assessment;
  const probes: StoreProbe[] = [];
  const readiness = createReadinessSource({
    profile: settings.profile,
    backends: {
      dpm_supportability: settings.dpm.backend,
      proposals: settings.proposals.backend,
      policy_pack_catalog: settings.policyPacks.catalogBackend,
    },
    probes: () => probes,
    shadowViolations: assessment.shadowViolations,
  });

  const server = await buildServer({ logger, routes: [healthRoutes(readiness)] });
  return {
    server,
    async close() {
      await server.close();
    },
  };
}
