import type pg from 'pg';
import { withTransaction } from '../postgres/transaction.ts';
import { normaliseRow, SqlConstraintError, type Row, type Sql, type SqlExecutor, type SqlQueryable, type SqlValue } from './executor.ts';

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

/** A named statement is prepared on each connection the first time it runs there, then only bound and executed. */
const config = (sql: Sql, params: readonly SqlValue[]): pg.QueryConfig =>
  typeof sql === 'string' ? { text: sql, values: params as unknown[] } : { name: sql.name, text: sql.text, values: params as unknown[] };

function queryableOf(client: pg.Pool | pg.PoolClient): SqlQueryable {
  return {
    async query<T extends Row>(sql: Sql, params: readonly SqlValue[] = []) {
      try {
        const result = await client.query(config(sql, params));
        return result.rows.map((row: Row) => normaliseRow<T>(row));
      } catch (error) {
        throw translate(error);
      }
    },
    async execute(sql: Sql, params: readonly SqlValue[] = []) {
      try {
        return (await client.query(config(sql, params))).rowCount ?? 0;
      } catch (error) {
        throw translate(error);
      }
    },
  };
}

export interface PostgresExecutorOptions {
  /** Client-side limit on one transaction (POSTGRES_TRANSACTION_TIMEOUT_MS); none when unset. */
  readonly transactionTimeoutMs?: number;
}

/** An executor over a shared pool; the pool's lifetime belongs to whoever created it. */
export function postgresExecutor(pool: pg.Pool, options: PostgresExecutorOptions = {}): SqlExecutor {
  const hold = options.transactionTimeoutMs === undefined ? {} : { timeoutMs: options.transactionTimeoutMs };
  return {
    dialect: 'postgres',
    ...queryableOf(pool),
    transaction: (work) => withTransaction(pool, (client) => work(queryableOf(client)), hold),
    async close() {
      // Pools are shared between stores on one DSN; PostgresPools closes them.
    },
  };
}
