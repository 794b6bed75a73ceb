/**
 * Opens the policy-pack catalog for the configured backend. ENV_JSON parses and validates
 * DPM_POLICY_PACK_CATALOG_JSON now (a bad value refuses to start); SQLITE and POSTGRES open
 * through the shared executor layer, migrate the `policy_packs` namespace (PostgreSQL only
 * when `migrate`), and load the catalog once so a broken table fails at startup.
 */
import { ReasonError } from '../../config/reason-codes.ts';
import type { PostgresPools } from '../postgres/pools.ts';
import { openExecutor, type MigrationOptions, type ProbeResult } from '../sql/open-executor.ts';
import { createEnvJsonPolicyPackCatalog } from './env-json.ts';
import type { PolicyPackCatalog, PolicyPackCatalogBackendName } from './port.ts';
import { createSqlPolicyPackCatalog, DEFAULT_CACHE_TTL_MS } from './sql-catalog.ts';

export interface OpenPolicyPackCatalogOptions {
  readonly backend: PolicyPackCatalogBackendName;
  /** DPM_POLICY_PACK_CATALOG_JSON (ENV_JSON only). */
  readonly catalogJson: string;
  /** DPM_POLICY_PACK_SQLITE_PATH (SQLITE only; `:memory:` allowed). */
  readonly sqlitePath: string;
  /** The runtime catalog DSN (with the fallback to DPM_SUPPORTABILITY_POSTGRES_DSN). */
  readonly postgresDsn: string;
  readonly pools: PostgresPools;
  /** PostgreSQL: apply pending `policy_packs` migrations (SQLite always migrates itself). */
  readonly migrate: boolean;
  /** DPM_POLICY_PACK_CACHE_TTL_MS (default 1000). */
  readonly cacheTtlMs?: number;
  readonly migration?: MigrationOptions;
  /** Clock in ms since the epoch; tests inject one. */
  readonly now?: () => number;
}

export interface OpenedPolicyPackCatalog {
  readonly catalog: PolicyPackCatalog;
  /** Readiness: `{ ready: false, code: 'DPM_POLICY_PACK_POSTGRES_UNAVAILABLE' }` while PostgreSQL is away. */
  check(): Promise<ProbeResult>;
  close(): Promise<void>;
}

export async function openPolicyPackCatalog(options: OpenPolicyPackCatalogOptions): Promise<OpenedPolicyPackCatalog> {
  const now = options.now ?? Date.now;
  if (options.backend === 'ENV_JSON') {
    const catalog = createEnvJsonPolicyPackCatalog(options.catalogJson, new Date(now()).toISOString());
    return { catalog, check: async () => ({ ready: true }), close: async () => undefined };
  }

  const dsn = options.postgresDsn.trim();
  if (options.backend === 'POSTGRES' && dsn === '') {
    throw new ReasonError(
      'DPM_POLICY_PACK_POSTGRES_DSN_REQUIRED',
      'DPM_POLICY_PACK_CATALOG_BACKEND=POSTGRES needs DPM_POLICY_PACK_POSTGRES_DSN (or DPM_SUPPORTABILITY_POSTGRES_DSN when that is unset).',
    );
  }
  const opened = await openExecutor({
    engine: options.backend === 'POSTGRES' ? { kind: 'postgres', dsn, pools: options.pools } : { kind: 'sqlite', path: options.sqlitePath },
    namespace: 'policy_packs',
    store: 'DPM_POLICY_PACK',
    migrate: options.migrate,
    migration: options.migration,
  });
  const catalog = createSqlPolicyPackCatalog(opened.executor, {
    backend: options.backend,
    cacheTtlMs: options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS,
    now,
  });
  try {
    // Fail at startup, not on the first simulate, when the table is missing or holds a bad row.
    await catalog.snapshot();
  } catch (error) {
    await catalog.close().catch(() => undefined);
    throw error;
  }
  return { catalog, check: opened.check, close: () => catalog.close() };
}
