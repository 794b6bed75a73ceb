import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionFailed, isConnectionFailure, isTimeout, isUnavailable, timedOut, unavailable } from '../../../src/stores/postgres/errors.ts';
import { freshDatabase, type TestDatabase } from '../../support/postgres.ts';

/** The error a real connection attempt or query produces. */
async function failureOf(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

async function connectTo(dsn: string): Promise<void> {
  const client = new pg.Client({ connectionString: dsn, connectionTimeoutMillis: 2_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe('PostgreSQL error mapping (real failures)', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await freshDatabase();
  });

  afterAll(async () => {
    await database.drop();
  });

  it('a refused connection is unavailable, and its startup code names the redacted DSN', async () => {
    const dsn = 'postgres://app:hunter2@127.0.0.1:1/x';
    const error = await failureOf(() => connectTo(dsn));
    expect(isUnavailable(error)).toBe(true);
    const mapped = connectionFailed('PROPOSAL', error, dsn);
    expect(mapped.fullCode).toBe('PROPOSAL_POSTGRES_CONNECTION_FAILED');
    expect(mapped.message).toContain('postgres://app:***@127.0.0.1:1/x');
    expect(mapped.message).not.toContain('hunter2');
  });

  it('a session killed by an administrator (57P01) is unavailable: a 503, not a 500', async () => {
    const victim = new pg.Client({ connectionString: database.dsn });
    victim.on('error', () => undefined);
    await victim.connect();
    const pid = (await victim.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
    const running = failureOf(() => victim.query('SELECT pg_sleep(10)'));
    const admin = new pg.Client({ connectionString: database.dsn });
    await admin.connect();
    const sleeping = async (): Promise<unknown> => (await admin.query('SELECT wait_event FROM pg_stat_activity WHERE pid = $1', [pid])).rows[0];
    await expect.poll(sleeping, { timeout: 10_000 }).toEqual({ wait_event: 'PgSleep' });
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    await admin.end();
    const error = await running;
    await victim.end().catch(() => undefined);
    expect(error).toMatchObject({ code: '57P01' });
    expect(isUnavailable(error)).toBe(true);
    expect(unavailable('DPM_SUPPORTABILITY', error).fullCode).toBe('DPM_SUPPORTABILITY_POSTGRES_UNAVAILABLE');
  });

  it('a deadlock the server breaks (40P01) answers like a lock timeout: a 503 to retry, not a 500', async () => {
    const setup = new pg.Client({ connectionString: database.dsn });
    await setup.connect();
    await setup.query('CREATE TABLE deadlock_rows (id int PRIMARY KEY, n int); INSERT INTO deadlock_rows VALUES (1, 0), (2, 0)');
    await setup.end();
    const [a, b] = [new pg.Client({ connectionString: database.dsn }), new pg.Client({ connectionString: database.dsn })];
    await Promise.all([a.connect(), b.connect()]);
    await a.query('BEGIN; UPDATE deadlock_rows SET n = 1 WHERE id = 1');
    await b.query('BEGIN; UPDATE deadlock_rows SET n = 1 WHERE id = 2');
    // Each now waits for the row the other holds; the server's deadlock detector cancels one of them.
    const outcomes = await Promise.allSettled([a.query('UPDATE deadlock_rows SET n = 2 WHERE id = 2'), b.query('UPDATE deadlock_rows SET n = 2 WHERE id = 1')]);
    await Promise.all([a.query('ROLLBACK'), b.query('ROLLBACK')]);
    await Promise.all([a.end(), b.end()]);
    const failures = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected').map((outcome) => outcome.reason as unknown);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ code: '40P01' });
    expect(isTimeout(failures[0])).toBe(true);
    expect(timedOut('PROPOSAL', failures[0]).fullCode).toBe('PROPOSAL_POSTGRES_TIMEOUT');
  });

  it('a missing database is a connection failure but not an outage; a bad query is neither', async () => {
    const url = new URL(database.dsn);
    url.pathname = '/no_such_database';
    const missing = await failureOf(() => connectTo(url.toString()));
    expect(missing).toMatchObject({ code: '3D000' });
    expect([isConnectionFailure(missing), isUnavailable(missing)]).toEqual([true, false]);

    const client = new pg.Client({ connectionString: database.dsn });
    await client.connect();
    const syntax = await failureOf(() => client.query('SELEC 1'));
    await client.end();
    expect([isConnectionFailure(syntax), isUnavailable(syntax)]).toEqual([false, false]);
  });
});
