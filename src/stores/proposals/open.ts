import type { ProposalStoreBackend } from '../../config/proposal-settings.ts';
import type { PostgresPools } from '../postgres/pools.ts';
import { openExecutor, type MigrationOptions, type ProbeResult } from '../sql/open-executor.ts';
import type { ProposalStore } from './port.ts';
import { createSqlProposalStore } from './sql-store.ts';

export interface OpenProposalStoreOptions {
  readonly backend: ProposalStoreBackend;
  readonly sqlitePath: string;
  readonly postgresDsn: string;
  readonly pools: PostgresPools;
  readonly migrate: boolean;
  readonly migration?: MigrationOptions;
}

export interface OpenedProposalStore {
  readonly store: ProposalStore;
  check(): Promise<ProbeResult>;
  /** Closes the store (SQLite: the database; PostgreSQL: nothing — pools belong to `PostgresPools`). */
  close(): Promise<void>;
}

/** IN_MEMORY is SQLite `:memory:` behind the same queries, so it cannot drift from the others. */
export async function openProposalStore(options: OpenProposalStoreOptions): Promise<OpenedProposalStore> {
  const engine =
    options.backend === 'POSTGRES'
      ? ({ kind: 'postgres', dsn: options.postgresDsn, pools: options.pools } as const)
      : options.backend === 'SQLITE'
        ? ({ kind: 'sqlite', path: options.sqlitePath } as const)
        : ({ kind: 'memory' } as const);
  const opened = await openExecutor({
    engine,
    namespace: 'proposals',
    store: 'PROPOSAL',
    migrate: options.migrate,
    migration: options.migration,
  });
  const store = createSqlProposalStore(opened.executor);
  return { store, check: opened.check, close: () => store.close() };
}
