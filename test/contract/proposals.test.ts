import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migratePostgres } from '../../src/stores/postgres/migrator.ts';
import { PostgresPools } from '../../src/stores/postgres/pools.ts';
import { openProposalStore } from '../../src/stores/proposals/open.ts';
import { createSqlProposalStore } from '../../src/stores/proposals/sql-store.ts';
import { sqlText, type Sql, type SqlExecutor } from '../../src/stores/sql/executor.ts';
import { postgresExecutor } from '../../src/stores/sql/postgres-executor.ts';
import { sqliteExecutor } from '../../src/stores/sql/sqlite-executor.ts';
import { migrateSqlite } from '../../src/stores/sqlite/migrator.ts';
import { openSqliteDatabase } from '../../src/stores/sqlite/open.ts';
import { freshDatabase } from '../support/postgres.ts';
import { proposalStoreContract, type ProposalStoreHandle } from './proposals.contract.ts';

/** Wraps an executor so that the statement matching `pattern` fails, as a crash between steps would. */
function failingOn(executor: SqlExecutor, pattern: RegExp): SqlExecutor {
  const guard = <T>(sql: Sql, run: () => Promise<T>): Promise<T> => (pattern.test(sqlText(sql)) ? Promise.reject(new Error('injected failure')) : run());
  return {
    ...executor,
    query: (sql, params) => guard(sql, () => executor.query(sql, params)),
    execute: (sql, params) => guard(sql, () => executor.execute(sql, params)),
    transaction: (work) =>
      executor.transaction((tx) =>
        work({ query: (sql, params) => guard(sql, () => tx.query(sql, params)), execute: (sql, params) => guard(sql, () => tx.execute(sql, params)) }),
      ),
  };
}

function handleOver(executor: SqlExecutor, extra: Partial<ProposalStoreHandle> & { close(): Promise<void> }): ProposalStoreHandle {
  return { store: createSqlProposalStore(executor), executor, failingOn: (pattern) => createSqlProposalStore(failingOn(executor, pattern)), ...extra };
}

function sqliteHandle(path: string): ProposalStoreHandle {
  const open = (): SqlExecutor => {
    const db = openSqliteDatabase(path);
    migrateSqlite(db, 'proposals');
    return sqliteExecutor(db);
  };
  let executor = open();
  return handleOver(executor, {
    ...(path === ':memory:'
      ? {}
      : {
          reopen: async () => {
            await executor.close();
            executor = open();
            return createSqlProposalStore(executor);
          },
        }),
    close: () => executor.close(),
  });
}

proposalStoreContract('IN_MEMORY', async () => sqliteHandle(':memory:'));

proposalStoreContract('SQLITE', async () => sqliteHandle(join(mkdtempSync(join(tmpdir(), 'proposals-')), 'proposals.db')));

proposalStoreContract('POSTGRES', async () => {
  const database = await freshDatabase();
  // Enough connections for every racer of the concurrency tests to hold its own: a real race.
  const options = { poolMax: 20, statementTimeoutMs: 10_000, connectTimeoutMs: 5_000 };
  let pools = new PostgresPools(options);
  await migratePostgres(pools.pool(database.dsn), 'proposals');
  return handleOver(postgresExecutor(pools.pool(database.dsn)), {
    reopen: async () => {
      await pools.closeAll();
      pools = new PostgresPools(options);
      return createSqlProposalStore(postgresExecutor(pools.pool(database.dsn)));
    },
    close: async () => {
      await pools.closeAll();
      await database.drop();
    },
  });
});

describe('openProposalStore', () => {
  const pgOptions = { poolMax: 2, statementTimeoutMs: 10_000, connectTimeoutMs: 5_000 };

  it.each([
    ['IN_MEMORY', ''],
    ['SQLITE', join(mkdtempSync(join(tmpdir(), 'proposals-open-')), 'nested', 'proposals.db')],
  ] as const)('opens %s migrated and ready', async (backend, sqlitePath) => {
    const pools = new PostgresPools(pgOptions);
    const opened = await openProposalStore({ backend, sqlitePath, postgresDsn: '', pools, migrate: false });
    expect(await opened.check()).toEqual({ ready: true });
    expect(await opened.store.listProposals({ limit: 1 })).toEqual({ items: [], nextCursor: null });
    await opened.close();
    expect(await opened.check()).toEqual({ ready: false });
  });

  it('opens POSTGRES on the shared pool registry, migrating it, and its probe reports the database going away', async () => {
    const database = await freshDatabase();
    const pools = new PostgresPools(pgOptions);
    try {
      const opened = await openProposalStore({ backend: 'POSTGRES', sqlitePath: '', postgresDsn: database.dsn, pools, migrate: true });
      expect(await opened.check()).toEqual({ ready: true });
      expect(await opened.store.getProposal('pp_1')).toBeNull();
      await database.drop();
      expect(await opened.check()).toEqual({ ready: false, code: 'PROPOSAL_POSTGRES_UNAVAILABLE' });
    } finally {
      await pools.closeAll();
      await database.drop();
    }
  });
});
