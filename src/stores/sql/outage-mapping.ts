/**
 * Wraps a PostgreSQL executor so that losing the server surfaces as the store's
 * `<STORE>_POSTGRES_UNAVAILABLE` code (HTTP 503 + Retry-After) instead of a raw driver error.
 * The pool reconnects by itself when the server is back.
 */
import { isUnavailable, unavailable, type StorePrefix } from '../postgres/errors.ts';
import type { SqlExecutor, SqlQueryable } from './executor.ts';

async function mapped<T>(store: StorePrefix, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw isUnavailable(error) ? unavailable(store, error) : error;
  }
}

export function withOutageMapping(executor: SqlExecutor, store: StorePrefix): SqlExecutor {
  const wrap = (queryable: SqlQueryable): SqlQueryable => ({
    query: (sql, params) => mapped(store, () => queryable.query(sql, params)),
    execute: (sql, params) => mapped(store, () => queryable.execute(sql, params)),
  });
  return {
    ...executor,
    ...wrap(executor),
    transaction: (work) => mapped(store, () => executor.transaction((tx) => work(wrap(tx)))),
  };
}
