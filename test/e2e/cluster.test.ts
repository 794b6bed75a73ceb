/**
 * WEB_CONCURRENCY=2 on the real process (docs/deployment.md#processes-per-instance): two server
 * processes share one port and one PostgreSQL; connections are spread over both; GET /metrics on
 * either answers for the group; a killed worker is replaced while the other keeps serving; and
 * SIGTERM to the primary drains every worker and exits 0.
 */
import { request as httpRequest } from 'node:http';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { conformanceVector } from '../support/conformance.ts';
import { freshDatabase, type TestDatabase } from '../support/postgres.ts';
import { productionEnv, runCli, startService, type RunningService, type TestEnv } from '../support/service-process.ts';
import { largeVector, whatIfBatch } from '../support/what-if.ts';

const SIMULATE = JSON.stringify(conformanceVector<{ request: unknown }>('dpm', 'scenario_01_cash_inflow').request);
const ANALYZE = JSON.stringify(whatIfBatch(largeVector('large_1000'), 20));

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** One request on a connection of its own (no keep-alive), so the primary hands each to the next worker. */
function send(baseUrl: string, path: string, options: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, baseUrl);
    const req = httpRequest(url, { method: options.method ?? 'GET', agent: false, headers: { connection: 'close', ...options.headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const simulate = (baseUrl: string, key: string): Promise<Answer> =>
  send(baseUrl, '/rebalance/simulate', { method: 'POST', body: SIMULATE, headers: { 'content-type': 'application/json', 'idempotency-key': key } });

/** `name{labels} value` samples of one metric from the group's /metrics. */
async function samples(baseUrl: string, name: string): Promise<Map<string, number>> {
  const text = (await send(baseUrl, '/metrics')).body;
  const found = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^(\w+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (match?.[1] === name) found.set(match[2] ?? '', Number(match[3]));
  }
  return found;
}

/** Requests per worker pid, from `worker_requests_total{pid="…"}`. */
async function requestsByWorker(baseUrl: string): Promise<Map<number, number>> {
  const byPid = new Map<number, number>();
  for (const [labels, value] of await samples(baseUrl, 'worker_requests_total')) byPid.set(Number(/pid="(\d+)"/.exec(labels)?.[1]), value);
  return byPid;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('WEB_CONCURRENCY=2 (real processes, PostgreSQL)', () => {
  let database: TestDatabase;
  let env: TestEnv;
  let service: RunningService | undefined;

  beforeAll(async () => {
    database = await freshDatabase();
    env = productionEnv(database.dsn, { WEB_CONCURRENCY: '2' });
    const migrated = await runCli(['migrate'], env);
    expect(migrated.code, migrated.stderr).toBe(0);
    return () => database.drop();
  });

  afterEach(async () => {
    await service?.stop('SIGKILL');
    service = undefined;
  });

  const start = async (extra: TestEnv = {}): Promise<{ running: RunningService; pids: number[] }> => {
    const running = (service = await startService({ ...env, ...extra }));
    const serving = JSON.parse(running.output().split('\n').find((line) => line.includes('"msg":"Serving"')) ?? '{}') as { workers?: number; pids?: number[] };
    expect(serving.workers).toBe(2);
    return { running, pids: serving.pids ?? [] };
  };

  it('serves from two processes on one port, spreads connections over both, and /metrics answers for the group', async () => {
    const { running, pids } = await start();
    expect(pids).toHaveLength(2);
    expect(pids).not.toContain(running.child.pid);
    for (const pid of pids) expect(alive(pid)).toBe(true);

    for (let i = 0; i < 3; i += 1) expect((await send(running.baseUrl, '/health/ready')).status).toBe(200);
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => simulate(running.baseUrl, `cluster-${i}`)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(12).fill(200));
    // A replay answered by either process is the same run, byte for byte.
    const replays = await Promise.all([0, 1, 2, 3].map(() => simulate(running.baseUrl, 'cluster-0')));
    for (const replay of replays) {
      expect(replay.headers['idempotent-replay']).toBe('true');
      expect(replay.body).toBe(answers[0]?.body);
    }

    const byWorker = await requestsByWorker(running.baseUrl);
    expect([...byWorker.keys()].sort()).toEqual([...pids].sort());
    for (const count of byWorker.values()) expect(count).toBeGreaterThan(0);
    // Counters of both processes summed: every fresh simulation counted once, whichever process answers the scrape.
    for (let scrape = 0; scrape < 2; scrape += 1) expect((await samples(running.baseUrl, 'dpm_simulations_total')).get('{status="READY"}')).toBe(12);
    expect((await samples(running.baseUrl, 'dpm_idempotent_replays_total')).get('')).toBe(4);
  });

  it('a killed worker is replaced while the other keeps serving', async () => {
    const { running, pids } = await start();
    const [victim, survivor] = pids as [number, number];
    process.kill(victim, 'SIGKILL');
    // Once the primary has seen the death it hands every connection to the survivor. (A connection
    // handed over at the very instant of a crash is lost with the worker, like its requests in flight.)
    await until(async () => (running.output().includes('"msg":"Server process exited; replacing it"') ? true : undefined), 'the primary to see the death');
    for (let i = 0; i < 6; i += 1) expect((await simulate(running.baseUrl, `survivor-${i}`)).status).toBe(200);
    const replacement = await until(async () => {
      const byWorker = await requestsByWorker(running.baseUrl);
      const fresh = [...byWorker.keys()].find((pid) => pid !== survivor && pid !== victim);
      return fresh !== undefined && byWorker.size === 2 ? fresh : undefined;
    }, 'a replacement worker');
    expect(alive(replacement)).toBe(true);
    expect(alive(victim)).toBe(false);
    expect((await samples(running.baseUrl, 'worker_restarts_total')).get('')).toBe(1);
    expect(running.output()).toContain('"msg":"Server process exited; replacing it"');
    expect(await running.stop('SIGTERM')).toBe(0);
  });

  it('SIGTERM to the primary drains every worker (a call in flight finishes or is refused retryably) and exits 0', { timeout: 120_000 }, async () => {
    const { running, pids } = await start({ ENGINE_WORKER_THREADS: '1', APP_SHUTDOWN_GRACE_MS: '3000' });
    let answered: Answer | Error | undefined;
    const analyze = send(running.baseUrl, '/rebalance/analyze', { method: 'POST', body: ANALYZE, headers: { 'content-type': 'application/json' } }).then(
      (answer) => (answered = answer),
      (error: unknown) => (answered = error as Error),
    );
    await until(async () => ((await samples(running.baseUrl, 'engine_pool_in_flight')).get('') === 1 ? true : undefined), 'the analyze to reach a worker pool');
    expect(await running.stop('SIGTERM')).toBe(0);
    await analyze;
    expect(answered).not.toBeInstanceOf(Error);
    const answer = answered as Answer;
    if (answer.status !== 200) expect([answer.status, (JSON.parse(answer.body) as { code?: string }).code]).toEqual([503, 'ENGINE_SHUTTING_DOWN']);
    for (const pid of pids) expect(alive(pid)).toBe(false);
    expect(running.output()).toContain('"msg":"Shutdown complete"');
  });
});

describe('WEB_CONCURRENCY with an IN_MEMORY store', () => {
  it('above 1 is refused at startup (exit 78): each process would keep its own runs', async () => {
    const refused = await runCli(['serve'], { WEB_CONCURRENCY: '2' });
    expect(refused.code).toBe(78);
    expect(refused.stderr).toContain('WEB_CONCURRENCY_REQUIRES_SHARED_STORES: WEB_CONCURRENCY=2 needs stores every process shares');
  });
});
