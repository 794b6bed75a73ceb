/**
 * Two real service processes on one PostgreSQL catalog: an admin change made through one is
 * served by the other within the documented bound (DPM_POLICY_PACK_CACHE_TTL_MS + one refresh).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../support/postgres.ts';
import { runCli, startService, type RunningService, type TestEnv } from '../support/service-process.ts';

const TOKEN = 'replica-test-token';
const CACHE_TTL_MS = 500;
const BOUND_MS = CACHE_TTL_MS + 1_000;

async function waitFor(check: () => Promise<boolean>, boundMs: number): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > boundMs) throw new Error(`not visible within ${boundMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return Date.now() - started;
}

describe('policy-pack catalog shared by two replicas', () => {
  let database: TestDatabase;
  let replicas: RunningService[];

  beforeAll(async () => {
    database = await freshDatabase();
    const env: TestEnv = {
      DPM_POLICY_PACK_CATALOG_BACKEND: 'POSTGRES',
      DPM_POLICY_PACK_POSTGRES_DSN: database.dsn,
      DPM_POLICY_PACK_ADMIN_APIS_ENABLED: 'true',
      DPM_POLICY_PACK_ADMIN_TOKEN: TOKEN,
      DPM_POLICY_PACK_CACHE_TTL_MS: String(CACHE_TTL_MS),
    };
    expect((await runCli(['migrate', '--target', 'policy_packs'], env)).code).toBe(0);
    replicas = await Promise.all([startService(env), startService(env)]);
  });

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.stop()));
    await database.drop();
  });

  it('an upsert and a delete through one replica are seen by the other within the bound', async () => {
    const [writer, reader] = replicas as [RunningService, RunningService];
    const url = (base: string) => `${base}/rebalance/policies/catalog/pack_shared`;
    expect((await fetch(url(reader.baseUrl))).status).toBe(404);

    const put = await fetch(url(writer.baseUrl), {
      method: 'PUT',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'x-actor': 'ops.test' },
      body: JSON.stringify({ version: '2026.1', turnover_policy: { max_turnover_pct: '0.15' } }),
    });
    expect(put.status).toBe(200);
    await waitFor(async () => (await fetch(url(reader.baseUrl))).status === 200, BOUND_MS);
    expect(await (await fetch(url(reader.baseUrl))).json()).toMatchObject({ policy_pack_id: 'pack_shared', turnover_policy: { max_turnover_pct: '0.15' } });

    const removed = await fetch(url(writer.baseUrl), { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(removed.status).toBe(204);
    await waitFor(async () => (await fetch(url(reader.baseUrl))).status === 404, BOUND_MS);
  });

  it('refuses admin writes without the token, and logs who changed what without the token', async () => {
    const [writer] = replicas as [RunningService];
    const denied = await fetch(`${writer.baseUrl}/rebalance/policies/catalog/pack_x`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ version: '1' }),
    });
    expect(denied.status).toBe(401);
    expect(writer.output()).toContain('pack_shared');
    expect(writer.output()).not.toContain(TOKEN);
  });
});
