/**
 * Large portfolios over real HTTP (docs/operations.md#large-portfolios): a 10,000-position simulate
 * fits under the default HTTP_BODY_LIMIT_BYTES, is answered, recorded on PostgreSQL and reproduced, and a body
 * over a lowered limit is refused with 413 and a code before it is parsed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedRequest } from '../domain/dpm/generated-request.ts';
import { freshDatabase, type TestDatabase } from '../support/postgres.ts';
import { startService, type RunningService } from '../support/service-process.ts';

/** 14,500 instruments on the shelf, of which the generator holds 10,119. */
const LARGE = generatedRequest(14_500) as { portfolio_snapshot: { portfolio_id: string; positions: unknown[] } };
const BODY = JSON.stringify(LARGE);

function post(service: RunningService, body: string, key: string): Promise<Response> {
  return fetch(`${service.baseUrl}/rebalance/simulate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body,
  });
}

describe('a 10,000-position portfolio over HTTP', () => {
  let database: TestDatabase;
  let service: RunningService;

  beforeAll(async () => {
    database = await freshDatabase();
    service = await startService({ DPM_SUPPORTABILITY_STORE_BACKEND: 'POSTGRES', DPM_SUPPORTABILITY_POSTGRES_DSN: database.dsn });
  });

  afterAll(async () => {
    await service.stop();
    await database.drop();
  });

  it('is simulated under the default body limit, recorded with its request, and reproduced', async () => {
    expect(LARGE.portfolio_snapshot.positions.length).toBeGreaterThanOrEqual(10_000);
    // Well over Fastify's own 1 MiB default, which refused anything above ~2,800 positions.
    expect(Buffer.byteLength(BODY)).toBeGreaterThan(3 * 1024 * 1024);

    const response = await post(service, BODY, 'large-10000');
    expect(response.status).toBe(200);
    const result = (await response.json()) as { rebalance_run_id: string; status: string; before: { positions: unknown[] } };
    expect(result.before.positions.length).toBeGreaterThanOrEqual(10_000);

    const stored = await fetch(`${service.baseUrl}/rebalance/runs/${result.rebalance_run_id}`);
    expect(stored.status).toBe(200);
    const run = (await stored.json()) as { portfolio_id: string; idempotency_key: string; result: { status: string } };
    expect(run).toMatchObject({ portfolio_id: LARGE.portfolio_snapshot.portfolio_id, idempotency_key: 'large-10000' });
    expect(run.result.status).toBe(result.status);

    // The request was kept with the run: today's engine reproduces all ~15 MB of the result.
    const reproduced = await fetch(`${service.baseUrl}/rebalance/runs/${result.rebalance_run_id}/reproduce`, { method: 'POST' });
    expect(reproduced.status).toBe(200);
    expect(await reproduced.json()).toMatchObject({ verdict: 'IDENTICAL', request_hash_verified: true, difference_count: 0 });
  });
});

describe('HTTP_BODY_LIMIT_BYTES', () => {
  let service: RunningService;

  beforeAll(async () => {
    service = await startService({ HTTP_BODY_LIMIT_BYTES: String(1024 * 1024) });
  });

  afterAll(async () => {
    await service.stop();
  });

  it('refuses a larger body with 413 and a code', async () => {
    const response = await post(service, BODY, 'too-large');
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });
});
