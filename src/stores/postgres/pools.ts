/**
 * One pg Pool per distinct DSN: stores that share a database share its connections, and
 * closing the registry closes every pool exactly once.
 */
import pg from 'pg';
import { redactSecrets } from '../../config/redact.ts';

/** How the service's sessions name themselves in pg_stat_activity (so lock holders are identifiable). */
export const SERVICE_APPLICATION_NAME = 'dpm-rebalance-service';

export interface PoolOptions {
  readonly poolMax: number;
  readonly statementTimeoutMs: number;
  readonly connectTimeoutMs: number;
  /**
   * `application_name` of every session, default SERVICE_APPLICATION_NAME; the CLI adds its
   * command (`…:migrate`). Sent as libpq's fallback, so a DSN's or PGAPPNAME's own name wins.
   */
  readonly applicationName?: string;
  /** Called when an idle client errors (e.g. the server restarted); without a listener pg crashes the process. */
  readonly onIdleError?: (message: string) => void;
}

export class PostgresPools {
  readonly #pools = new Map<string, pg.Pool>();

  constructor(private readonly options: PoolOptions) {}

  pool(dsn: string): pg.Pool {
    let pool = this.#pools.get(dsn);
    if (!pool) {
      pool = new pg.Pool({
        connectionString: dsn,
        max: this.options.poolMax,
        connectionTimeoutMillis: this.options.connectTimeoutMs,
        statement_timeout: this.options.statementTimeoutMs,
        idleTimeoutMillis: 30_000,
        fallback_application_name: this.options.applicationName ?? SERVICE_APPLICATION_NAME,
      });
      pool.on('error', (error) => this.options.onIdleError?.(redactSecrets(error.message)));
      this.#pools.set(dsn, pool);
    }
    return pool;
  }

  async closeAll(): Promise<void> {
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((pool) => pool.end()));
  }
}
