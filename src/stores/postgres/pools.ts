/**
 * One pg Pool per distinct DSN: stores that share a database share its connections, and
 * closing the registry closes every pool exactly once.
 */
import pg from 'pg';
import { redactSecrets } from '../../config/redact.ts';

export interface PoolOptions {
  readonly poolMax: number;
  readonly statementTimeoutMs: number;
  readonly connectTimeoutMs: number;
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
