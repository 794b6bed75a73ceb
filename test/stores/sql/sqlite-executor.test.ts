import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqlConstraintError, type SqlExecutor } from '../../../src/stores/sql/executor.ts';
import { sqliteExecutor } from '../../../src/stores/sql/sqlite-executor.ts';

describe('sqliteExecutor', () => {
  let executor: SqlExecutor;

  beforeEach(async () => {
    executor = sqliteExecutor(new Database(':memory:'));
    await executor.execute('CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER NOT NULL, payload_json TEXT, at TEXT)');
  });

  afterEach(async () => {
    await executor.close();
  });

  it('binds $n placeholders, booleans and dates, and parses *_json columns', async () => {
    const at = new Date('2026-01-02T03:04:05.678Z');
    await executor.execute('INSERT INTO t (id, n, payload_json, at) VALUES ($1, $2, $3, $4)', ['a', true, '{"x":[1,"2"]}', at]);
    const rows = await executor.query('SELECT * FROM t WHERE id = $1 AND n = $2', ['a', 1]);
    expect(rows).toEqual([{ id: 'a', n: 1, payload_json: { x: [1, '2'] }, at: '2026-01-02T03:04:05.678Z' }]);
  });

  it('reuses one placeholder several times', async () => {
    await executor.execute('INSERT INTO t (id, n) VALUES ($1, 1), ($1 || $1, 2)', ['z']);
    expect((await executor.query('SELECT id FROM t ORDER BY n')).map((r) => r['id'])).toEqual(['z', 'zz']);
  });

  it('reports changed rows and RETURNING rows', async () => {
    await executor.execute('INSERT INTO t (id, n) VALUES ($1, 1), ($2, 1)', ['a', 'b']);
    expect(await executor.execute('UPDATE t SET n = 2 WHERE n = 1')).toBe(2);
    expect(await executor.query('INSERT INTO t (id, n) VALUES ($1, 3) ON CONFLICT (id) DO NOTHING RETURNING id', ['a'])).toEqual([]);
    expect(await executor.query('INSERT INTO t (id, n) VALUES ($1, 3) ON CONFLICT (id) DO NOTHING RETURNING id', ['c'])).toEqual([{ id: 'c' }]);
  });

  it('translates a unique violation into SqlConstraintError', async () => {
    await executor.execute("INSERT INTO t (id, n) VALUES ('a', 1)");
    const failure = await executor.execute("INSERT INTO t (id, n) VALUES ('a', 2)").catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(SqlConstraintError);
    expect((failure as SqlConstraintError).kind).toBe('unique');
  });

  it('rolls a failed transaction back completely', async () => {
    await expect(
      executor.transaction(async (tx) => {
        await tx.execute("INSERT INTO t (id, n) VALUES ('a', 1)");
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await executor.query('SELECT * FROM t')).toEqual([]);
  });

  it('keeps other callers out of an open transaction', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const inTransaction = executor.transaction(async (tx) => {
      await tx.execute("INSERT INTO t (id, n) VALUES ('in-tx', 1)");
      await gate;
      throw new Error('abort');
    });
    // Queued behind the transaction: it must not land inside it (and so survives the rollback).
    const outside = executor.execute("INSERT INTO t (id, n) VALUES ('outside', 1)");
    release();
    await expect(inTransaction).rejects.toThrow('abort');
    await outside;
    expect((await executor.query('SELECT id FROM t')).map((r) => r['id'])).toEqual(['outside']);
  });
});
