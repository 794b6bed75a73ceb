/**
 * `npm run bench:api [-- --duration S] [-- --connections N] [-- --backends POSTGRES,IN_MEMORY]
 * [-- --workers N] [-- --json]`: persisted `POST /rebalance/simulate` throughput, latency and CPU
 * per request of the real service process on each backend, measured by autocannon running as a
 * separate process. Three phases per backend:
 *   live   — GET /health/live: the service's own HTTP stack (hooks, logging, tracing, metrics) alone;
 *   fresh  — every request has a new Idempotency-Key, so every one computes and records a run;
 *   replay — every request repeats one key, so every one is answered from the stored run.
 * Two yardsticks are measured in the same run, with the same connections and duration:
 *   hello  — a hello-world Fastify route (bench/support/hello-world.ts), for service CPU;
 *   insert — a 5 KB autocommitted INSERT straight to PostgreSQL (bench/support/pg-insert-load.ts),
 *            for PostgreSQL CPU.
 * CPU is read from /proc for the service's whole process tree (every cluster worker and thread) and
 * for PostgreSQL's (postmaster and every backend), so each figure is what one request cost the
 * machine. `--workers` sets WEB_CONCURRENCY on SQL and POSTGRES (unset: the service's default, one
 * process per core; IN_MEMORY always runs one process).
 * PostgreSQL is an embedded server with durable settings (fsync on), or BENCH_POSTGRES_URL (its CPU
 * is read only when it runs on this machine). Figures are measurements, not assertions; see
 * docs/performance.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { conformanceVector } from '../test/support/conformance.ts';
import type { LoadFigures, LoadSpec } from './support/load.ts';
import { loadAverage, localParentOf } from './support/process-cpu.ts';
import { benchPostgres } from './support/postgres.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
};
const json = args.includes('--json');
const DURATION_S = Number(option('--duration') ?? 10);
const CONNECTIONS = Number(option('--connections') ?? 32);
const WORKERS = option('--workers');
const BACKENDS = (option('--backends') ?? 'IN_MEMORY,SQL,POSTGRES').split(',');
const log = (line: string): void => void (json ? process.stderr : process.stdout).write(`${line}\n`);

const BODY = JSON.stringify(conformanceVector<{ request: unknown }>('dpm', 'scenario_01_cash_inflow').request);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

interface Running {
  readonly url: string;
  readonly child: ChildProcess;
}

async function startService(env: Record<string, string>): Promise<Running> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
    cwd: ROOT,
    env: {
      PATH: process.env['PATH'],
      HOME: process.env['HOME'],
      PORT: String(port),
      LOG_LEVEL: 'WARN',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 600; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`service exited with ${child.exitCode}`);
    const ready = await fetch(`${url}/health/ready`).then((r) => r.ok, () => false);
    if (ready) return { url, child };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error('service did not become ready');
}

async function startHelloWorld(): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/support/hello-world.ts')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.once('data', (chunk: Buffer) => resolve((JSON.parse(chunk.toString()) as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`hello-world exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

async function stop(running: Running): Promise<void> {
  if (running.child.exitCode !== null) return;
  const closed = new Promise((resolve) => running.child.once('close', resolve));
  running.child.kill('SIGTERM');
  await closed;
}

/** Runs a bench/support script in its own process and parses the JSON line it prints. */
function runScript(script: string, spec: unknown): Promise<LoadFigures> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/support', script), JSON.stringify(spec)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as LoadFigures) : reject(new Error(`${script} exited with ${code}`))));
  });
}

interface Measured extends LoadFigures {
  /** `uptime`'s 1-minute load average when the phase started. */
  readonly load_1m: number;
  readonly service_cpu_us_per_request?: number;
  readonly postgres_cpu_us_per_request?: number;
}

function perRequest(figures: LoadFigures): Measured {
  const per = (name: string): number | undefined => {
    const cpu = figures.cpu_us[name];
    return cpu === undefined || figures.requests === 0 ? undefined : Math.round(cpu / figures.requests);
  };
  const service = per('service');
  const postgres = per('postgres');
  return {
    ...figures,
    load_1m: 0,
    ...(service === undefined ? {} : { service_cpu_us_per_request: service }),
    ...(postgres === undefined ? {} : { postgres_cpu_us_per_request: postgres }),
  };
}

async function measure(what: () => Promise<LoadFigures>): Promise<Measured> {
  const load = loadAverage()[0];
  return { ...perRequest(await what()), load_1m: load };
}

function http(url: string, cpuOf: Record<string, number>, method: 'GET' | 'POST', headers: Record<string, string>, body: string | undefined, durationS: number): Promise<LoadFigures> {
  const spec: LoadSpec = { url, method, connections: CONNECTIONS, durationS, headers, cpuOf, ...(body === undefined ? {} : { body }) };
  return runScript('load.ts', spec);
}

function simulate(service: Running, postgresPid: number | undefined, key: string, durationS = DURATION_S): Promise<LoadFigures> {
  const cpuOf: Record<string, number> = { service: service.child.pid as number, ...(postgresPid === undefined ? {} : { postgres: postgresPid }) };
  return http(`${service.url}/rebalance/simulate`, cpuOf, 'POST', { 'content-type': 'application/json', 'idempotency-key': key }, BODY, durationS);
}

/** The postmaster's pid when the server runs on this machine (its CPU is then readable), else undefined. */
async function localPostmaster(url: string): Promise<number | undefined> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const [row] = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows;
    return row ? localParentOf(row.pid) : undefined;
  } finally {
    await client.end();
  }
}

const fmt = (value: number | undefined): string => (value === undefined ? '—' : value.toLocaleString('en-US'));
const ratio = (value: number | undefined, base: number | undefined): string =>
  value === undefined || base === undefined || base === 0 ? '—' : `${(value / base).toFixed(1)}×`;

function line(name: string, m: Measured, hello: Measured | undefined, insert: Measured | undefined): string {
  return [
    name.padEnd(20),
    `${fmt(m.requests_per_second).padStart(7)} req/s`,
    `p50 ${m.p50_ms} / p99 ${m.p99_ms} ms`.padEnd(22),
    `service ${fmt(m.service_cpu_us_per_request)} µs (${ratio(m.service_cpu_us_per_request, hello?.service_cpu_us_per_request)} hello)`.padEnd(32),
    `postgres ${fmt(m.postgres_cpu_us_per_request)} µs (${ratio(m.postgres_cpu_us_per_request, insert?.postgres_cpu_us_per_request)} insert)`.padEnd(34),
    `load ${m.load_1m.toFixed(2)}`,
    m.non_2xx + m.errors > 0 ? `  non-2xx ${m.non_2xx}, errors ${m.errors}` : '',
  ].join('  ');
}

async function main(): Promise<void> {
  const postgres = await benchPostgres();
  const results: Record<string, Measured> = {};
  const record = (name: string, m: Measured): void => {
    results[name] = m;
    log(line(name, m, results['hello'], results['insert']));
  };
  try {
    const postgresPid = await localPostmaster(await postgres.createDatabase('bench_probe'));
    log(`load average at start: ${loadAverage().join(' ')}; ${CONNECTIONS} connections, ${DURATION_S} s per phase`);

    const hello = await startHelloWorld();
    try {
      await http(`${hello.url}/hello`, {}, 'GET', {}, undefined, 2);
      record('hello', await measure(() => http(`${hello.url}/hello`, { service: hello.child.pid as number }, 'GET', {}, undefined, DURATION_S)));
    } finally {
      await stop(hello);
    }
    if (postgresPid !== undefined) {
      const url = await postgres.createDatabase('bench_insert');
      record('insert', await measure(() => runScript('pg-insert-load.ts', { url, connections: CONNECTIONS, durationS: DURATION_S, postgresPid })));
    }

    // The proposal store sits beside the DPM store (it is not exercised), so SQL and POSTGRES may run several processes.
    const files = mkdtempSync(join(tmpdir(), 'bench-api-'));
    const dsn = await postgres.createDatabase('bench_api');
    const processes: Record<string, string> = WORKERS === undefined ? {} : { WEB_CONCURRENCY: WORKERS };
    const all: [string, Record<string, string>][] = [
      ['IN_MEMORY', { DPM_SUPPORTABILITY_STORE_BACKEND: 'IN_MEMORY' }],
      ['SQL', { DPM_SUPPORTABILITY_STORE_BACKEND: 'SQL', DPM_SUPPORTABILITY_SQL_PATH: join(files, 'dpm.db'), PROPOSAL_STORE_BACKEND: 'SQLITE', PROPOSAL_SQLITE_PATH: join(files, 'proposals.db'), ...processes }],
      ['POSTGRES', { DPM_SUPPORTABILITY_STORE_BACKEND: 'POSTGRES', DPM_SUPPORTABILITY_POSTGRES_DSN: dsn, PROPOSAL_STORE_BACKEND: 'POSTGRES', PROPOSAL_POSTGRES_DSN: dsn, POSTGRES_POOL_MAX: '32', ...processes }],
    ];
    for (const [backend, env] of all.filter(([name]) => BACKENDS.includes(name))) {
      const service = await startService(env);
      const pgPid = backend === 'POSTGRES' ? postgresPid : undefined;
      try {
        await simulate(service, pgPid, 'warm-[<id>]', 2);
        // What the service's own HTTP stack costs (hooks, logging, tracing, metrics) on its cheapest route.
        record(`${backend} live`, await measure(() => http(`${service.url}/health/live`, { service: service.child.pid as number }, 'GET', {}, undefined, DURATION_S)));
        record(`${backend} fresh`, await measure(() => simulate(service, pgPid, 'fresh-[<id>]')));
        record(`${backend} replay`, await measure(() => simulate(service, pgPid, 'replayed-key')));
      } finally {
        await stop(service);
      }
    }
  } finally {
    await postgres.stop();
  }
  const report = {
    connections: CONNECTIONS,
    duration_s: DURATION_S,
    web_concurrency: WORKERS ?? 'default',
    request: 'conformance scenario_01_cash_inflow',
    load_average_at_end: loadAverage(),
    results,
  };
  if (json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else log(`load average at end: ${loadAverage().join(' ')}`);
}

await main();
