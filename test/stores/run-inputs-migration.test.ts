/**
 * The migration that keeps run inputs is additive (docs/migrations.md): a database written by the
 * previous release — its schema, its INSERT — migrates forward; its runs read back without inputs,
 * so reproducing one says the request was not stored; and the previous release's INSERT still works
 * on the migrated schema, so both releases can run side by side during a rollout. On real
 * PostgreSQL and a real SQLite file.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDpmReproduceService } from '../../src/services/dpm/reproduce.ts';
import { openDpmRunStore } from '../../src/stores/dpm-runs/open.ts';
import { migratePostgres, POSTGRES_MIGRATIONS_ROOT } from '../../src/stores/postgres/migrator.ts';
import { PostgresPools } from '../../src/stores/postgres/pools.ts';
import { migrateSqlite, SQLITE_MIGRATIONS_ROOT } from '../../src/stores/sqlite/migrator.ts';
import { openSqliteDatabase } from '../../src/stores/sqlite/open.ts';
import { freshDatabase, testPool } from '../support/postgres.ts';

/** The previous release's migrations: the released dpm files before the inputs migration. */
function previousRelease(root: string, lastVersion: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'previous-release-'));
  mkdirSync(join(copy, 'dpm'));
  for (const file of readdirSync(join(root, 'dpm')).filter((name) => name.slice(0, 4) <= lastVersion)) cpSync(join(root, 'dpm', file), join(copy, 'dpm', file));
  return copy;
}

/** The previous release's INSERT of a run: it names only the columns it knew. */
const OLD_INSERT = `INSERT INTO dpm_runs (rebalance_run_id, correlation_id, request_hash, idempotency_key, portfolio_id, status, created_at, result_json)
  VALUES ($1, 'corr_old', 'sha256:old', NULL, 'pf_old', 'READY', '2026-01-02T03:04:05.000Z', '{"status":"READY"}')`;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function expectOldRunsWithoutInputs(open: () => Promise<{ store: Parameters<typeof createDpmReproduceService>[0]['store']; close(): Promise<void> }>) {
  const opened = await open();
  cleanups.push(() => opened.close());
  expect(await opened.store.getRun('rr_before')).toMatchObject({ rebalance_run_id: 'rr_before', status: 'READY' });
  expect(await opened.store.getRunInputs('rr_before')).toBeNull();
  expect(await opened.store.getRunInputs('rr_during_rollout')).toBeNull();
  const outcome = await createDpmReproduceService({ store: opened.store }).reproduce('rr_before');
  expect(outcome).toMatchObject({ outcome: 'not_stored', run: { rebalance_run_id: 'rr_before' } });
}

describe('the run-inputs migration on a database of the previous release', () => {
  it('PostgreSQL: old runs read back without inputs; the old INSERT still works after the migration', async () => {
    const database = await freshDatabase();
    const pool = testPool({ connectionString: database.dsn, max: 2 });
    cleanups.push(() => database.drop(), () => pool.end());
    expect(await migratePostgres(pool, 'dpm', { migrationsRoot: previousRelease(POSTGRES_MIGRATIONS_ROOT, '0002') })).toMatchObject({ applied: ['0001', '0002'] });
    await pool.query(OLD_INSERT, ['rr_before']);
    // This release may ship later files too; they must keep the previous release's INSERT working as well.
    expect((await migratePostgres(pool, 'dpm')).applied).toEqual(expect.arrayContaining(['0003']));
    await pool.query(OLD_INSERT, ['rr_during_rollout']);

    const pools = new PostgresPools({ poolMax: 2, statementTimeoutMs: 10_000, connectTimeoutMs: 5_000 });
    cleanups.push(() => pools.closeAll());
    await expectOldRunsWithoutInputs(async () => {
      const opened = await openDpmRunStore({ backend: 'POSTGRES', sqlitePath: '', postgresDsn: database.dsn, pools, migrate: false });
      return { store: opened.store, close: opened.close };
    });
  });

  it('SQLite: old runs read back without inputs; the old INSERT still works after the migration', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'run-inputs-')), 'dpm.db');
    const db = openSqliteDatabase(path);
    expect(migrateSqlite(db, 'dpm', { migrationsRoot: previousRelease(SQLITE_MIGRATIONS_ROOT, '0001') })).toMatchObject({ applied: ['0001'] });
    const insert = db.prepare(OLD_INSERT.replace('$1', '?'));
    insert.run('rr_before');
    // This release may ship later files too; they must keep the previous release's INSERT working as well.
    expect(migrateSqlite(db, 'dpm').applied).toEqual(expect.arrayContaining(['0002']));
    insert.run('rr_during_rollout');
    db.close();

    const pools = new PostgresPools({ poolMax: 1, statementTimeoutMs: 10_000, connectTimeoutMs: 5_000 });
    await expectOldRunsWithoutInputs(async () => {
      const opened = await openDpmRunStore({ backend: 'SQL', sqlitePath: path, postgresDsn: '', pools, migrate: true });
      return { store: opened.store, close: opened.close };
    });
  });
});
