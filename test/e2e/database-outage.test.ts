/**
 * A PostgreSQL outage while a PRODUCTION service is serving: requests that need the database get
 * 503 with the store's code and Retry-After (never a 500, never a crash), readiness turns 503,
 * and the service recovers by itself once the database is back — with every write it
 * acknowledged before the outage still there.
 *
 * And what an operator's log shows meanwhile: per store one warning when it goes down, one
 * summary line per interval while it stays down, one info line when it is back — not one line
 * (with a stack) per failed request — while the async workers back off instead of retrying at
 * their poll interval.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformanceVector } from '../support/conformance.ts';
import { freshDatabase } from '../support/postgres.ts';
import { productionEnv, runCli, startService, type RunningService, type TestEnv } from '../support/service-process.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';

const vector = conformanceVector('dpm', 'scenario_01_cash_inflow') as { request: unknown };
const INTERVAL_MS = 1_000;
const WORKER_POLL_MS = 50;
const STORES = ['DPM_SUPPORTABILITY', 'PROPOSAL'] as const;
const [WARN, INFO, DEBUG] = [40, 30, 20];

interface LogLine {
  readonly level: number;
  readonly time: number;
  readonly msg: string;
  readonly store?: string;
  readonly [field: string]: unknown;
}

/** pino's level names (the service logs names, docs/operations.md#log-lines) as their numbers, to compare. */
const LEVELS: Readonly<Record<string, number>> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

function linesSince(service: RunningService, offset: number): LogLine[] {
  return service
    .output()
    .slice(offset)
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => {
      const record = JSON.parse(line) as Record<string, unknown>;
      return { ...record, level: LEVELS[String(record['level'])] ?? 0 } as LogLine;
    });
}

interface ServiceBehindProxy {
  readonly service: RunningService;
  readonly proxy: TcpProxy;
  simulate(key: string): Promise<Response>;
  close(): Promise<void>;
}

/** A migrated PRODUCTION service whose line to a fresh database runs through a proxy that can cut it. */
async function serviceBehindProxy(extra: TestEnv): Promise<ServiceBehindProxy> {
  const database = await freshDatabase();
  const proxy = await startTcpProxy(database.dsn);
  const env = productionEnv(proxy.url, { POSTGRES_CONNECT_TIMEOUT_MS: '1000', ...extra });
  expect((await runCli(['migrate'], env)).code).toBe(0);
  const service = await startService(env);
  return {
    service,
    proxy,
    simulate: (key) =>
      fetch(`${service.baseUrl}/rebalance/simulate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(vector.request),
      }),
    async close() {
      await service.stop();
      await proxy.close();
      await database.drop();
    },
  };
}

/** One such service for the enclosing describe block. */
function useServiceBehindProxy(extra: TestEnv): () => ServiceBehindProxy {
  let behind: ServiceBehindProxy | undefined;
  beforeAll(async () => {
    behind = await serviceBehindProxy(extra);
  });
  afterAll(async () => {
    await behind?.close();
  });
  return () => {
    if (!behind) throw new Error('the service did not start');
    return behind;
  };
}

describe('database outage while serving', () => {
  const started = useServiceBehindProxy({});

  it('answers 503 with the store code and Retry-After while the database is gone, then recovers', async () => {
    const { service, proxy, simulate } = started();
    const before = await simulate('outage-1');
    expect(before.status).toBe(200);
    const runId = ((await before.json()) as { rebalance_run_id: string }).rebalance_run_id;

    proxy.cut();
    for (const response of [await simulate('outage-2'), await fetch(`${service.baseUrl}/rebalance/runs/${runId}`)]) {
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(await response.json()).toMatchObject({ code: 'DPM_SUPPORTABILITY_POSTGRES_UNAVAILABLE' });
    }
    expect((await fetch(`${service.baseUrl}/health/ready`)).status).toBe(503);
    expect((await fetch(`${service.baseUrl}/health/live`)).status).toBe(200);

    proxy.restore();
    await expect.poll(async () => (await fetch(`${service.baseUrl}/health/ready`)).status, { timeout: 10_000 }).toBe(200);
    const after = await fetch(`${service.baseUrl}/rebalance/runs/${runId}`);
    expect(after.status).toBe(200);
    expect((await simulate('outage-2')).status).toBe(200);
    expect(service.child.exitCode).toBeNull();
    expect(service.output()).not.toContain('"level":"error"');
  });

});

describe('log lines while the database is gone', () => {
  const started = useServiceBehindProxy({
    LOG_LEVEL: 'debug',
    STORE_OUTAGE_LOG_INTERVAL_MS: String(INTERVAL_MS),
    PROPOSAL_ASYNC_POLL_MS: String(WORKER_POLL_MS),
    STORE_RETRY_MAX_BACKOFF_MS: '400',
  });

  it('one warning per store, a summary per interval, one info line when back; workers back off', async () => {
    const { service, proxy, simulate } = started();
    const fresh = () => simulate(`log-${Math.random()}`);
    expect((await fresh()).status).toBe(200);
    const offset = service.output().length;

    proxy.cut();
    const cutAt = Date.now();
    let failed = 0;
    let calling = true;
    const callers = Array.from({ length: 3 }, async () => {
      while (calling) {
        const [run, proposals] = await Promise.all([fresh(), fetch(`${service.baseUrl}/rebalance/proposals?limit=1`)]);
        expect([run.status, proposals.status]).toEqual([503, 503]);
        failed += 2;
      }
    });
    // Down long enough for a few summary intervals, with every request failing meanwhile.
    const summaries = (store: string) => linesSince(service, offset).filter((l) => l.store === store && l.msg === 'PostgreSQL still unavailable').length;
    await expect.poll(() => Math.min(...STORES.map(summaries)), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    calling = false;
    await Promise.all(callers);
    proxy.restore();
    const restoredAt = Date.now();
    await expect.poll(async () => (await fetch(`${service.baseUrl}/health/ready`)).status, { timeout: 20_000 }).toBe(200);
    const back = (store: string) => linesSince(service, offset).filter((l) => l.store === store && l.msg === 'PostgreSQL available again').length;
    await expect.poll(() => Math.min(...STORES.map(back)), { timeout: 10_000 }).toBe(1);

    const lines = linesSince(service, offset);
    const downSeconds = (restoredAt - cutAt) / 1000;
    for (const store of STORES) {
      const own = lines.filter((l) => l.store === store && l.level >= INFO);
      expect(own.filter((l) => l.msg.startsWith('PostgreSQL unavailable')).map((l) => [l.level, l['code']])).toEqual([[WARN, `${store}_POSTGRES_UNAVAILABLE`]]);
      const periodic = own.filter((l) => l.msg === 'PostgreSQL still unavailable');
      expect(periodic.length).toBeLessThanOrEqual(Math.ceil(downSeconds / (INTERVAL_MS / 1000)) + 1);
      expect(periodic.every((l) => l.level === WARN && typeof l['failed_calls'] === 'number')).toBe(true);
      const recovered = own.filter((l) => l.msg === 'PostgreSQL available again');
      expect(recovered.map((l) => l.level)).toEqual([INFO]);
      expect(recovered[0]!['failed_calls']).toBeGreaterThan(0);
      // The order an operator reads them in.
      expect(own.at(-1)?.msg).toBe('PostgreSQL available again');
    }

    // Dozens of failed requests, a handful of warnings, and not one stack trace.
    const warnings = lines.filter((l) => l.level >= WARN);
    expect(failed).toBeGreaterThan(20);
    expect(warnings.length).toBeLessThanOrEqual(6 + 3 * Math.ceil(downSeconds));
    expect(warnings.length).toBeLessThan(failed / 2);
    expect(warnings.filter((l) => JSON.stringify(l).includes('"stack"'))).toEqual([]);

    // The proposal worker polls every 50 ms when healthy; while the store was down it backed off (cap 400 ms).
    const attempts = lines.filter((l) => l.level === DEBUG && l.msg.startsWith('Async proposal operation') && l.time >= cutAt && l.time <= restoredAt);
    expect(attempts.length).toBeGreaterThan(0);
    expect(attempts.length).toBeLessThan((restoredAt - cutAt) / (2 * WORKER_POLL_MS));
    expect(service.child.exitCode).toBeNull();
  });
});
