/**
 * Opens the executor a SQL-backed store runs on — SQLite `:memory:` (IN_MEMORY), a SQLite
 * file, or a shared PostgreSQL pool — migrates its namespace when asked, and gives the
 * readiness probe. Every store opens through here, so they all behave alike.
 */
import type pg from 'pg';
import { ReasonError } from '../../config/reason-codes.ts';
import { redactSecrets } from '../../config/redact.ts';
import type { Namespace } from '../migrations/namespaces.ts';
import type { MigrationProgress } from '../migrations/progress.ts';
import { connectionFailed, type StorePrefix } from '../postgres/errors.ts';
import { migratePostgres } from '../postgres/migrator.ts';
import type { PostgresPools } from '../postgres/pools.ts';
import { migrateSqlite } from '../sqlite/migrator.ts';
import { openSqliteDatabase } from '../sqlite/open.ts';
import type { SqlExecutor } from './executor.ts';
import { withOutageMapping } from './outage-mapping.ts';
import { postgresExecutor } from './postgres-executor.ts';
import { sqliteExecutor } from './sqlite-executor.ts';

export type SqlEngine = { kind: 'memory' } | { kind: 'sqlite'; path: string } | { kind: 'postgres'; dsn: string; pools: PostgresPools };

export interface OpenExecutorOptions {
  readonly engine: SqlEngine;
  readonly namespace: Namespace;
  readonly store: StorePrefix;
  /**
   * PostgreSQL only: apply pending migrations (LOCAL, or APP_MIGRATE_ON_STARTUP). SQLite is a
   * local engine and always migrates itself; PRODUCTION cannot select it.
   */
  readonly migrate: boolean;
  readonly migration?: MigrationOptions;
}

/** How a PostgreSQL migration on open waits for another migrator's lock, and who hears about it. */
export interface MigrationOptions {
  readonly lockTimeoutMs?: number;
  /** Told while the lock is held elsewhere (who holds it) and after each applied file. */
  readonly progress?: MigrationProgress;
}

export interface ProbeResult {
  readonly ready: boolean;
  readonly code?: string;
}

export interface OpenedExecutor {
  readonly executor: SqlExecutor;
  check(): Promise<ProbeResult>;
}

export async function openExecutor(options: OpenExecutorOptions): Promise<OpenedExecutor> {
  const { engine, namespace, store } = options;
  if (engine.kind !== 'postgres') {
    const db = openSqliteDatabase(engine.kind === 'memory' ? ':memory:' : engine.path);
    migrateSqlite(db, namespace);
    const executor = sqliteExecutor(db);
    return { executor, check: async () => ({ ready: db.open }) };
  }

  const pool = engine.pools.pool(engine.dsn);
  try {
    if (options.migrate) await migratePostgres(pool, namespace, options.migration ?? {});
    else await pool.query('SELECT 1');
  } catch (error) {
    // Migration problems already carry their code; anything else here is reaching the server
    // (refused, unknown host, bad credentials, missing database).
    throw error instanceof ReasonError ? error : connectionFailed(store, error);
  }
  const { transactionTimeoutMs, connectTimeoutMs } = engine.pools.options;
  const availability = engine.pools.availability(store);
  const executor = withOutageMapping(postgresExecutor(pool, transactionTimeoutMs === undefined ? {} : { transactionTimeoutMs }), store, availability);
  return {
    executor,
    async check() {
      try {
        // An orchestrator's probe must get an answer even from a frozen server (node-postgres
        // honours a per-query query_timeout; its type definitions omit it).
        await pool.query({ text: 'SELECT 1', query_timeout: connectTimeoutMs } as pg.QueryConfig);
        availability.succeeded();
        return { ready: true };
      } catch (error) {
        availability.unavailable(redactSecrets(error instanceof Error ? error.message : String(error)));
        return { ready: false, code: `${store}_POSTGRES_UNAVAILABLE` };
      }
    },
  };
}
