/**
 * POST /rebalance/simulate on real processes: the run is durable, replays by Idempotency-Key
 * across replicas sharing one PostgreSQL, and is found again by the lookups.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformanceVector } from '../support/conformance.ts';
import { freshDatabase, type TestDatabase } from '../support/postgres.ts';
import { startService, type RunningService } from '../support/service-process.ts';

const vector = conformanceVector('dpm', 'scenario_01_cash_inflow') as {
  request: Record<string, unknown>;
  expected: { status: string };
};

async function simulate(service: RunningService, key: string | undefined, body: unknown, correlation?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key !== undefined) headers['idempotency-key'] = key;
  if (correlation !== undefined) headers['x-correlation-id'] = correlation;
  const response = await fetch(`${service.baseUrl}/rebalance/simulate`, { method: 'POST', headers, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, replay: response.headers.get('idempotent-replay'), text, body: JSON.parse(text) as Record<string, unknown> };
}

describe('POST /rebalance/simulate on two replicas sharing PostgreSQL', () => {
  let database: TestDatabase;
  let replicas: [RunningService, RunningService];

  beforeAll(async () => {
    database = await freshDatabase();
    const env = { DPM_SUPPORTABILITY_STORE_BACKEND: 'POSTGRES', DPM_SUPPORTABILITY_POSTGRES_DSN: database.dsn };
    const first = await startService(env);
    replicas = [first, await startService(env)];
  });

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.stop()));
    await database.drop();
  });

  it('records the run, replays it by key, refuses the key for another request, and finds it again', async () => {
    const [a, b] = replicas;
    const first = await simulate(a, 'key-1', vector.request, 'corr-e2e-1');
    expect(first.status).toBe(200);
    expect(first.body['status']).toBe(vector.expected.status);
    const runId = first.body['rebalance_run_id'];

    const replay = await simulate(b, 'key-1', vector.request, 'corr-e2e-2');
    expect(replay).toMatchObject({ status: 200, replay: 'true' });
    // Byte for byte: the stored result keeps the model's key order.
    expect(replay.text).toBe(first.text);

    const changed = { ...vector.request, options: { ...(vector.request['options'] as object), min_trade_notional: { amount: '1', currency: 'SGD' } } };
    const conflict = await simulate(b, 'key-1', changed);
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({ detail: 'IDEMPOTENCY_KEY_CONFLICT: request hash mismatch', code: 'IDEMPOTENCY_KEY_CONFLICT' });

    const byId = (await (await fetch(`${b.baseUrl}/rebalance/runs/${String(runId)}`)).json()) as Record<string, unknown>;
    expect(byId).toMatchObject({ rebalance_run_id: runId, correlation_id: 'corr-e2e-1', idempotency_key: 'key-1', result: first.body });
    expect(((await (await fetch(`${a.baseUrl}/rebalance/runs/by-correlation/corr-e2e-1`)).json()) as Record<string, unknown>)['rebalance_run_id']).toBe(runId);
    expect(((await (await fetch(`${a.baseUrl}/rebalance/runs/idempotency/key-1`)).json()) as Record<string, unknown>)['rebalance_run_id']).toBe(runId);
    const missing = await fetch(`${a.baseUrl}/rebalance/runs/rr_missing`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ detail: 'DPM_RUN_NOT_FOUND' });
  });

  it('50 parallel identical requests over both replicas create exactly one run', async () => {
    const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => simulate(replicas[i % 2] as RunningService, 'key-race', vector.request)));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    const runIds = new Set(responses.map((r) => r.body['rebalance_run_id']));
    expect(runIds.size).toBe(1);
    expect(responses.filter((r) => r.replay !== 'true')).toHaveLength(1);
  });

  it('answers 422 naming the field for a missing key or an invalid body', async () => {
    const [a] = replicas;
    const noKey = await simulate(a, undefined, vector.request);
    expect(noKey.status).toBe(422);
    expect(noKey.body['detail']).toEqual([{ type: 'missing', loc: ['header', 'Idempotency-Key'], msg: 'Field required', input: null }]);
    const invalid = await simulate(a, 'key-bad', { ...vector.request, portfolio_snapshot: undefined });
    expect(invalid.status).toBe(422);
    expect(invalid.body['errors']).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'body.portfolio_snapshot' })]));
  });
});

describe('GET /metrics', () => {
  let service: RunningService;
  beforeAll(async () => {
    service = await startService({});
  });
  afterAll(() => service.stop());

  function sample(text: string, name: string, labels = ''): number {
    const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
    return line === undefined ? 0 : Number(line.split(' ')[1]);
  }

  it('counts simulations by status, replays, conflicts and requests by route pattern', async () => {
    await simulate(service, 'm-1', vector.request);
    await simulate(service, 'm-1', vector.request);
    const changed = { ...vector.request, options: { ...(vector.request['options'] as object), min_trade_notional: { amount: '1', currency: 'SGD' } } };
    await simulate(service, 'm-1', changed);
    await fetch(`${service.baseUrl}/rebalance/runs/rr_nope`);

    const response = await fetch(`${service.baseUrl}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(sample(text, 'dpm_rebalance_dpm_simulations_total', `{status="${vector.expected.status}"}`)).toBe(1);
    expect(sample(text, 'dpm_rebalance_dpm_idempotent_replays_total')).toBe(1);
    expect(sample(text, 'dpm_rebalance_dpm_idempotency_conflicts_total')).toBe(1);
    expect(sample(text, 'dpm_rebalance_http_requests_total', '{method="POST",route="/rebalance/simulate",status_code="200"}')).toBe(2);
    expect(sample(text, 'dpm_rebalance_http_requests_total', '{method="GET",route="/rebalance/runs/:rebalance_run_id",status_code="404"}')).toBe(1);
    expect(text).not.toContain('rr_nope');
  });
});
