import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlConstraintError, type SqlExecutor } from '../../../src/stores/sql/executor.ts';
import { postgresExecutor } from '../../../src/stores/sql/postgres-executor.ts';
import { freshDatabase, testPool } from '../../support/postgres.ts';

describe('postgresExecutor (real PostgreSQL)', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let pool: pg.Pool;
  let executor: SqlExecutor;

  beforeAll(async () => {
    database = await freshDatabase();
    pool = testPool({ connectionString: database.dsn, max: 4 });
    executor = postgresExecutor(pool);
    await executor.execute(
      'CREATE TABLE t (id text PRIMARY KEY, n integer NOT NULL, amount numeric, flag boolean, payload_json jsonb, at timestamptz)',
    );
  });

  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  it('returns ISO timestamps, parsed jsonb and NUMERIC as exact strings', async () => {
    await executor.execute('INSERT INTO t (id, n, amount, flag, payload_json, at) VALUES ($1, $2, $3, $4, $5, $6)', [
      'a',
      1,
      '12345678901234567890.123456789',
      true,
      '{"x":[1,"2"]}',
      new Date('2026-01-02T03:04:05.678Z'),
    ]);
    expect(await executor.query('SELECT id, amount, flag, payload_json, at FROM t WHERE id = $1', ['a'])).toEqual([
      { id: 'a', amount: '12345678901234567890.123456789', flag: true, payload_json: { x: [1, '2'] }, at: '2026-01-02T03:04:05.678Z' },
    ]);
  });

  it('translates a unique violation into SqlConstraintError', async () => {
    const failure = await executor.execute("INSERT INTO t (id, n) VALUES ('a', 2)").catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(SqlConstraintError);
    expect((failure as SqlConstraintError).kind).toBe('unique');
  });

  it('commits a transaction as a whole, or nothing of it', async () => {
    await executor.transaction(async (tx) => {
      await tx.execute("INSERT INTO t (id, n) VALUES ('b', 1)");
      await tx.execute("INSERT INTO t (id, n) VALUES ('c', 1)");
    });
    await expect(
      executor.transaction(async (tx) => {
        await tx.execute("INSERT INTO t (id, n) VALUES ('d', 1)");
        await tx.execute("INSERT INTO t (id, n) VALUES ('a', 1)");
      }),
    ).rejects.toBeInstanceOf(SqlConstraintError);
    expect((await executor.query('SELECT id FROM t ORDER BY id')).map((r) => r['id'])).toEqual(['a', 'b', 'c']);
  });
});
