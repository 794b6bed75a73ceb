/**
 * POST /rebalance/proposals/simulate and /artifact on two real service processes sharing one
 * PostgreSQL proposal store: concurrent calls with one Idempotency-Key over both replicas get
 * one response, stored once.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformanceVector } from '../support/conformance.ts';
import { freshDatabase, type TestDatabase } from '../support/postgres.ts';
import { startService, type RunningService } from '../support/service-process.ts';

const vector = conformanceVector('advisory', 'scenario_14B_auto_funding_single_ccy') as {
  request: Record<string, unknown>;
  expected: { status: string };
};

async function post(service: RunningService, path: string, key: string, correlation: string) {
  const response = await fetch(`${service.baseUrl}/rebalance/proposals/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key, 'x-correlation-id': correlation },
    body: JSON.stringify(vector.request),
  });
  return { status: response.status, replay: response.headers.get('idempotent-replay'), text: await response.text() };
}

async function storedRows(dsn: string, key: string): Promise<{ endpoint: string }[]> {
  const client = new pg.Client({ connectionString: dsn });
  await client.connect();
  try {
    return (await client.query('SELECT endpoint FROM proposal_simulation_idempotency WHERE idempotency_key = $1 ORDER BY endpoint', [key])).rows;
  } finally {
    await client.end();
  }
}

describe('advisory simulation on two replicas sharing PostgreSQL', () => {
  let database: TestDatabase;
  let replicas: [RunningService, RunningService];

  beforeAll(async () => {
    database = await freshDatabase();
    const env = { PROPOSAL_STORE_BACKEND: 'POSTGRES', PROPOSAL_POSTGRES_DSN: database.dsn };
    const first = await startService(env);
    replicas = [first, await startService(env)];
  });

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.stop()));
    await database.drop();
  });

  it.each(['simulate', 'artifact'])('/%s: 20 concurrent calls with one key over both replicas → one stored response, every caller gets it', async (path) => {
    const key = `e2e-${path}`;
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => post(replicas[i % 2] as RunningService, path, key, `corr-${path}-${i}`)));
    expect(answers.map((a) => a.status)).toEqual(Array.from({ length: 20 }, () => 200));
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    expect(answers.filter((a) => a.replay !== 'true')).toHaveLength(1);
    const body = JSON.parse(answers[0]?.text ?? '{}') as Record<string, unknown>;
    expect(body['status']).toBe(vector.expected.status);
    expect(await storedRows(database.dsn, key)).toEqual([{ endpoint: path.toUpperCase() }]);
  });
});
