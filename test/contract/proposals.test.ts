import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migratePostgres } from '../../src/stores/postgres/migrator.ts';
import { PostgresPools } from '../../src/stores/postgres/pools.ts';
import { createSqlProposalStore } from '../../src/stores/proposals/sql-store.ts';
import type { SqlExecutor } from '../../src/stores/sql/executor.ts';
import { postgresExecutor } from '../../src/stores/sql/postgres-executor.ts';
import { sqliteExecutor } from '../../src/stores/sql/sqlite-executor.ts';
import { migrateSqlite } from '../../src/stores/sqlite/migrator.ts';
import { openSqliteDatabase } from '../../src/stores/sqlite/open.ts';
import { freshDatabase } from '../support/postgres.ts';
import { proposalStoreContract, type ProposalStoreHandle } from './proposals.contract.ts';

/** Wraps an executor so that the statement matching `pattern` fails, as a crash between steps would. */
function failingOn(executor: SqlExecutor, pattern: RegExp): SqlExecutor {
  const guard = <T>(sql: string, run: () => Promise<T>): Promise<T> => (pattern.test(sql) ? Promise.reject(new Error('injected failure')) : run());
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
  const options = { poolMax: 12, statementTimeoutMs: 10_000, connectTimeoutMs: 5_000 };
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
