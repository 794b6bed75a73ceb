/**
 * A PostgreSQL session that dies under the service — terminated by an administrator, a failover
 * or a fast shutdown (57P01) — is an ordinary, mapped error of the one call that used it: never
 * an unhandled `error` event (vitest fails the run on one), never a broken client handed to the
 * next borrower. And every wait is bounded: statements, lock waits and whole transactions past
 * their limits fail with the store's TIMEOUT code.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReasonError } from '../../../src/config/reason-codes.ts';
import { migratePostgres } from '../../../src/stores/postgres/migrator.ts';
import { PostgresPools } from '../../../src/stores/postgres/pools.ts';
import { withTransaction } from '../../../src/stores/postgres/transaction.ts';
import { withOutageMapping } from '../../../src/stores/sql/outage-mapping.ts';
import { postgresExecutor } from '../../../src/stores/sql/postgres-executor.ts';
import { migrationsFolder } from '../../support/migration-fixtures.ts';
import { freshDatabase, type TestDatabase } from '../../support/postgres.ts';

const APP = 'connection-loss-test';

describe('connection loss and timeouts (real PostgreSQL)', () => {
  let database: TestDatabase;
  let pools: PostgresPools;
  let pool: pg.Pool;
  let admin: pg.Client;

  /** Terminates every session of this test's service side that matches `where`, as an operator would. */
  const terminate = async (where = ''): Promise<number> => {
    const { rows } = await admin.query<{ n: number }>(
      `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE $1 ${where}`,
      [`${APP}%`],
    );
    return rows[0]?.n ?? 0;
  };
  const backendPid = async (client: pg.ClientBase): Promise<number> => (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
  const waitFor = (pid: number, event: string) =>
    expect
      .poll(async () => (await admin.query('SELECT wait_event FROM pg_stat_activity WHERE pid = $1', [pid])).rows[0]?.wait_event, { timeout: 10_000 })
      .toBe(event);

  beforeAll(async () => {
    database = await freshDatabase();
    pools = new PostgresPools({
      poolMax: 4,
      statementTimeoutMs: 1_000,
      lockTimeoutMs: 300,
      idleInTransactionTimeoutMs: 30_000,
      queryTimeoutMs: 5_000,
      transactionTimeoutMs: 2_000,
      connectTimeoutMs: 2_000,
      applicationName: APP,
    });
    pool = pools.pool(database.dsn);
    admin = new pg.Client({ connectionString: database.dsn });
    await admin.connect();
    await admin.query('CREATE TABLE ledger (id int PRIMARY KEY)');
  });

  afterAll(async () => {
    await admin.end();
    await pools.closeAll();
    await database.drop();
  });

  it('names every pooled session with the application_name', async () => {
    expect((await pool.query('SHOW application_name')).rows[0]).toEqual({ application_name: APP });
    expect((await pool.query('SHOW lock_timeout')).rows[0]).toEqual({ lock_timeout: '300ms' });
  });

  it('a session terminated between two statements of a transaction fails that transaction, and the pool replaces it', async () => {
    let victim = 0;
    const failure = await withTransaction(pool, async (client) => {
      victim = await backendPid(client);
      await client.query('INSERT INTO ledger VALUES (1)');
      // The session dies while this transaction holds it idle — the case that used to kill the process.
      expect(await terminate(`AND pid = ${victim}`)).toBe(1);
      await expect.poll(async () => (await admin.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [victim])).rowCount, { timeout: 10_000 }).toBe(0);
      await client.query('INSERT INTO ledger VALUES (2)');
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    // Nothing of the transaction was committed.
    expect((await admin.query('SELECT count(*)::int AS n FROM ledger')).rows[0]).toEqual({ n: 0 });
    // The dead client was discarded, not handed to the next borrower.
    const next = await withTransaction(pool, (client) => backendPid(client));
    expect(next).not.toBe(victim);
  });

  it('through the store executor, a session terminated mid-statement is <STORE>_POSTGRES_UNAVAILABLE', async () => {
    const executor = withOutageMapping(postgresExecutor(pool), 'PROPOSAL');
    let victim = 0;
    const running = executor
      .transaction(async (tx) => {
        victim = Number((await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))[0]?.['pid']);
        await tx.query('SELECT pg_sleep(0.8)');
      })
      .catch((error: unknown) => error);
    await expect.poll(() => victim, { timeout: 10_000 }).toBeGreaterThan(0);
    await waitFor(victim, 'PgSleep');
    await terminate(`AND pid = ${victim}`);
    const failure = await running;
    expect(failure).toBeInstanceOf(ReasonError);
    expect((failure as ReasonError).code).toBe('PROPOSAL_POSTGRES_UNAVAILABLE');
    expect(await executor.query('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
  });

  it('repeated terminations of every session under concurrent transactions never escape as an unhandled error', async () => {
    const executor = withOutageMapping(postgresExecutor(pool), 'DPM_SUPPORTABILITY');
    const writes = Array.from({ length: 40 }, (_, i) =>
      executor
        .transaction(async (tx) => {
          await tx.query('SELECT pg_sleep(0.02)');
          await tx.execute('INSERT INTO ledger VALUES ($1) ON CONFLICT DO NOTHING', [100 + i]);
        })
        .then(
          () => 'ok',
          (error: unknown) => (error instanceof ReasonError ? error.code : String(error)),
        ),
    );
    // An operator killing the service's sessions again and again while the writes run.
    for (let round = 0; round < 6; round += 1) {
      await terminate();
      await admin.query('SELECT pg_sleep(0.02)');
    }
    const outcomes = await Promise.all(writes);
    expect(outcomes.filter((o) => o !== 'ok' && o !== 'DPM_SUPPORTABILITY_POSTGRES_UNAVAILABLE')).toEqual([]);
    expect(outcomes).toContain('ok');
    expect(await executor.query('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
  });

  it('a table locked by another session past lock_timeout is <STORE>_POSTGRES_TIMEOUT, promptly', async () => {
    const executor = withOutageMapping(postgresExecutor(pool), 'PROPOSAL');
    await admin.query('BEGIN');
    await admin.query('LOCK TABLE ledger IN ACCESS EXCLUSIVE MODE');
    try {
      const started = Date.now();
      const failure = await executor.query('SELECT * FROM ledger').catch((error: unknown) => error);
      expect(failure).toMatchObject({ code: 'PROPOSAL_POSTGRES_TIMEOUT' });
      // Bounded by the limits (generous: a loaded machine), not by the lock holder.
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await admin.query('ROLLBACK');
    }
  });

  it('a statement over statement_timeout is <STORE>_POSTGRES_TIMEOUT, and the session is reused', async () => {
    const executor = withOutageMapping(postgresExecutor(pool), 'DPM_POLICY_PACK');
    const failure = await executor.transaction((tx) => tx.query('SELECT pg_sleep(3)')).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'DPM_POLICY_PACK_POSTGRES_TIMEOUT' });
    expect(await executor.query('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
  });

  it('a transaction past its limit fails with <STORE>_POSTGRES_TIMEOUT at once and the server rolls it back', async () => {
    const executor = withOutageMapping(postgresExecutor(pool, { transactionTimeoutMs: 1_000 }), 'PROPOSAL');
    let victim = 0;
    const failure = await executor
      .transaction(async (tx) => {
        victim = Number((await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))[0]?.['pid']);
        await tx.execute('INSERT INTO ledger VALUES (7)');
        // Each statement is within statement_timeout; together they are not.
        for (let i = 0; i < 10; i += 1) await tx.query('SELECT pg_sleep(0.4)');
      })
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'PROPOSAL_POSTGRES_TIMEOUT' });
    await expect.poll(async () => (await admin.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [victim])).rowCount, { timeout: 10_000 }).toBe(0);
    expect((await admin.query('SELECT count(*)::int AS n FROM ledger WHERE id = 7')).rows[0]).toEqual({ n: 0 });
  });

  it('the migrator holds a session of its own, named `:migrate`, without the serving limits; losing it is a migration failure, not a crash', async () => {
    const root = migrationsFolder({ dpm: { '0001_slow.sql': 'CREATE TABLE slow (id int);\nSELECT pg_sleep(30);\n' } });
    const migrating = migratePostgres(pool, 'dpm', { migrationsRoot: root }).catch((error: unknown) => error);
    // Still sleeping well past statement_timeout (1 s): the pool's limits are not the migrator's.
    const sleptPastTheLimit = async () =>
      (
        await admin.query(
          "SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND wait_event = 'PgSleep' AND now() - query_start > interval '2 seconds'",
          [`${APP}:migrate`],
        )
      ).rowCount;
    await expect.poll(sleptPastTheLimit, { timeout: 15_000 }).toBe(1);
    await terminate(`AND application_name = '${APP}:migrate'`);
    expect(await migrating).toMatchObject({ code: 'POSTGRES_MIGRATION_FAILED' });
    expect((await admin.query("SELECT to_regclass('slow') IS NULL AS gone")).rows[0]).toEqual({ gone: true });
  });
});
