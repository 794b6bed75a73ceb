import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migratePostgres } from '../../../src/stores/postgres/migrator.ts';
import { verifyNamespace } from '../../../src/stores/postgres/readiness.ts';
import { migrationsFolder } from '../../support/migration-fixtures.ts';
import { freshDatabase, type TestDatabase } from '../../support/postgres.ts';

describe('verifyNamespace (real PostgreSQL)', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  const v1 = migrationsFolder({ dpm: { '0001_a.sql': 'CREATE TABLE a (id int);' } });
  const v2 = migrationsFolder({ dpm: { '0001_a.sql': 'CREATE TABLE a (id int);', '0002_b.sql': 'CREATE TABLE b (id int);', '0003_c.sql': 'SELECT 1;' } });
  const edited = migrationsFolder({ dpm: { '0001_a.sql': 'CREATE TABLE a (id bigint);' } });

  beforeAll(async () => {
    database = await freshDatabase();
    pool = new pg.Pool({ connectionString: database.dsn, max: 2 });
    pool.on('error', () => undefined);
  });

  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  const codes = async (root: string): Promise<string[]> =>
    (await verifyNamespace({ namespace: 'dpm', store: 'DPM_SUPPORTABILITY', pool }, root)).map((v) => v.code);

  it('reports a database that was never migrated', async () => {
    expect(await codes(v1)).toEqual(['POSTGRES_SCHEMA_MIGRATIONS_TABLE_MISSING:dpm']);
  });

  it('is satisfied when every file is applied', async () => {
    await migratePostgres(pool, 'dpm', { migrationsRoot: v1 });
    expect(await codes(v1)).toEqual([]);
  });

  it('lists every pending file, not just the first', async () => {
    expect(await codes(v2)).toEqual(['POSTGRES_MIGRATION_PENDING:dpm:0002', 'POSTGRES_MIGRATION_PENDING:dpm:0003']);
  });

  it('reports checksum drift and versions newer than the code', async () => {
    await pool.query("INSERT INTO schema_migrations (version, namespace, checksum) VALUES ('dpm:0007', 'dpm', 'x')");
    expect(await codes(edited)).toEqual(['POSTGRES_MIGRATION_CHECKSUM_MISMATCH:dpm:0001', 'POSTGRES_MIGRATION_UNKNOWN_VERSION:dpm:0007']);
  });

  it('maps an unreachable server to the store code, password redacted', async () => {
    const dead = new pg.Pool({ connectionString: 'postgres://app:hunter2@127.0.0.1:1/x', connectionTimeoutMillis: 2000 });
    const violations = await verifyNamespace({ namespace: 'dpm', store: 'PROPOSAL', pool: dead }, v1);
    await dead.end();
    expect(violations.map((v) => v.code)).toEqual(['PROPOSAL_POSTGRES_CONNECTION_FAILED']);
    expect(JSON.stringify(violations)).not.toContain('hunter2');
  });
});
