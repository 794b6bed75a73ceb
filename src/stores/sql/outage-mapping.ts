/**
 * Wraps a PostgreSQL executor so that losing the server surfaces as the store's
 * `<STORE>_POSTGRES_UNAVAILABLE` code (HTTP 503 + Retry-After) instead of a raw driver error.
 * While serving, any failure to open a session counts — the server went away, or it now refuses
 * the credentials or the database (a rotated password, a dropped or renamed database): the
 * request cannot be served until an operator or the network fixes it, which is a 503, not a
 * 500. The pool reconnects by itself when the server is back.
 */
import { isConnectionFailure, unavailable, type StorePrefix } from '../postgres/errors.ts';
import type { SqlExecutor, SqlQueryable } from './executor.ts';

async function mapped<T>(store: StorePrefix, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw isConnectionFailure(error) ? unavailable(store, error) : error;
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
