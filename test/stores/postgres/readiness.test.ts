import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migratePostgres } from '../../../src/stores/postgres/migrator.ts';
import { verifyNamespace } from '../../../src/stores/postgres/readiness.ts';
import { migrationsFolder } from '../../support/migration-fixtures.ts';
import { freshDatabase, type TestDatabase, testPool } from '../../support/postgres.ts';

describe('verifyNamespace (real PostgreSQL)', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  const v1 = migrationsFolder({ dpm: { '0001_a.sql': 'CREATE TABLE a (id int);' } });
  const v2 = migrationsFolder({ dpm: { '0001_a.sql': 'CREATE TABLE a (id int);', '0002_b.sql': 'CREATE TABLE b (id int);', '0003_c.sql': 'SELECT 1;' } });
  const edited = migrationsFolder({ dpm: { '0001_a.sql': 'CREATE TABLE a (id bigint);' } });

  beforeAll(async () => {
    database = await freshDatabase();
    pool = testPool({ connectionString: database.dsn, max: 2 });
    pool.on('error', () => undefined);
  });

  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  const failed = async (root: string): Promise<string[]> =>
    (await verifyNamespace({ namespace: 'dpm', pool }, root)).filter((c) => !c.ok).map((c) => c.code);

  it('reports a database that was never migrated', async () => {
    expect(await failed(v1)).toEqual(['CUTOVER_SCHEMA_MIGRATIONS_TABLE_MISSING:dpm']);
  });

  it('passes every check when every file is applied', async () => {
    await migratePostgres(pool, 'dpm', { migrationsRoot: v1 });
    const checks = await verifyNamespace({ namespace: 'dpm', pool }, v1);
    expect(checks.every((c) => c.ok)).toBe(true);
    expect(checks.map((c) => c.code)).toEqual([
      'CUTOVER_POSTGRES_UNREACHABLE:dpm',
      'CUTOVER_SCHEMA_MIGRATIONS_TABLE_MISSING:dpm',
      'CUTOVER_MIGRATION_MISSING:dpm:0001',
      'POSTGRES_MIGRATION_CHECKSUM_MISMATCH:dpm:0001',
      'POSTGRES_MIGRATION_UNKNOWN_VERSION:dpm',
      'CUTOVER_INVALID_INDEX:dpm',
    ]);
    expect(checks.some((c) => c.notice)).toBe(false);
  });

  it('lists every pending file, not just the first', async () => {
    expect(await failed(v2)).toEqual(['CUTOVER_MIGRATION_MISSING:dpm:0002', 'CUTOVER_MIGRATION_MISSING:dpm:0003']);
  });

  it('passes versions newer than the code as notices (future), and fails a file missing below them (gap)', async () => {
    await pool.query("INSERT INTO schema_migrations (version, namespace, checksum) VALUES ('dpm:0007', 'dpm', 'x')");
    const checks = await verifyNamespace({ namespace: 'dpm', pool }, v1);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    expect(checks.filter((c) => c.notice).map((c) => [c.code, c.ok])).toEqual([['POSTGRES_MIGRATION_FUTURE_VERSION:dpm:0007', true]]);
    // v2 knows 0002 and 0003, below the database's 0007: applying them now would be out of order.
    expect(await failed(v2)).toEqual(['POSTGRES_MIGRATION_GAP:dpm:0002', 'POSTGRES_MIGRATION_GAP:dpm:0003']);
  });

  it('reports checksum drift, versions the code cannot explain, and invalid indexes', async () => {
    await pool.query("INSERT INTO schema_migrations (version, namespace, checksum) VALUES ('dpm:0000', 'dpm', 'x')");
    // An index PostgreSQL marks invalid, as an interrupted CREATE INDEX CONCURRENTLY leaves it.
    await pool.query('CREATE INDEX a_id_idx ON a (id)');
    await pool.query("UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'a_id_idx'::regclass");
    expect(await failed(edited)).toEqual([
      'POSTGRES_MIGRATION_CHECKSUM_MISMATCH:dpm:0001',
      'POSTGRES_MIGRATION_UNKNOWN_VERSION:dpm:0000',
      'CUTOVER_INVALID_INDEX:dpm:a_id_idx',
    ]);
  });

  it('reports an unreachable server with the password redacted', async () => {
    const dead = testPool({ connectionString: 'postgres://app:hunter2@127.0.0.1:1/x', connectionTimeoutMillis: 2000 });
    const checks = await verifyNamespace({ namespace: 'dpm', pool: dead }, v1);
    await dead.end();
    expect(checks.map((c) => [c.code, c.ok])).toEqual([['CUTOVER_POSTGRES_UNREACHABLE:dpm', false]]);
    expect(JSON.stringify(checks)).not.toContain('hunter2');
  });
});
