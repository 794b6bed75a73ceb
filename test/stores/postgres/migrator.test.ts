import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NAMESPACES } from '../../../src/stores/migrations/namespaces.ts';
import { migratePostgres, POSTGRES_MIGRATIONS_ROOT, verifyMigrations } from '../../../src/stores/postgres/migrator.ts';
import { migrationsFolder } from '../../support/migration-fixtures.ts';
import { freshDatabase, type TestDatabase, testPool } from '../../support/postgres.ts';

const BASIC = {
  dpm: {
    '0001_tables.sql': 'CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (id int PRIMARY KEY);',
    '0002_more.sql': "CREATE TABLE c (note text DEFAULT 'x;y');",
  },
};

describe('migratePostgres (real PostgreSQL)', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  const extraPools: pg.Pool[] = [];

  const newPool = (dsn = database.dsn, max = 4): pg.Pool => {
    const created = testPool({ connectionString: dsn, max });
    created.on('error', () => undefined);
    extraPools.push(created);
    return created;
  };

  beforeEach(async () => {
    database = await freshDatabase();
    pool = newPool();
  });

  afterEach(async () => {
    await Promise.all(extraPools.splice(0).map((p) => p.end()));
    await database.drop();
  });

  const tables = async (): Promise<string[]> =>
    (await pool.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).rows.map((r) => r.t);
  const history = async (): Promise<string[]> =>
    (await pool.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version')).rows.map((r) => r.version);

  it('applies forward only and idempotently, recording <namespace>:<version> rows', async () => {
    const root = migrationsFolder(BASIC);
    expect(await migratePostgres(pool, 'dpm', { migrationsRoot: root })).toEqual({ namespace: 'dpm', applied: ['0001', '0002'], alreadyApplied: [], future: [] });
    expect(await migratePostgres(pool, 'dpm', { migrationsRoot: root })).toEqual({ namespace: 'dpm', applied: [], alreadyApplied: ['0001', '0002'], future: [] });
    expect(await tables()).toEqual(['a', 'b', 'c', 'schema_migrations']);
    const { rows } = await pool.query('SELECT version, namespace, length(checksum) AS len FROM schema_migrations ORDER BY version');
    expect(rows).toEqual([
      { version: 'dpm:0001', namespace: 'dpm', len: 64 },
      { version: 'dpm:0002', namespace: 'dpm', len: 64 },
    ]);
  });

  it('refuses an applied file that was edited afterwards, changing nothing', async () => {
    const root = migrationsFolder(BASIC);
    await migratePostgres(pool, 'dpm', { migrationsRoot: root });
    const edited = mkdtempSync(join(tmpdir(), 'edited-'));
    cpSync(root, edited, { recursive: true });
    writeFileSync(join(edited, 'dpm', '0002_more.sql'), "CREATE TABLE c (note text DEFAULT 'changed');");
    writeFileSync(join(edited, 'dpm', '0003_next.sql'), 'CREATE TABLE d (id int);');
    await expect(migratePostgres(pool, 'dpm', { migrationsRoot: edited })).rejects.toMatchObject({
      fullCode: 'POSTGRES_MIGRATION_CHECKSUM_MISMATCH:dpm:0002',
    });
    expect(await tables()).not.toContain('d');
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

  it('a failing file leaves no partial schema and no history row; the files before it stay', async () => {
    const root = migrationsFolder({
      dpm: { '0001_ok.sql': 'CREATE TABLE ok (id int);', '0002_bad.sql': 'CREATE TABLE half (id int);\nSELECT * FROM no_such_table;' },
    });
    await expect(migratePostgres(pool, 'dpm', { migrationsRoot: root })).rejects.toMatchObject({ fullCode: 'POSTGRES_MIGRATION_FAILED:dpm:0002' });
    expect(await tables()).toEqual(['ok', 'schema_migrations']);
    expect(await history()).toEqual(['dpm:0001']);
  });

  it('runs a no-transaction file (CREATE INDEX CONCURRENTLY), recording it only once it succeeded', async () => {
    const root = migrationsFolder({
      dpm: {
        '0001_t.sql': 'CREATE TABLE t (id int);\nINSERT INTO t VALUES (1), (1);',
        '0002_idx.sql': '-- migrate:no-transaction\nCREATE INDEX CONCURRENTLY t_id_idx ON t (id);',
        '0003_unique.sql': '-- migrate:no-transaction\nCREATE UNIQUE INDEX CONCURRENTLY t_id_key ON t (id);',
      },
    });
    await expect(migratePostgres(pool, 'dpm', { migrationsRoot: root })).rejects.toMatchObject({ fullCode: 'POSTGRES_MIGRATION_FAILED:dpm:0003' });
    const { rows } = await pool.query<{ name: string; valid: boolean }>(
      "SELECT indexrelid::regclass::text AS name, indisvalid AS valid FROM pg_index WHERE indrelid = 't'::regclass ORDER BY 1",
    );
    // The duplicate rows make the unique build fail, leaving the invalid index the cutover check reports.
    expect(rows).toEqual([
      { name: 't_id_idx', valid: true },
      { name: 't_id_key', valid: false },
    ]);
    expect(await history()).toEqual(['dpm:0001', 'dpm:0002']);
  });

  it('8 concurrent migrators (own pools) on an empty database all succeed and apply each file once', async () => {
    const root = migrationsFolder({
      dpm: {
        '0001_a.sql': 'CREATE TABLE applications (file text);\nINSERT INTO applications VALUES (\'0001\');',
        '0002_b.sql': "INSERT INTO applications VALUES ('0002');",
        '0003_c.sql': "INSERT INTO applications VALUES ('0003');",
      },
    });
    const runs = await Promise.all(Array.from({ length: 8 }, () => migratePostgres(newPool(database.dsn, 1), 'dpm', { migrationsRoot: root })));
    expect(runs.flatMap((r) => r.applied).sort()).toEqual(['0001', '0002', '0003']);
    expect((await pool.query('SELECT file FROM applications ORDER BY file')).rows.map((r: { file: string }) => r.file)).toEqual(['0001', '0002', '0003']);
    expect(await history()).toEqual(['dpm:0001', 'dpm:0002', 'dpm:0003']);
  });

  it('every namespace migrating at once on an empty database creates schema_migrations without a race', async () => {
    const root = migrationsFolder({
      dpm: { '0001_d.sql': 'CREATE TABLE d (id int);' },
      proposals: { '0001_p.sql': 'CREATE TABLE p (id int);' },
      policy_packs: { '0001_c.sql': 'CREATE TABLE c (id int);' },
    });
    const runs = await Promise.all(
      [...NAMESPACES, ...NAMESPACES].map((namespace) => migratePostgres(newPool(database.dsn, 1), namespace, { migrationsRoot: root })),
    );
    expect(runs.flatMap((r) => r.applied.map((v) => `${r.namespace}:${v}`)).sort()).toEqual(['dpm:0001', 'policy_packs:0001', 'proposals:0001']);
    expect(await history()).toEqual(['dpm:0001', 'policy_packs:0001', 'proposals:0001']);
  });

  it('inserts the history row before the file runs, so a migrator that raced past the lock stops on the duplicate key', async () => {
    // The file would block on advisory lock 4242, which the test holds: if the file ran before
    // the history insert, the migrator would be seen waiting there instead.
    const root = migrationsFolder({ dpm: { '0001_a.sql': 'SELECT pg_advisory_xact_lock(4242);\nCREATE TABLE a (id int);' } });
    await pool.query('CREATE TABLE schema_migrations (version text PRIMARY KEY, namespace text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
    const rival = await pool.connect();
    try {
      await rival.query('SELECT pg_advisory_lock(4242)');
      await rival.query('BEGIN');
      await rival.query("INSERT INTO schema_migrations (version, namespace, checksum) VALUES ('dpm:0001', 'dpm', 'rival')");
      const outcome = migratePostgres(newPool(), 'dpm', { migrationsRoot: root }).then(
        () => 'applied',
        (error: { fullCode?: string }) => error.fullCode,
      );
      const waiting = async (): Promise<string | undefined> =>
        (await pool.query<{ query: string }>("SELECT query FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")).rows[0]?.query;
      await expect.poll(waiting, { timeout: 10_000 }).toMatch(/^INSERT INTO schema_migrations/);
      await rival.query('COMMIT');
      expect(await outcome).toBe('POSTGRES_MIGRATION_FAILED:dpm:0001');
    } finally {
      rival.release(true);
    }
    expect(await tables()).toEqual(['schema_migrations']);
  });

  it('refuses a duplicated version with its own code, before touching the database', async () => {
    const root = migrationsFolder({ dpm: { '0001_a.sql': 'CREATE TABLE a (id int);', '0001_b.sql': 'CREATE TABLE b (id int);' } });
    await expect(migratePostgres(pool, 'dpm', { migrationsRoot: root })).rejects.toMatchObject({ fullCode: 'POSTGRES_MIGRATION_DUPLICATE_VERSION:dpm:0001' });
    expect(await tables()).toEqual([]);
  });

  it('orders versions by number, not by text (9999 before 10000)', async () => {
    const root = migrationsFolder({
      dpm: { '10000_second.sql': 'ALTER TABLE t ADD COLUMN b int;', '9999_first.sql': 'CREATE TABLE t (a int);' },
    });
    expect((await migratePostgres(pool, 'dpm', { migrationsRoot: root })).applied).toEqual(['9999', '10000']);
  });

  it('leaves versions above its newest file alone: a later release applied them (future), nothing is applied or undone', async () => {
    const root = migrationsFolder(BASIC);
    await migratePostgres(pool, 'dpm', { migrationsRoot: root });
    await pool.query('CREATE TABLE from_next_release (id int)');
    await pool.query("INSERT INTO schema_migrations (version, namespace, checksum) VALUES ('dpm:0003', 'dpm', 'written by the next release')");
    expect((await verifyMigrations(pool, 'dpm', { migrationsRoot: root })).plan).toMatchObject({ future: ['0003'], unknown: [], gaps: [], pending: [] });
    expect(await migratePostgres(pool, 'dpm', { migrationsRoot: root })).toEqual({ namespace: 'dpm', applied: [], alreadyApplied: ['0001', '0002'], future: ['0003'] });
    expect(await history()).toEqual(['dpm:0001', 'dpm:0002', 'dpm:0003']);
    expect(await tables()).toContain('from_next_release');
  });

  it('refuses an unknown version below its newest file, and a file missing below an applied version (gap), touching nothing', async () => {
    const root = migrationsFolder(BASIC);
    await migratePostgres(pool, 'dpm', { migrationsRoot: root });
    await pool.query("INSERT INTO schema_migrations (version, namespace, checksum) VALUES ('dpm:0000', 'dpm', 'abc')");
    await expect(migratePostgres(pool, 'dpm', { migrationsRoot: root })).rejects.toMatchObject({ fullCode: 'POSTGRES_MIGRATION_UNKNOWN_VERSION:dpm:0000' });

    await pool.query("DELETE FROM schema_migrations WHERE version IN ('dpm:0000', 'dpm:0001')");
    await pool.query('DROP TABLE a');
    await expect(migratePostgres(pool, 'dpm', { migrationsRoot: root })).rejects.toMatchObject({ fullCode: 'POSTGRES_MIGRATION_GAP:dpm:0001' });
    expect(await tables()).toEqual(['b', 'c', 'schema_migrations']);
    expect(await history()).toEqual(['dpm:0002']);
  });

  it('reports each applied file with its name and duration, in order', async () => {
    const applied: unknown[] = [];
    await migratePostgres(pool, 'dpm', { migrationsRoot: migrationsFolder(BASIC), progress: { applied: (file) => applied.push(file) } });
    expect(applied).toEqual([
      { namespace: 'dpm', version: '0001', fileName: '0001_tables.sql', durationMs: expect.any(Number) },
      { namespace: 'dpm', version: '0002', fileName: '0002_more.sql', durationMs: expect.any(Number) },
    ]);
  });

  it('recognises legacy un-prefixed history rows as applied', async () => {
    const root = migrationsFolder(BASIC);
    await migratePostgres(pool, 'dpm', { migrationsRoot: root });
    await pool.query("UPDATE schema_migrations SET version = split_part(version, ':', 2)");
    expect(await history()).toEqual(['0001', '0002']);
    expect(await migratePostgres(pool, 'dpm', { migrationsRoot: root })).toMatchObject({ applied: [], alreadyApplied: ['0001', '0002'] });
  });

  it('verifyMigrations reports a never-migrated database distinctly and creates nothing', async () => {
    const status = await verifyMigrations(pool, 'dpm', { migrationsRoot: migrationsFolder(BASIC) });
    expect(status.historyTableExists).toBe(false);
    expect(status.plan.pending.map((f) => f.version)).toEqual(['0001', '0002']);
    expect(await tables()).toEqual([]);
  });

  it('keeps and finds schema_migrations on the connection search_path, not in a hard-coded public', async () => {
    await pool.query('CREATE SCHEMA app');
    const appPool = newPool(`${database.dsn}?options=${encodeURIComponent('-c search_path=app')}`);
    const root = migrationsFolder(BASIC);
    await migratePostgres(appPool, 'dpm', { migrationsRoot: root });
    const { rows } = await pool.query("SELECT schemaname AS s, count(*)::int AS n FROM pg_tables WHERE tablename IN ('a', 'b', 'c', 'schema_migrations') GROUP BY 1");
    expect(rows).toEqual([{ s: 'app', n: 4 }]);
    expect(await verifyMigrations(appPool, 'dpm', { migrationsRoot: root })).toMatchObject({ historyTableExists: true, plan: { pending: [], applied: ['0001', '0002'] } });
    expect((await verifyMigrations(pool, 'dpm', { migrationsRoot: root })).historyTableExists).toBe(false);
  });

  it('the shipped migrations of every namespace apply cleanly', async () => {
    for (const namespace of NAMESPACES) await migratePostgres(pool, namespace, { migrationsRoot: POSTGRES_MIGRATIONS_ROOT });
    for (const namespace of NAMESPACES) {
      const status = await verifyMigrations(pool, namespace);
      expect(status.plan.pending).toEqual([]);
      expect(status.plan.applied.length).toBeGreaterThan(0);
    }
  });
});
