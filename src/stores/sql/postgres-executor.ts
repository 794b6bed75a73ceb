import type pg from 'pg';
import { normaliseRow, SqlConstraintError, type Row, type SqlExecutor, type SqlQueryable, type SqlValue } from './executor.ts';

const CONSTRAINT_KINDS: Readonly<Record<string, SqlConstraintError['kind']>> = {
  '23505': 'unique',
  '23503': 'foreign_key',
  '23514': 'check',
  '23502': 'not_null',
};

function translate(error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  const kind = typeof code === 'string' ? CONSTRAINT_KINDS[code] : undefined;
  return kind ? new SqlConstraintError(kind, (error as Error).message, { cause: error }) : error;
}

function queryableOf(client: pg.Pool | pg.PoolClient): SqlQueryable {
  return {
    async query<T extends Row>(sql: string, params: readonly SqlValue[] = []) {
      try {
        const result = await client.query(sql, params as unknown[]);
        return result.rows.map((row: Row) => normaliseRow<T>(row));
      } catch (error) {
        throw translate(error);
      }
    },
    async execute(sql: string, params: readonly SqlValue[] = []) {
      try {
        return (await client.query(sql, params as unknown[])).rowCount ?? 0;
      } catch (error) {
        throw translate(error);
      }
    },
  };
}

/** An executor over a shared pool; the pool's lifetime belongs to whoever created it. */
export function postgresExecutor(pool: pg.Pool): SqlExecutor {
  return {
    dialect: 'postgres',
    ...queryableOf(pool),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(queryableOf(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async close() {
      // Pools are shared between stores on one DSN; PostgresPools closes them.
    },
  };
}
