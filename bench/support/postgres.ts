/**
 * The benchmarks' PostgreSQL: the server at BENCH_POSTGRES_URL, or an embedded one started here
 * with durable settings (fsync on), so figures include PostgreSQL's real commit path.
 */
import pg from 'pg';
import { startEmbeddedPostgres } from '../../test/support/embedded-postgres.ts';

export interface BenchPostgres {
  /** A new, empty database on the server; returns its URL. */
  createDatabase(prefix: string): Promise<string>;
  stop(): Promise<void>;
}

export async function benchPostgres(): Promise<BenchPostgres> {
  const given = process.env['BENCH_POSTGRES_URL'];
  const embedded = given ? undefined : await startEmbeddedPostgres({ durable: true });
  const admin = given ?? embedded?.adminUrl ?? '';
  let created = 0;
  return {
    async createDatabase(prefix) {
      const name = `${prefix}_${Date.now()}_${(created += 1)}`;
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      await client.query(`CREATE DATABASE ${name}`);
      await client.end();
      const url = new URL(admin);
      url.pathname = `/${name}`;
      return url.toString();
    },
    stop: async () => embedded?.stop(),
  };
}
