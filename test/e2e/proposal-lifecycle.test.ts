/**
 * The proposal lifecycle on real PRODUCTION processes sharing one PostgreSQL: a smoke run
 * (create and transition), async operations that outlive a `kill -9` of the process that
 * accepted them, and creates interrupted by a `kill -9` that leave everything or nothing.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformanceVector } from '../support/conformance.ts';
import { freshDatabase, type TestDatabase } from '../support/postgres.ts';
import { runCli, startService, type RunningService, type TestEnv, productionEnv } from '../support/service-process.ts';

type Json = Record<string, unknown>;

const request = (portfolioId: string): Json => {
  const vector = conformanceVector('advisory', 'scenario_14A_advisory_manual_trade_cashflow') as { request: Json };
  return { ...vector.request, portfolio_snapshot: { ...(vector.request['portfolio_snapshot'] as Json), portfolio_id: portfolioId } };
};

async function post(service: RunningService, path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${service.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Json };
}

async function get(service: RunningService, path: string): Promise<Json> {
  return (await (await fetch(`${service.baseUrl}${path}`)).json()) as Json;
}

describe('proposal lifecycle on real processes and PostgreSQL', () => {
  let database: TestDatabase;
  let env: TestEnv;
  let db: pg.Client;

  beforeAll(async () => {
    database = await freshDatabase();
    env = productionEnv(database.dsn, { PROPOSAL_ASYNC_POLL_MS: '50' });
    expect((await runCli(['migrate'], env)).code).toBe(0);
    db = new pg.Client({ connectionString: database.dsn });
    await db.connect();
  });

  afterAll(async () => {
    await db.end();
    await database.drop();
  });

  const count = async (sql: string, params: unknown[] = []): Promise<number> => Number((await db.query<{ n: string }>(sql, params)).rows[0]?.n);

  it('smoke: PRODUCTION creates a proposal and moves it through a transition and an approval', async () => {
    const service = await startService(env);
    try {
      const created = await post(service, '/rebalance/proposals', { created_by: 'advisor_1', simulate_request: request('pf_smoke') }, { 'idempotency-key': 'smoke-1' });
      expect(created.status).toBe(200);
      const id = (created.body['proposal'] as Json)['proposal_id'] as string;
      expect((await post(service, `/rebalance/proposals/${id}/transitions`, { event_type: 'SUBMITTED_FOR_RISK_REVIEW', actor_id: 'a', expected_state: 'DRAFT' })).body).toMatchObject({ current_state: 'RISK_REVIEW' });
      const approved = await post(service, `/rebalance/proposals/${id}/approvals`, { approval_type: 'RISK', approved: true, actor_id: 'risk_1', expected_state: 'RISK_REVIEW' });
      expect(approved.body).toMatchObject({ current_state: 'AWAITING_CLIENT_CONSENT', approval: { approval_type: 'RISK' } });
      expect(await get(service, '/rebalance/proposals/supportability/config')).toMatchObject({ store_backend: 'POSTGRES', backend_ready: true });
    } finally {
      expect(await service.stop()).toBe(0);
    }
  });

  it('async creates accepted by a process killed with -9 are completed by the replicas that remain, each exactly once', async () => {
    // The accepting replica runs no worker, so its operations are still PENDING when it dies.
    const acceptor = await startService({ ...env, PROPOSAL_ASYNC_WORKER_ENABLED: 'false' });
    const operations: string[] = [];
    try {
      for (let i = 0; i < 5; i += 1) {
        const accepted = await post(acceptor, '/rebalance/proposals/async', { created_by: 'advisor_1', simulate_request: request('pf_async_crash') }, { 'idempotency-key': `async-crash-${i}` });
        expect(accepted.status).toBe(202);
        operations.push(accepted.body['operation_id'] as string);
      }
      expect(await get(acceptor, `/rebalance/proposals/operations/${operations[0]}`)).toMatchObject({ status: 'PENDING' });
    } finally {
      await acceptor.stop('SIGKILL');
    }
    const workers = [await startService(env), await startService(env)];
    try {
      for (const id of operations) {
        for (;;) {
          const status = await get(workers[0] as RunningService, `/rebalance/proposals/operations/${id}`);
          if (status['status'] === 'SUCCEEDED') break;
          expect(status['status']).not.toBe('FAILED');
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
    expect(await count("SELECT COUNT(*) AS n FROM proposal_records WHERE portfolio_id = 'pf_async_crash'")).toBe(5);
    expect(await count("SELECT COUNT(DISTINCT proposal_id) AS n FROM proposal_async_operations WHERE operation_id = ANY($1) AND status = 'SUCCEEDED'", [operations])).toBe(5);
  });

  it('creates cut short by kill -9 leave each proposal whole or absent, and retries then create each exactly once', async () => {
    const keys = Array.from({ length: 30 }, (_, i) => `kill-${i}`);
    const body = { created_by: 'advisor_1', simulate_request: request('pf_killed') };
    const victim = await startService(env);
    const inFlight = keys.map((key) => post(victim, '/rebalance/proposals', body, { 'idempotency-key': key }).then(() => true, () => false));
    // Kill as soon as the first create is answered, while the others are anywhere in their work.
    await Promise.race(inFlight);
    await victim.stop('SIGKILL');
    await Promise.all(inFlight);

    // Everything or nothing: no proposal without its version 1, CREATED event and key, and no key without its proposal.
    const proposals = await count("SELECT COUNT(*) AS n FROM proposal_records WHERE portfolio_id = 'pf_killed'");
    expect(proposals).toBeGreaterThan(0);
    const whole = `SELECT COUNT(*) AS n FROM proposal_records p
      WHERE p.portfolio_id = 'pf_killed'
        AND EXISTS (SELECT 1 FROM proposal_versions v WHERE v.proposal_id = p.proposal_id AND v.version_no = 1)
        AND EXISTS (SELECT 1 FROM proposal_workflow_events e WHERE e.proposal_id = p.proposal_id AND e.event_type = 'CREATED')
        AND EXISTS (SELECT 1 FROM proposal_idempotency k WHERE k.proposal_id = p.proposal_id AND k.idempotency_key LIKE 'kill-%')`;
    expect(await count(whole)).toBe(proposals);
    expect(await count("SELECT COUNT(*) AS n FROM proposal_idempotency k WHERE k.idempotency_key LIKE 'kill-%' AND NOT EXISTS (SELECT 1 FROM proposal_records p WHERE p.proposal_id = k.proposal_id)")).toBe(0);

    const restarted = await startService(env);
    try {
      for (const key of keys) expect((await post(restarted, '/rebalance/proposals', body, { 'idempotency-key': key })).status).toBe(200);
    } finally {
      await restarted.stop();
    }
    expect(await count("SELECT COUNT(*) AS n FROM proposal_records WHERE portfolio_id = 'pf_killed'")).toBe(keys.length);
  });
});
