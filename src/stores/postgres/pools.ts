/**
 * One pg Pool per distinct DSN: stores that share a database share its connections, and
 * closing the registry closes every pool exactly once.
 *
 * Every wait on the database is bounded (docs/operations.md): the server cancels a statement
 * or a lock wait past its limit (statement_timeout, lock_timeout) and ends a session left idle
 * inside a transaction (idle_in_transaction_session_timeout); the client gives up on a query
 * whose answer never comes (query_timeout — a frozen or partitioned server), on a connection it
 * cannot open or borrow from a full pool (connectionTimeoutMillis), and on a transaction past
 * its limit (clients.ts). TCP keep-alive finds connections whose peer vanished without a word.
 */
import pg from 'pg';
import { redactSecrets } from '../../config/redact.ts';
import { SILENT_AVAILABILITY, type OutageLog, type StoreAvailability } from './outage-log.ts';
import type { StorePrefix } from './errors.ts';

export interface PoolOptions {
  readonly poolMax: number;
  readonly statementTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly lockTimeoutMs?: number;
  readonly idleInTransactionTimeoutMs?: number;
  readonly queryTimeoutMs?: number;
  readonly transactionTimeoutMs?: number;
  /**
   * `application_name` of every session (POSTGRES_APPLICATION_NAME), so operators can find them in
   * pg_stat_activity; the CLI adds its command (`…:migrate`). Sent as libpq's fallback, so a DSN's
   * own name wins.
   */
  readonly applicationName?: string;
  /** Called when an idle client errors (e.g. the server restarted); without a listener pg crashes the process. */
  readonly onIdleError?: (message: string) => void;
  /** Hears how each store's calls fare, so an outage is logged calmly (outage-log.ts). */
  readonly outages?: OutageLog;
}

/** A pool's clients at one moment (node-postgres `totalCount`, `idleCount`, `waitingCount`). */
export interface PoolUsage {
  /** Open connections, in use or idle. */
  readonly total: number;
  readonly idle: number;
  /** Callers waiting for a connection because all `max` are in use. */
  readonly waiting: number;
  /** POSTGRES_POOL_MAX. */
  readonly max: number;
}

/**
 * Every client of `pool` keeps an 'error' listener of its own for life. The pool's idle listener
 * comes off the moment it hands a client to a waiting `pool.connect()` (or starts ending it), and
 * ours (clients.ts) goes on only when that promise resumes: a session ended in between (its FATAL
 * parsed in the same turn) would emit an 'error' nobody hears, which kills the process. Heard
 * here, the error is found again by the next query on that client, which then discards it.
 */
export function keepClientErrorsHeard(pool: pg.Pool): void {
  pool.on('connect', (client) => client.on('error', () => undefined));
}

export class PostgresPools {
  readonly #pools = new Map<string, pg.Pool>();

  constructor(readonly options: PoolOptions) {}

  pool(dsn: string): pg.Pool {
    let pool = this.#pools.get(dsn);
    if (!pool) {
      const o = this.options;
      pool = new pg.Pool({
        connectionString: dsn,
        max: o.poolMax,
        connectionTimeoutMillis: o.connectTimeoutMs,
        statement_timeout: o.statementTimeoutMs,
        ...(o.lockTimeoutMs === undefined ? {} : { lock_timeout: o.lockTimeoutMs }),
        ...(o.idleInTransactionTimeoutMs === undefined ? {} : { idle_in_transaction_session_timeout: o.idleInTransactionTimeoutMs }),
        ...(o.queryTimeoutMs === undefined ? {} : { query_timeout: o.queryTimeoutMs }),
        keepAlive: true,
        idleTimeoutMillis: 30_000,
        ...(o.applicationName === undefined ? {} : { fallback_application_name: o.applicationName }),
      });
      pool.on('error', (error) => o.onIdleError?.(redactSecrets(error.message)));
      keepClientErrorsHeard(pool);
      this.#pools.set(dsn, pool);
    }
    return pool;
  }

  /** The clients of this DSN's pool now; undefined when no store opened one (or after closeAll). Never opens a pool. */
  usage(dsn: string): PoolUsage | undefined {
    const pool = this.#pools.get(dsn);
    return pool && { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: this.options.poolMax };
  }

  /** Where a store reports the outcome of its calls. */
  availability(store: StorePrefix): StoreAvailability {
    return this.options.outages?.store(store) ?? SILENT_AVAILABILITY;
  }

  async closeAll(): Promise<void> {
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((pool) => pool.end()));
    this.options.outages?.close();
  }
}
