/**
 * A fresh database per test file (or per test) on the run's real PostgreSQL server.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { keepClientErrorsHeard } from '../../src/stores/postgres/pools.ts';

export function adminUrl(): string {
  return inject('postgresAdminUrl');
}

function urlFor(database: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

async function asAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  readonly name: string;
  readonly dsn: string;
  drop(): Promise<void>;
}

export async function freshDatabase(): Promise<TestDatabase> {
  const name = `test_${randomBytes(6).toString('hex')}`;
  await asAdmin((client) => client.query(`CREATE DATABASE ${name}`));
  return {
    name,
    dsn: urlFor(name),
    drop: () => asAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/**
 * A pg pool for a test's own queries. `pool.end()` resolves once every client has been asked to
 * close, not once it has, and a database dropped WITH (FORCE) right after terminates the sessions
 * still closing: that 57P01 reaches a client the pool no longer listens to. Its clients keep a
 * listener for life, as the service's own pools do.
 */
export function testPool(config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool(config);
  keepClientErrorsHeard(pool);
  return pool;
}
