/**
 * Wraps a PostgreSQL executor so that database trouble surfaces as the store's reason code
 * (HTTP 503 + Retry-After) instead of a raw driver error, and tells the outage log how each
 * call fared:
 *
 * - `<STORE>_POSTGRES_UNAVAILABLE`: any failure to reach the server or keep a session — it went
 *   away, or it now refuses the credentials or the database (a rotated password, a dropped or
 *   renamed database). The request cannot be served until an operator or the network fixes it,
 *   which is a 503, not a 500. The pool reconnects by itself when the server is back.
 * - `<STORE>_POSTGRES_TIMEOUT`: a statement, lock wait, query or transaction outlasted its limit.
 */
import { ReasonError } from '../../config/reason-codes.ts';
import { isConnectionFailure, isTimeout, timedOut, unavailable, type StorePrefix } from '../postgres/errors.ts';
import { SILENT_AVAILABILITY, type StoreAvailability } from '../postgres/outage-log.ts';
import type { SqlExecutor, SqlQueryable } from './executor.ts';

export function withOutageMapping(executor: SqlExecutor, store: StorePrefix, availability: StoreAvailability = SILENT_AVAILABILITY): SqlExecutor {
  async function mapped<T>(work: () => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await work();
    } catch (error) {
      // Already mapped (and reported) by a statement inside a transaction.
      if (error instanceof ReasonError) throw error;
      if (isTimeout(error)) {
        const mappedError = timedOut(store, error);
        availability.timedOut(mappedError.message);
        throw mappedError;
      }
      if (isConnectionFailure(error)) {
        const mappedError = unavailable(store, error);
        availability.unavailable(mappedError.message);
        throw mappedError;
      }
      throw error;
    }
    availability.succeeded();
    return result;
  }

  const wrap = (queryable: SqlQueryable): SqlQueryable => ({
    query: (sql, params) => mapped(() => queryable.query(sql, params)),
    execute: (sql, params) => mapped(() => queryable.execute(sql, params)),
  });
  return {
    ...executor,
    ...wrap(executor),
    transaction: (work) => mapped(() => executor.transaction((tx) => work(wrap(tx)))),
  };
}
