/**
 * The real service process for the browser tests, on IN_MEMORY or on a fresh database of the
 * run's real PostgreSQL server, with the features the console shows switched on, seeded through
 * the public API only.
 */
import { freshDatabase, type TestDatabase } from '../../support/postgres.ts';
import { startService, type RunningService, type TestEnv } from '../../support/service-process.ts';

export type ConsoleBackend = 'IN_MEMORY' | 'POSTGRES';
export const CONSOLE_BACKENDS: readonly ConsoleBackend[] = ['IN_MEMORY', 'POSTGRES'];

export const POLICY_PACKS = {
  dpm_standard_v1: { version: '1', turnover_policy: { max_turnover_pct: '0.15' } },
  dpm_conservative_v2: { version: '2', constraint_policy: { single_position_max_weight: '0.20' } },
};
export const TENANT_WITH_PACK = { tenant: 'tenant_sg', pack: 'dpm_conservative_v2' };

const FEATURES: TestEnv = {
  DPM_WORKFLOW_ENABLED: 'true',
  DPM_LINEAGE_APIS_ENABLED: 'true',
  DPM_IDEMPOTENCY_HISTORY_APIS_ENABLED: 'true',
  DPM_POLICY_PACKS_ENABLED: 'true',
  DPM_POLICY_PACK_CATALOG_JSON: JSON.stringify(POLICY_PACKS),
  DPM_TENANT_POLICY_PACK_RESOLUTION_ENABLED: 'true',
  DPM_TENANT_POLICY_PACK_MAP_JSON: JSON.stringify({ [TENANT_WITH_PACK.tenant]: TENANT_WITH_PACK.pack }),
};

export interface ConsoleService {
  readonly service: RunningService;
  /** The database of the POSTGRES backend (tests that reach into it, e.g. to alter a recorded result). */
  readonly dsn: string | null;
  stop(): Promise<void>;
}

/** `extra`: more settings, e.g. authentication. */
export async function startConsoleService(backend: ConsoleBackend, extra: TestEnv = {}): Promise<ConsoleService> {
  let database: TestDatabase | undefined;
  let env: TestEnv = { ...FEATURES, ...extra };
  if (backend === 'POSTGRES') {
    database = await freshDatabase();
    env = {
      ...env,
      DPM_SUPPORTABILITY_STORE_BACKEND: 'POSTGRES',
      DPM_SUPPORTABILITY_POSTGRES_DSN: database.dsn,
      PROPOSAL_STORE_BACKEND: 'POSTGRES',
      PROPOSAL_POSTGRES_DSN: database.dsn,
    };
  }
  const service = await startService(env, 60_000);
  return {
    service,
    dsn: database?.dsn ?? null,
    async stop() {
      await service.stop();
      await database?.drop();
    },
  };
}
