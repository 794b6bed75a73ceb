import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReasonError } from '../../../src/config/reason-codes.ts';
import { migrationLockKey } from '../../../src/stores/migrations/lock-key.ts';
import type { LockWait } from '../../../src/stores/migrations/progress.ts';
import { LOCK_WAIT_REPORT_INTERVAL_MS } from '../../../src/stores/postgres/migration-lock.ts';
import { migratePostgres } from '../../../src/stores/postgres/migrator.ts';
import { migrationsFolder } from '../../support/migration-fixtures.ts';
import { freshDatabase, type TestDatabase, testPool } from '../../support/postgres.ts';

// The reference's keys, spelled out so the test does not trust the function it checks.
const DPM_KEY = '-7168526539896612686';
const PROPOSALS_KEY = '-4554281633922528245';

describe('the namespace migration lock (real PostgreSQL)', () => {
  let database: TestDatabase;
  let pool: pg.Pool;

  beforeAll(async () => {
    database = await freshDatabase();
    pool = testPool({ connectionString: database.dsn, max: 4 });
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

  /** A session holding `key`, named so that the waiting migrator can say who it is. */
  const holdLock = async (key: string, applicationName: string): Promise<{ pid: number; release(): Promise<void> }> => {
    const holder = new pg.Client({ connectionString: database.dsn, application_name: applicationName });
    await holder.connect();
    await holder.query('SELECT pg_advisory_lock($1::bigint)', [key]);
    const { rows } = await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    return { pid: rows[0]?.pid ?? 0, release: () => holder.end() };
  };

  it('gives up with POSTGRES_MIGRATION_LOCK_TIMEOUT naming the holder, touching nothing', async () => {
    const holder = await holdLock(DPM_KEY, 'rival-migrator');
    try {
      expect(await lockHeldBySomeone(DPM_KEY)).toBe(true);
      const started = Date.now();
      const root = migrationsFolder({ dpm: { '0001_a.sql': 'CREATE TABLE a (id int);' } });
      const failure = await migratePostgres(pool, 'dpm', { migrationsRoot: root, lockTimeoutMs: 300 }).catch((error: unknown) => error as ReasonError);
      expect(failure).toMatchObject({ fullCode: 'POSTGRES_MIGRATION_LOCK_TIMEOUT:dpm' });
      expect((failure as ReasonError).message).toMatch(new RegExp(`held by pid ${holder.pid} \\(application "rival-migrator", .*connected \\d{4}-`));
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
      expect((await pool.query("SELECT to_regclass('schema_migrations') AS t")).rows[0]).toEqual({ t: null });
    } finally {
      await holder.release();
    }
  });

  it('says who holds the lock at once and again at an interval, migrates once the holder lets go, and releases the lock', async () => {
    const holder = await holdLock(PROPOSALS_KEY, 'rival-migrator');
    const root = migrationsFolder({ proposals: { '0001_p.sql': 'CREATE TABLE p (id int);' } });
    const waits: LockWait[] = [];
    const run = migratePostgres(pool, 'proposals', {
      migrationsRoot: root,
      lockTimeoutMs: 60_000,
      // The holder lets go once the migrator has reported twice: no guessing with timers.
      progress: { lockWait: (wait) => void (waits.push(wait) === 2 && holder.release()) },
    });
    expect((await run).applied).toEqual(['0001']);
    expect(waits).toHaveLength(2);
    const holderSeen = { pid: holder.pid, applicationName: 'rival-migrator', connectedAt: expect.any(String), state: 'idle' };
    expect(waits).toMatchObject([
      { namespace: 'proposals', timeoutMs: 60_000, holders: [holderSeen] },
      { namespace: 'proposals', timeoutMs: 60_000, holders: [holderSeen] },
    ]);
    expect((waits[1]?.waitedMs ?? 0) - (waits[0]?.waitedMs ?? 0)).toBeGreaterThanOrEqual(LOCK_WAIT_REPORT_INTERVAL_MS);
    expect(await lockHeldBySomeone(PROPOSALS_KEY)).toBe(false);
  });

  it('checks the unlock: a lock lost during the run is POSTGRES_MIGRATION_UNLOCK_FAILED, and the session is not kept', async () => {
    const root = migrationsFolder({ dpm: { '0001_a.sql': 'CREATE TABLE lost (id int);\nSELECT pg_advisory_unlock_all();' } });
    await expect(migratePostgres(pool, 'dpm', { migrationsRoot: root })).rejects.toMatchObject({ fullCode: 'POSTGRES_MIGRATION_UNLOCK_FAILED:dpm' });
    expect(await lockHeldBySomeone(DPM_KEY)).toBe(false);
  });
});
