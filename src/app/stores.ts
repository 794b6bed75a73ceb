/**
 * Opens the stores the settings select. In PRODUCTION without APP_MIGRATE_ON_STARTUP, the
 * service runs no DDL: it verifies every PostgreSQL namespace exactly like the cutover check
 * and refuses to start on any problem (all of them reported). Otherwise it migrates its own
 * namespaces first (LOCAL). Either way, versions a later release applied are logged as warnings.
 */
import type { Logger } from 'pino';
import type { Settings } from '../config/settings.ts';
import type { Violation } from '../config/variables.ts';
import { ReasonError } from '../config/reason-codes.ts';
import { openDpmRunStore } from '../stores/dpm-runs/open.ts';
import type { DpmRunStore } from '../stores/dpm-runs/port.ts';
import type { Namespace } from '../stores/migrations/namespaces.ts';
import { loggedMigrationProgress } from '../stores/migrations/progress.ts';
import { openPolicyPackCatalog } from '../stores/policy-pack-catalog/open.ts';
import type { PolicyPackCatalog } from '../stores/policy-pack-catalog/port.ts';
import { openProposalStore } from '../stores/proposals/open.ts';
import type { ProposalStore } from '../stores/proposals/port.ts';
import type { StorePrefix } from '../stores/postgres/errors.ts';
import { createOutageLog, type OutageLog } from '../stores/postgres/outage-log.ts';
import { PostgresPools, type PoolUsage } from '../stores/postgres/pools.ts';
import { verifyNamespace, type Check } from '../stores/postgres/readiness.ts';
import type { StoreName, StoreProbe } from './readiness.ts';
import { databaseSystemOf, tracedPort } from './traced-stores.ts';

export interface Stores {
  readonly dpm: DpmRunStore;
  readonly proposals: ProposalStore;
  readonly policyPacks: PolicyPackCatalog;
  readonly probes: readonly StoreProbe[];
  /** The PostgreSQL stores' pools and outages now, read by /metrics at scrape time. */
  readonly postgres: PostgresReadings;
  close(): Promise<void>;
}

export interface PostgresReadings {
  /** One reading per pool: stores that share a DSN share its pool, and are listed together. */
  pools(): readonly (PoolUsage & { readonly stores: readonly StoreName[] })[];
  /** Each PostgreSQL store, and whether the outage log has it down now. */
  outages(): readonly { readonly store: StoreName; readonly down: boolean }[];
}

export type OpenStoresResult = { readonly ok: true; readonly stores: Stores } | { readonly ok: false; readonly violations: readonly Violation[] };

/** A store on PostgreSQL: its migration namespace, its name (readiness, metrics), its reason-code prefix, and its DSN. */
interface PostgresTarget {
  readonly namespace: Namespace;
  readonly store: StoreName;
  readonly prefix: StorePrefix;
  readonly dsn: string;
}

/** The PostgreSQL stores this configuration uses. */
function postgresNamespaces(settings: Settings): PostgresTarget[] {
  const targets: PostgresTarget[] = [];
  if (settings.dpm.backend === 'POSTGRES') targets.push({ namespace: 'dpm', store: 'dpm_supportability', prefix: 'DPM_SUPPORTABILITY', dsn: settings.dpm.postgresDsn });
  if (settings.proposals.backend === 'POSTGRES') targets.push({ namespace: 'proposals', store: 'proposals', prefix: 'PROPOSAL', dsn: settings.proposals.postgresDsn });
  if (settings.policyPacks.catalogBackend === 'POSTGRES') {
    targets.push({ namespace: 'policy_packs', store: 'policy_pack_catalog', prefix: 'DPM_POLICY_PACK', dsn: settings.policyPacks.postgresDsn });
  }
  return targets;
}

/** Readings by pool, not by store: a pool shared by two stores is counted once, so sums over pools are right. */
function postgresReadings(targets: readonly PostgresTarget[], pools: PostgresPools, outages: OutageLog): PostgresReadings {
  const byDsn = new Map<string, StoreName[]>();
  for (const { dsn, store } of targets) byDsn.set(dsn, [...(byDsn.get(dsn) ?? []), store]);
  return {
    pools: () =>
      [...byDsn].flatMap(([dsn, stores]) => {
        const usage = pools.usage(dsn);
        return usage ? [{ ...usage, stores }] : [];
      }),
    outages: () => targets.map(({ store, prefix }) => ({ store, down: outages.isDown(prefix) })),
  };
}

async function verifyAll(settings: Settings, pools: PostgresPools): Promise<Check[]> {
  const checks = await Promise.all(postgresNamespaces(settings).map(({ namespace, dsn }) => verifyNamespace({ namespace, pool: pools.pool(dsn) })));
  return checks.flat();
}

/** A schema a later release migrated further is allowed (docs/migrations.md), and said out loud. */
function warnAboutNotices(logger: Logger, checks: readonly Check[]): void {
  for (const check of checks) if (check.ok && check.notice) logger.warn({ code: check.code }, check.detail);
}

export async function openStores(settings: Settings, logger: Logger): Promise<OpenStoresResult> {
  const outages = createOutageLog({ logger, intervalMs: settings.resilience.outageLogIntervalMs });
  const pools = new PostgresPools({ ...settings.postgres, outages, onIdleError: (message) => outages.connectionLost(message) });
  // Closed again if a later store fails to open.
  const opened: { close(): Promise<void> }[] = [];
  try {
    const verified = settings.migrateOnStartup ? undefined : await verifyAll(settings, pools);
    const violations = (verified ?? []).filter((check) => !check.ok).map((check) => ({ code: check.code, message: check.detail }));
    if (violations.length > 0) {
      await pools.closeAll();
      return { ok: false, violations };
    }
    // A service migrating its own stores says so, and names whoever holds the lock it waits for.
    const migration = { lockTimeoutMs: settings.postgres.migrationLockTimeoutMs, progress: loggedMigrationProgress(logger.child({ component: 'migrate' })) };
    const dpm = await openDpmRunStore({
      backend: settings.dpm.backend,
      sqlitePath: settings.dpm.sqlitePath,
      postgresDsn: settings.dpm.postgresDsn,
      pools,
      migrate: settings.migrateOnStartup,
      migration,
    });
    opened.push(dpm.store);
    const proposals = await openProposalStore({
      backend: settings.proposals.backend,
      sqlitePath: settings.proposals.sqlitePath,
      postgresDsn: settings.proposals.postgresDsn,
      pools,
      migrate: settings.migrateOnStartup,
      migration,
    });
    opened.push(proposals.store);
    const catalog = await openPolicyPackCatalog({
      backend: settings.policyPacks.catalogBackend,
      catalogJson: settings.policyPacks.catalogJson,
      sqlitePath: settings.policyPacks.sqlitePath,
      postgresDsn: settings.policyPacks.postgresDsn,
      pools,
      migrate: settings.migrateOnStartup,
      cacheTtlMs: settings.policyPacks.cacheTtlMs,
      migration,
    });
    warnAboutNotices(logger, verified ?? (await verifyAll(settings, pools)));
    const probes: StoreProbe[] = [
      { store: 'dpm_supportability', backend: settings.dpm.backend, check: dpm.check },
      { store: 'proposals', backend: settings.proposals.backend, check: proposals.check },
      { store: 'policy_pack_catalog', backend: settings.policyPacks.catalogBackend, check: catalog.check },
    ];
    return {
      ok: true,
      stores: {
        // Each call a span when tracing is on (docs/operations.md#tracing-and-logs).
        dpm: tracedPort(dpm.store, 'dpm_store', databaseSystemOf(settings.dpm.backend)),
        proposals: tracedPort(proposals.store, 'proposal_store', databaseSystemOf(settings.proposals.backend)),
        policyPacks: tracedPort(catalog.catalog, 'policy_pack_catalog', databaseSystemOf(settings.policyPacks.catalogBackend)),
        probes,
        postgres: postgresReadings(postgresNamespaces(settings), pools, outages),
        async close() {
          await dpm.store.close();
          await proposals.store.close();
          await catalog.close();
          await pools.closeAll();
        },
      },
    };
  } catch (error) {
    for (const store of opened) await store.close();
    await pools.closeAll();
    if (error instanceof ReasonError) return { ok: false, violations: [{ code: error.fullCode, message: error.message }] };
    throw error;
  }
}
