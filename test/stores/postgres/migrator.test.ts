import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrationLockKey } from '../../../src/stores/migrations/lock-key.ts';
import { NAMESPACES } from '../../../src/stores/migrations/namespaces.ts';
import { migratePostgres, POSTGRES_MIGRATIONS_ROOT, postgresMigrationStatus } from '../../../src/stores/postgres/migrator.ts';
import { migrationsFolder } from '../../support/migration-fixtures.ts';
import { freshDatabase, type TestDatabase } from '../../support/postgres.ts';

const BASIC = {
  dpm: {
    '0001_tables.sql': 'CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (id int PRIMARY KEY);',
    '0002_more.sql': "CREATE TABLE c (note text DEFAULT 'x;y');",
  },
};

describe('migratePostgres (real PostgreSQL)', () => {
  let database: TestDatabase;
  let pool: pg.Pool;

  beforeEach(async () => {
    database = await freshDatabase();
    pool = new pg.Pool({ connectionString: database.dsn, max: 12 });
    pool.on('error', () => undefined);
  });

  afterEach(async () => {
    await pool.end();
    await database.drop();
  });

  const tables = async (): Promise<string[]> =>
    (await pool.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).rows.map((r) => r.t);
  const history = async (): Promise<{ version: string; namespace: string }[]> =>
    (await pool.query<{ version: string; namespace: string }>('SELECT version, namespace FROM schema_migrations ORDER BY version')).rows;

  it('applies forward only and idempotently', async () => {
    const root = migrationsFolder(BASIC);
    expect(await migratePostgres(pool, 'dpm', { migrationsRoot: root })).toEqual({ namespace: 'dpm', applied: ['0001', '0002'], alreadyApplied: [] });
    expect(await migratePostgres(pool, 'dpm', { migrationsRoot: root })).toEqual({ namespace: 'dpm', applied: [], alreadyApplied: ['0001', '0002'] });
    expect(await tables()).toEqual(['a', 'b', 'c', 'schema_migrations']);
    expect(await history()).toEqual([
      { version: 'dpm:0001', namespace: 'dpm' },
      { version: 'dpm:0002', namespace: 'dpm' },
    ]);
  });

  it('refuses an applied file that was edited afterwards', async () => {
    const root = migrationsFolder(BASIC);
    await migratePostgres(pool, 'dpm', { migrationsRoot: root });
    const edited = mkdtempSync(join(tmpdir(), 'edited-'));
    cpSync(root, edited, { recursive: true });
    writeFileSync(join(edited, 'dpm', '0002_more.sql'), "CREATE TABLE c (note text DEFAULT 'changed');");
    await expect(migratePostgres(pool, 'dpm', { migrationsRoot: edited })).rejects.toMatchObject({
      fullCode: 'POSTGRES_MIGRATION_CHECKSUM_MISMATCH:dpm:0002',
    });
  });

  it('sends each file whole: dollar-quoted bodies and ; inside strings work', async () => {
    const root = migrationsFolder({
      dpm: {
        '0001_fn.sql': `CREATE TABLE notes (body text);
INSERT INTO notes VALUES ('semi;colon; inside');
CREATE FUNCTION shout(t text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  RETURN upper(t) || ';';
END;
$$;`,
      },
    });
    await migratePostgres(pool, 'dpm', { migrationsRoot: root });
    expect((await pool.query("SELECT shout('hi') AS s, (SELECT body FROM notes) AS b")).rows[0]).toEqual({ s: 'HI;', b: 'semi;colon; inside' });
  });

  it('a failing file leaves no partial schema and no history row', async () => {
    const root = migrationsFolder({
      dpm: { '0001_ok.sql': 'CREATE TABLE ok (id int);', '0002_bad.sql': 'CREATE TABLE half (id int);\nSELECT * FROM no_such_table;' },
    });
    await expect(migratePostgres(pool, 'dpm', { migrationsRoot: root })).rejects.toMatchObject({ fullCode: 'POSTGRES_MIGRATION_FAILED:dpm:0002' });
    expect(await tables()).toEqual(['ok', 'schema_migrations']);
    expect((await history()).map((r) => r.version)).toEqual(['dpm:0001']);
  });

  it('runs a no-transaction file (CREATE INDEX CONCURRENTLY)', async () => {
    const root = migrationsFolder({
      dpm: {
        '0001_t.sql': 'CREATE TABLE t (id int);',
        '0002_idx.sql': '-- migrate:no-transaction\nCREATE INDEX CONCURRENTLY t_id_idx ON t (id);',
      },
    });
    expect((await migratePostgres(pool, 'dpm', { migrationsRoot: root })).applied).toEqual(['0001', '0002']);
    const { rows } = await pool.query("SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = 't_id_idx'::regclass");
    expect(rows).toEqual([{ valid: true }]);
  });

  it('8 concurrent migrators on an empty database all succeed and apply each file once', async () => {
    const root = migrationsFolder({
      dpm: { '0001_a.sql': 'CREATE TABLE a (id int);', '0002_b.sql': 'CREATE TABLE b (id int);' },
      proposals: { '0001_p.sql': 'CREATE TABLE p (id int);' },
    });
    const runs = await Promise.all(
      Array.from({ length: 8 }, (_, i) => migratePostgres(pool, i % 2 === 0 ? 'dpm' : 'proposals', { migrationsRoot: root })),
    );
    const appliedDpm = runs.filter((r) => r.namespace === 'dpm').flatMap((r) => r.applied);
    const appliedProposals = runs.filter((r) => r.namespace === 'proposals').flatMap((r) => r.applied);
    expect(appliedDpm.sort()).toEqual(['0001', '0002']);
    expect(appliedProposals).toEqual(['0001']);
    expect((await history()).map((r) => r.version)).toEqual(['dpm:0001', 'dpm:0002', 'proposals:0001']);
  });

  it('gives up on a held lock after the timeout', async () => {
    const holder = await pool.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1::bigint)', [migrationLockKey('dpm')]);
      const started = Date.now();
      await expect(migratePostgres(pool, 'dpm', { migrationsRoot: migrationsFolder(BASIC), lockTimeoutMs: 300 })).rejects.toMatchObject({
        fullCode: 'POSTGRES_MIGRATION_LOCK_TIMEOUT:dpm',
      });
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
      expect(await tables()).toEqual([]);
    } finally {
      holder.release(true);
    }
  });

  it('reports a version the code does not know and refuses to migrate', async () => {
    const root = migrationsFolder(BASIC);
    await migratePostgres(pool, 'dpm', { migrationsRoot: root });
    await pool.query("INSERT INTO schema_migrations (version, namespace, checksum) VALUES ('dpm:0003', 'dpm', 'abc')");
    const status = await postgresMigrationStatus(pool, 'dpm', { migrationsRoot: root });
    expect(status.plan.unknown).toEqual(['0003']);
    await expect(migratePostgres(pool, 'dpm', { migrationsRoot: root })).rejects.toMatchObject({
      fullCode: 'POSTGRES_MIGRATION_UNKNOWN_VERSION:dpm:0003',
    });
  });

  it('status of a never-migrated database says so without creating anything', async () => {
    const status = await postgresMigrationStatus(pool, 'dpm', { migrationsRoot: migrationsFolder(BASIC) });
    expect(status.historyTableExists).toBe(false);
    expect(status.plan.pending.map((f) => f.version)).toEqual(['0001', '0002']);
    expect(await tables()).toEqual([]);
  });

  it('the shipped migrations of every namespace apply cleanly', async () => {
    for (const namespace of NAMESPACES) await migratePostgres(pool, namespace, { migrationsRoot: POSTGRES_MIGRATIONS_ROOT });
    for (const namespace of NAMESPACES) {
      const status = await postgresMigrationStatus(pool, namespace);
      expect(status.plan.pending).toEqual([]);
      expect(status.plan.applied.length).toBeGreaterThan(0);
    }
  });
});
