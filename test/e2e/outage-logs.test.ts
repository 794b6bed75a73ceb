/**
 * What an operator's log shows while PostgreSQL is gone (the line to it cut by a TCP proxy) and
 * the service keeps being called: per store one warning when it goes down, one summary line per
 * interval while it stays down, one info line when it is back — not one line (with a stack) per
 * failed request — and the async workers back off instead of retrying at their poll interval.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformanceVector } from '../support/conformance.ts';
import { freshDatabase, type TestDatabase } from '../support/postgres.ts';
import { productionEnv, runCli, startService, type RunningService } from '../support/service-process.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';

const dpmRequest = (conformanceVector('dpm', 'scenario_01_cash_inflow') as { request: unknown }).request;
const INTERVAL_MS = 1_000;
const WORKER_POLL_MS = 50;
const STORES = ['DPM_SUPPORTABILITY', 'PROPOSAL'] as const;

interface LogLine {
  readonly level: number;
  readonly time: number;
  readonly msg: string;
  readonly store?: string;
  readonly [field: string]: unknown;
}

const WARN = 40;
const INFO = 30;
const DEBUG = 20;

function linesSince(service: RunningService, offset: number): LogLine[] {
  return service
    .output()
    .slice(offset)
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

describe('log lines while PostgreSQL is unreachable', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let service: RunningService;

  beforeAll(async () => {
    database = await freshDatabase();
    proxy = await startTcpProxy(database.dsn);
    const env = productionEnv(proxy.url, {
      LOG_LEVEL: 'debug',
      POSTGRES_CONNECT_TIMEOUT_MS: '1000',
      STORE_OUTAGE_LOG_INTERVAL_MS: String(INTERVAL_MS),
      PROPOSAL_ASYNC_POLL_MS: String(WORKER_POLL_MS),
      STORE_RETRY_MAX_BACKOFF_MS: '400',
    });
    expect((await runCli(['migrate'], env)).code).toBe(0);
    service = await startService(env);
  });

  afterAll(async () => {
    await service.stop();
    await proxy.close();
    await database.drop();
  });

  it('one warning per store, a summary per interval, one info line when back; workers back off', async () => {
    const simulate = () =>
      fetch(`${service.baseUrl}/rebalance/simulate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `log-${Math.random()}` },
        body: JSON.stringify(dpmRequest),
      });
    expect((await simulate()).status).toBe(200);
    const offset = service.output().length;

    proxy.cut();
    const cutAt = Date.now();
    let failed = 0;
    let calling = true;
    const callers = Array.from({ length: 3 }, async () => {
      while (calling) {
        const [run, proposals] = await Promise.all([simulate(), fetch(`${service.baseUrl}/rebalance/proposals?limit=1`)]);
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
