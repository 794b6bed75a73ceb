/**
 * Every PostgreSQL client this service holds outside the pool's own bookkeeping is taken here,
 * and guarded for as long as it is held.
 *
 * node-postgres emits `error` on a client whose server session ends under it (an administrator's
 * `pg_terminate_backend`, a failover, `pg_ctl stop -m fast`: SQLSTATE 57P01, or a dropped socket).
 * The pool listens on its idle clients, but a client checked out with `pool.connect()` loses that
 * listener until it is released — and an `error` event nobody listens to kills the process. So a
 * held client always has our listener, and a client whose session is lost (or whose query never
 * got its answer) is destroyed on release instead of going back to the pool: the pool opens a
 * fresh one for the next borrower, and closing the session rolls back whatever it had open.
 */
import pg from 'pg';
import { ClientTimeoutError, isSessionLost } from './errors.ts';

export interface HoldOptions {
  /**
   * A limit on the whole hold (a transaction). Past it the caller gets a `ClientTimeoutError`
   * at once and the connection is destroyed, which ends the server-side transaction too.
   */
  readonly timeoutMs?: number;
}

/** Runs `work` with a client of `pool`, listening for its errors while it is held. */
export async function withPooledClient<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>, options: HoldOptions = {}): Promise<T> {
  const client = await pool.connect();
  // Why the client must not be reused; undefined while it is healthy.
  let fault: Error | undefined;
  const onError = (error: Error): void => {
    fault ??= error;
  };
  client.on('error', onError);
  try {
    return await withDeadline(work(client), options.timeoutMs, (timeout) => {
      fault ??= timeout;
    });
  } catch (error) {
    if (isSessionLost(error)) fault ??= error as Error;
    throw error;
  } finally {
    // The pool puts its own listener back on release, so there is no moment without one.
    client.off('error', onError);
    client.release(fault);
  }
}

/**
 * A session of its own, outside the pool, for work that must not share the pool's per-query
 * limits — the migrator's: its advisory lock belongs to the session, and a DDL statement may
 * legitimately run for long. Same server, credentials and connect timeout as the pool; none of
 * the serving timeouts; `:migrate` appended to the application_name so operators can tell it apart.
 */
export async function withDedicatedSession<T>(pool: pg.Pool, purpose: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const { statement_timeout: _s, lock_timeout: _l, idle_in_transaction_session_timeout: _i, query_timeout: _q, ...connection } = pool.options;
  // The pool's name is a fallback (a DSN's own application_name wins, see pools.ts); so is this one.
  const name = connection.fallback_application_name;
  const named = name === undefined || name.endsWith(`:${purpose}`) ? name : `${name}:${purpose}`;
  const client = new pg.Client({ ...connection, ...(named ? { fallback_application_name: named } : {}) });
  // Listens from before the connection exists until after it is gone.
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** `work`, or a `ClientTimeoutError` once `timeoutMs` has passed (the work's later outcome is dropped). */
function withDeadline<T>(work: Promise<T>, timeoutMs: number | undefined, onTimeout: (error: ClientTimeoutError) => void): Promise<T> {
  if (timeoutMs === undefined) return work;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new ClientTimeoutError(`The transaction did not finish within ${timeoutMs} ms.`);
      onTimeout(error);
      reject(error);
    }, timeoutMs);
  });
  // The work fails on its own once its connection is destroyed; nobody waits for that any more.
  work.catch(() => undefined);
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
