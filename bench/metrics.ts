/**
 * `npm run bench:metrics [-- --operations N]`: what a /metrics scrape costs — the whole app on
 * PostgreSQL (embedded, or BENCH_POSTGRES_URL), scraped through `inject` with an empty async queue
 * and again with N DPM operations in the table (a tenth of them PENDING), plus the size of the
 * text and the part of it the previous release's names take. Figures of this machine, not
 * assertions; see docs/operations.md#metrics.
 */
import pg from 'pg';
import pino from 'pino';
import { createApp, type App } from '../src/app/app.ts';
import { assessStartup } from '../src/config/startup-assessment.ts';
import { METRIC_PREFIX } from '../src/services/observability/metrics.ts';
import { benchPostgres } from './support/postgres.ts';

const args = process.argv.slice(2);
const operationsIndex = args.indexOf('--operations');
const OPERATIONS = operationsIndex >= 0 ? Number(args[operationsIndex + 1]) : 100_000;
const SCRAPES = 200;

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;

async function measure(app: App, label: string): Promise<void> {
  const scrape = () => app.server.inject({ method: 'GET', url: '/metrics' });
  for (let i = 0; i < 20; i += 1) await scrape();
  const times: number[] = [];
  for (let i = 0; i < SCRAPES; i += 1) {
    const started = performance.now();
    await scrape();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const text = (await scrape()).body;
  const former = text
    .split('\n\n')
    .filter((family) => !family.startsWith(`# HELP ${METRIC_PREFIX}`))
    .join('\n\n').length;
  console.log(`${label}: scrape median ${percentile(times, 0.5).toFixed(1)} ms, p95 ${percentile(times, 0.95).toFixed(1)} ms; ${text.length} bytes, ${former} of them former names`);
}

async function main(): Promise<void> {
  const server = await benchPostgres();
  const dsn = await server.createDatabase('bench_metrics');
  const created = await createApp(
    assessStartup({
      DPM_SUPPORTABILITY_STORE_BACKEND: 'POSTGRES',
      DPM_SUPPORTABILITY_POSTGRES_DSN: dsn,
      PROPOSAL_STORE_BACKEND: 'POSTGRES',
      PROPOSAL_POSTGRES_DSN: dsn,
      // Nothing takes the operations loaded below.
      DPM_ASYNC_EXECUTION_MODE: 'ACCEPT_ONLY',
      PROPOSAL_ASYNC_WORKER_ENABLED: 'false',
    }),
    pino({ level: 'silent' }),
  );
  if (!created.ok) throw new Error(JSON.stringify(created.violations));
  const { app } = created;
  const client = new pg.Client({ connectionString: dsn });
  try {
    // A few hundred route and status series, as a serving replica has.
    for (let i = 0; i < 300; i += 1) await app.server.inject({ method: 'GET', url: `/rebalance/runs/rr_${i}` });
    await measure(app, 'empty queue');
    await client.connect();
    await client.query(
      `INSERT INTO dpm_async_operations (operation_id, operation_type, status, correlation_id, created_at, request_json)
       SELECT 'dop_bench_' || g, 'ANALYZE_SCENARIOS', CASE WHEN g % 10 = 0 THEN 'PENDING' ELSE 'SUCCEEDED' END, 'corr_bench', now(), '{}'::jsonb
       FROM generate_series(1, $1::int) g`,
      [OPERATIONS],
    );
    await client.query('ANALYZE dpm_async_operations');
    await measure(app, `${OPERATIONS} DPM operations, ${OPERATIONS / 10} PENDING`);
  } finally {
    await client.end();
    await app.close();
    await server.stop();
  }
}

await main();
