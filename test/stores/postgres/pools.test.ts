import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresPools } from '../../../src/stores/postgres/pools.ts';
import { withTransaction } from '../../../src/stores/postgres/transaction.ts';
import { freshDatabase, type TestDatabase } from '../../support/postgres.ts';

describe('PostgresPools and withTransaction (real PostgreSQL)', () => {
  let database: TestDatabase;
  let pools: PostgresPools;
  const idleErrors: string[] = [];

  beforeAll(async () => {
    database = await freshDatabase();
    pools = new PostgresPools({ poolMax: 3, statementTimeoutMs: 1_500, connectTimeoutMs: 2_000, onIdleError: (message) => idleErrors.push(message) });
    await pools.pool(database.dsn).query('CREATE TABLE ledger (id int PRIMARY KEY, amount numeric(20, 6) NOT NULL)');
  });

  afterAll(async () => {
    await pools.closeAll();
    await database.drop();
  });

  it('shares one pool per DSN and applies the settings to its sessions', async () => {
    const pool = pools.pool(database.dsn);
    expect(pools.pool(database.dsn)).toBe(pool);
    expect(pool.options.max).toBe(3);
    expect((await pool.query('SHOW statement_timeout')).rows[0]).toEqual({ statement_timeout: '1500ms' });
  });

  it('keeps NUMERIC as an exact string', async () => {
    const { rows } = await pools.pool(database.dsn).query("SELECT 12345678901234.123456::numeric(20, 6) AS amount");
    expect(rows[0]).toEqual({ amount: '12345678901234.123456' });
  });

  it('commits the work of withTransaction, and rolls all of it back when it throws', async () => {
    const pool = pools.pool(database.dsn);
    expect(await withTransaction(pool, async (client) => (await client.query("INSERT INTO ledger VALUES (1, '1.5') RETURNING id")).rows[0])).toEqual({ id: 1 });
    await expect(
      withTransaction(pool, async (client) => {
        await client.query("INSERT INTO ledger VALUES (2, '2.5')");
        await client.query("INSERT INTO ledger VALUES (1, '9')");
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect((await pool.query('SELECT id, amount FROM ledger ORDER BY id')).rows).toEqual([{ id: 1, amount: '1.500000' }]);
    // The client went back to the pool clean: no transaction left open on it.
    expect((await pool.query("SELECT count(*)::int AS open FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'")).rows[0]).toEqual({ open: 0 });
  });

  it('survives an idle connection being killed by the server, reports it, and reconnects', async () => {
    const pool = pools.pool(database.dsn);
    const idle = await pool.connect();
    const { rows } = await idle.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    idle.release();
    const admin = new pg.Client({ connectionString: database.dsn });
    await admin.connect();
    await admin.query('SELECT pg_terminate_backend($1)', [rows[0]?.pid]);
    await admin.end();
    await expect.poll(() => idleErrors.length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(idleErrors[0]).toMatch(/terminat/i);
    expect((await pool.query('SELECT 1 AS ok')).rows[0]).toEqual({ ok: 1 });
  });

  it('a statement over the timeout is cancelled', async () => {
    await expect(pools.pool(database.dsn).query('SELECT pg_sleep(3)')).rejects.toMatchObject({ code: '57014' });
  });

  it('reports a pool\'s clients (open, idle, waiting) without ever opening one', async () => {
    const registry = new PostgresPools({ poolMax: 1, statementTimeoutMs: 0, connectTimeoutMs: 5_000 });
    expect(registry.usage(database.dsn)).toBeUndefined();
    const pool = registry.pool(database.dsn);
    const held = await pool.connect();
    const waiting = pool.query('SELECT 1');
    expect(registry.usage(database.dsn)).toEqual({ total: 1, idle: 0, waiting: 1, max: 1 });
    held.release();
    await waiting;
    expect(registry.usage(database.dsn)).toEqual({ total: 1, idle: 1, waiting: 0, max: 1 });
    await registry.closeAll();
    expect(registry.usage(database.dsn)).toBeUndefined();
  });

  it('closeAll ends every pool once; a new registry can be used afterwards', async () => {
    const registry = new PostgresPools({ poolMax: 1, statementTimeoutMs: 0, connectTimeoutMs: 2_000 });
    const pool = registry.pool(database.dsn);
    await pool.query('SELECT 1');
    await registry.closeAll();
    expect(pool.ended).toBe(true);
    await registry.closeAll();
  });
});
