import type { DpmStoreBackend } from '../../config/dpm-settings.ts';
import type { PostgresPools } from '../postgres/pools.ts';
import { openExecutor, type MigrationOptions, type ProbeResult } from '../sql/open-executor.ts';
import type { DpmRunStore } from './port.ts';
import { createSqlDpmRunStore } from './sql-store.ts';

export interface OpenDpmStoreOptions {
  readonly backend: DpmStoreBackend;
  readonly sqlitePath: string;
  readonly postgresDsn: string;
  readonly pools: PostgresPools;
  readonly migrate: boolean;
  readonly migration?: MigrationOptions;
}

export interface OpenedDpmStore {
  readonly store: DpmRunStore;
  /** Readiness: `{ ready: false, code: 'DPM_SUPPORTABILITY_POSTGRES_UNAVAILABLE' }` while PostgreSQL is away. */
  check(): Promise<ProbeResult>;
  /** Closes the store (a SQLite database; PostgreSQL pools belong to `pools`). */
  close(): Promise<void>;
}

/** IN_MEMORY is SQLite `:memory:` behind the same queries, so it cannot drift from the others. */
export async function openDpmRunStore(options: OpenDpmStoreOptions): Promise<OpenedDpmStore> {
  const engine =
    options.backend === 'POSTGRES'
      ? ({ kind: 'postgres', dsn: options.postgresDsn, pools: options.pools } as const)
      : options.backend === 'SQL'
        ? ({ kind: 'sqlite', path: options.sqlitePath } as const)
        : ({ kind: 'memory' } as const);
  const opened = await openExecutor({
    engine,
    namespace: 'dpm',
    store: 'DPM_SUPPORTABILITY',
    migrate: options.migrate,
    migration: options.migration,
  });
  const store = createSqlDpmRunStore(opened.executor);
  return { store, check: opened.check, close: () => store.close() };
}
