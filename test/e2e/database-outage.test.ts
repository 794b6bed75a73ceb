/**
 * A PostgreSQL outage while a PRODUCTION service is serving: requests that need the database get
 * 503 with the store's code and Retry-After (never a 500, never a crash), readiness turns 503,
 * and the service recovers by itself once the database is back — with every write it
 * acknowledged before the outage still there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformanceVector } from '../support/conformance.ts';
import { freshDatabase, type TestDatabase } from '../support/postgres.ts';
import { runCli, startService, type RunningService, productionEnv } from '../support/service-process.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';

const vector = conformanceVector('dpm', 'scenario_01_cash_inflow') as { request: unknown };

describe('database outage while serving', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let service: RunningService;

  const simulate = (key: string): Promise<Response> =>
    fetch(`${service.baseUrl}/rebalance/simulate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(vector.request),
    });

  beforeAll(async () => {
    database = await freshDatabase();
    proxy = await startTcpProxy(database.dsn);
    const env = productionEnv(proxy.url, { POSTGRES_CONNECT_TIMEOUT_MS: '1000' });
    expect((await runCli(['migrate'], env)).code).toBe(0);
    service = await startService(env);
  });

  afterAll(async () => {
    await service.stop();
    await proxy.close();
    await database.drop();
  });

  it('answers 503 with the store code and Retry-After while the database is gone, then recovers', async () => {
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
