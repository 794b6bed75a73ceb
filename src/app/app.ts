/**
 * Composition root: settings → guardrails (already passed) → stores → services → HTTP.
 * The only module that picks concrete adapters.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { StartupAssessment } from '../config/startup-assessment.ts';
import { healthRoutes } from '../http/routes/health.ts';
import { buildServer } from '../http/server.ts';
import type { Violation } from '../config/variables.ts';
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

  const server = await buildServer({ logger, routes: [healthRoutes(readiness)] });
  return {
    ok: true,
    app: {
      server,
      async close() {
        await server.close();
        await stores.close();
      },
    },
  };
}
