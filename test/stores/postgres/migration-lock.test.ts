import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationLockKey } from '../../../src/stores/migrations/lock-key.ts';
import { migratePostgres } from '../../../src/stores/postgres/migrator.ts';
import { migrationsFolder } from '../../support/migration-fixtures.ts';
import { freshDatabase, type TestDatabase } from '../../support/postgres.ts';

// The reference's keys, spelled out so the test does not trust the function it checks.
const DPM_KEY = '-7168526539896612686';
const PROPOSALS_KEY = '-4554281633922528245';

describe('the namespace migration lock (real PostgreSQL)', () => {
  let database: TestDatabase;
  let pool: pg.Pool;

  beforeAll(async () => {
    database = await freshDatabase();
    pool = new pg.Pool({ connectionString: database.dsn, max: 4 });
    pool.on('error', () => undefined);
  });

  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  const lockHeldBySomeone = async (key: string): Promise<boolean> =>
    (
      await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_locks
         WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
           AND ((classid::bigint << 32) | objid::bigint) = $1::bigint`,
        [key],
      )
    ).rows[0]?.n !== 0;

  it('keys match the reference vectors: first 8 bytes of SHA-256(namespace), signed big-endian', () => {
    expect(migrationLockKey('dpm')).toBe(DPM_KEY);
    expect(migrationLockKey('proposals')).toBe(PROPOSALS_KEY);
  });

  it('gives up with POSTGRES_MIGRATION_LOCK_TIMEOUT while another session holds the reference key, touching nothing', async () => {
    const holder = await pool.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1::bigint)', [DPM_KEY]);
      expect(await lockHeldBySomeone(DPM_KEY)).toBe(true);
      const started = Date.now();
      const root = migrationsFolder({ dpm: { '0001_a.sql': 'CREATE TABLE a (id int);' } });
      await expect(migratePostgres(pool, 'dpm', { migrationsRoot: root, lockTimeoutMs: 300 })).rejects.toMatchObject({
        fullCode: 'POSTGRES_MIGRATION_LOCK_TIMEOUT:dpm',
      });
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
      expect((await pool.query("SELECT to_regclass('schema_migrations') AS t")).rows[0]).toEqual({ t: null });
    } finally {
      await holder.query('SELECT pg_advisory_unlock($1::bigint)', [DPM_KEY]);
      holder.release();
    }
  });

  it('waits for a holder that lets go before the deadline, then migrates and releases the lock', async () => {
    const holder = await pool.connect();
    await holder.query('SELECT pg_advisory_lock($1::bigint)', [PROPOSALS_KEY]);
    const root = migrationsFolder({ proposals: { '0001_p.sql': 'CREATE TABLE p (id int);' } });
    const run = migratePostgres(pool, 'proposals', { migrationsRoot: root, lockTimeoutMs: 5_000 });
    setTimeout(() => void holder.query('SELECT pg_advisory_unlock($1::bigint)', [PROPOSALS_KEY]).finally(() => holder.release()), 250);
    expect((await run).applied).toEqual(['0001']);
    expect(await lockHeldBySomeone(PROPOSALS_KEY)).toBe(false);
  });

  it('checks the unlock: a lock lost during the run is POSTGRES_MIGRATION_UNLOCK_FAILED, and the session is not kept', async () => {
    const root = migrationsFolder({ dpm: { '0001_a.sql': 'CREATE TABLE lost (id int);\nSELECT pg_advisory_unlock_all();' } });
    await expect(migratePostgres(pool, 'dpm', { migrationsRoot: root })).rejects.toMatchObject({ fullCode: 'POSTGRES_MIGRATION_UNLOCK_FAILED:dpm' });
    expect(await lockHeldBySomeone(DPM_KEY)).toBe(false);
  });
});
