/**
 * `npm run bench:api [-- --duration S] [-- --connections N] [-- --json]`: persisted
 * `POST /rebalance/simulate` throughput and latency of the real service process on each backend,
 * measured by autocannon running as a separate process. Two phases per backend:
 *   fresh  — every request has a new Idempotency-Key, so every one computes and records a run;
 *   replay — every request repeats one key, so every one is answered from the stored run.
 * PostgreSQL is an embedded server with durable settings (fsync on), or BENCH_POSTGRES_URL.
 * Figures are measurements of this machine, not assertions; see docs/performance.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { conformanceVector } from '../test/support/conformance.ts';
import { benchPostgres } from './support/postgres.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const index = args.indexOf(name);
  return index >= 0 ? Number(args[index + 1]) : fallback;
};
const json = args.includes('--json');
const DURATION_S = option('--duration', 10);
const CONNECTIONS = option('--connections', 32);
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

async function startService(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'], HOME: process.env['HOME'], PORT: String(port), LOG_LEVEL: 'WARN', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 300; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`service exited with ${child.exitCode}`);
    const live = await fetch(`${url}/health/ready`).then((r) => r.ok, () => false);
    if (live) return { url, child };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error('service did not become ready');
}

interface Figures {
  readonly requests_per_second: number;
  readonly p50_ms: number;
  readonly p99_ms: number;
  readonly non_2xx: number;
  readonly errors: number;
}

/** One autocannon run in its own process (bench/support/load.ts). */
function load(url: string, idempotencyKey: string, durationS: number): Promise<Figures> {
  const argv = ['--import', 'tsx', join(ROOT, 'bench/support/load.ts'), `${url}/rebalance/simulate`, String(CONNECTIONS), String(durationS), idempotencyKey, BODY];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as Figures) : reject(new Error(`load generator exited with ${code}`))));
  });
}

async function main(): Promise<void> {
  const postgres = await benchPostgres();
  const results: Record<string, { fresh: Figures; replay: Figures }> = {};
  try {
    const backends: [string, Record<string, string>][] = [
      ['IN_MEMORY', { DPM_SUPPORTABILITY_STORE_BACKEND: 'IN_MEMORY' }],
      ['SQL', { DPM_SUPPORTABILITY_STORE_BACKEND: 'SQL', DPM_SUPPORTABILITY_SQL_PATH: join(mkdtempSync(join(tmpdir(), 'bench-api-')), 'dpm.db') }],
      ['POSTGRES', { DPM_SUPPORTABILITY_STORE_BACKEND: 'POSTGRES', DPM_SUPPORTABILITY_POSTGRES_DSN: await postgres.createDatabase('bench_api'), POSTGRES_POOL_MAX: '32' }],
    ];
    for (const [backend, env] of backends) {
      const service = await startService(env);
      try {
        log(`${backend}: warming up…`);
        await load(service.url, 'warm-[<id>]', 2);
        log(`${backend}: fresh simulations for ${DURATION_S}s with ${CONNECTIONS} connections…`);
        const fresh = await load(service.url, 'fresh-[<id>]', DURATION_S);
        log(`${backend}: replays of one key…`);
        const replay = await load(service.url, 'replayed-key', DURATION_S);
        results[backend] = { fresh, replay };
        log(JSON.stringify({ [backend]: results[backend] }));
      } finally {
        service.child.kill('SIGTERM');
        await new Promise((resolve) => service.child.once('close', resolve));
      }
    }
  } finally {
    await postgres.stop();
  }
  const report = { connections: CONNECTIONS, duration_s: DURATION_S, request: 'conformance scenario_01_cash_inflow', results };
  if (json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else log(JSON.stringify(report, null, 2));
}

await main();
