/**
 * The production smoke (docs/runbook-cutover.md#sequence), as an operator runs it on cutover day:
 * fresh databases (one per store, so each DSN is proven to point where it should) → `migrate` →
 * `cutover-check --check-migrations` → the real process on the PRODUCTION profile → one write per
 * store through HTTP (and a support bundle of the run) → SIGTERM → restart → the same records read
 * back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformanceVector } from '../support/conformance.ts';
import { freshDatabase, type TestDatabase } from '../support/postgres.ts';
import { runCli, startService, type RunningService, type TestEnv } from '../support/service-process.ts';

type Json = Record<string, unknown>;
const TOKEN = 'smoke-admin-token';
const dpmRequest = (conformanceVector('dpm', 'scenario_01_cash_inflow') as { request: Json }).request;
const proposalRequest = (conformanceVector('advisory', 'scenario_14A_advisory_manual_trade_cashflow') as { request: Json })
  .request;

async function call(service: RunningService, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${service.baseUrl}${path}`, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Json) };
}

describe('production smoke: migrate → cutover-check → serve → write → restart → read back', () => {
  const databases: TestDatabase[] = [];
  let env: TestEnv;

  beforeAll(async () => {
    const [dpm, proposals, catalog] = await Promise.all([freshDatabase(), freshDatabase(), freshDatabase()]);
    databases.push(dpm, proposals, catalog);
    env = {
      APP_PERSISTENCE_PROFILE: 'PRODUCTION',
      DPM_SUPPORTABILITY_STORE_BACKEND: 'POSTGRES',
      DPM_SUPPORTABILITY_POSTGRES_DSN: dpm.dsn,
      PROPOSAL_STORE_BACKEND: 'POSTGRES',
      PROPOSAL_POSTGRES_DSN: proposals.dsn,
      DPM_POLICY_PACKS_ENABLED: 'true',
      DPM_POLICY_PACK_ADMIN_APIS_ENABLED: 'true',
      DPM_POLICY_PACK_ADMIN_TOKEN: TOKEN,
      DPM_POLICY_PACK_CATALOG_BACKEND: 'POSTGRES',
      DPM_POLICY_PACK_POSTGRES_DSN: catalog.dsn,
    };
  });

  afterAll(async () => {
    await Promise.all(databases.map((database) => database.drop()));
  });

  it('cuts over and keeps every record across a restart', async () => {
    const migrated = await runCli(['migrate'], env);
    expect(migrated.code, migrated.stderr).toBe(0);
    const check = await runCli(['cutover-check', '--check-migrations', '--json'], env);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    const report = JSON.parse(check.stdout) as { ok: boolean; profile: string; checks: { code: string; ok: boolean }[] };
    expect(report).toMatchObject({ ok: true, profile: 'PRODUCTION' });
    for (const namespace of ['dpm', 'proposals', 'policy_packs']) {
      expect(report.checks.some((c) => c.ok && c.code.endsWith(`:${namespace}`))).toBe(true);
    }

    const first = await startService(env);
    let runId: string;
    let proposalId: string;
    let createdVersion: string;
    try {
      expect((await call(first, 'GET', '/health/ready')).status).toBe(200);

      const simulated = await call(first, 'POST', '/rebalance/simulate', dpmRequest, { 'idempotency-key': 'smoke-run-1', 'x-correlation-id': 'corr-smoke' });
      expect(simulated.status).toBe(200);
      runId = simulated.body['rebalance_run_id'] as string;
      const bundle = await call(first, 'GET', `/rebalance/runs/by-correlation/corr-smoke/support-bundle`);
      expect(bundle.status).toBe(200);
      expect(bundle.body).toMatchObject({ run: { rebalance_run_id: runId }, idempotency_history: { idempotency_key: 'smoke-run-1' } });
      expect(((bundle.body['lineage'] as Json)['edges'] as unknown[]).length).toBeGreaterThanOrEqual(2);

      const created = await call(first, 'POST', '/rebalance/proposals', { created_by: 'advisor_1', simulate_request: proposalRequest }, { 'idempotency-key': 'smoke-proposal-1' });
      expect(created.status).toBe(200);
      proposalId = (created.body['proposal'] as Json)['proposal_id'] as string;
      createdVersion = JSON.stringify((created.body['version'] as Json)['proposal_result']);
      const moved = await call(first, 'POST', `/rebalance/proposals/${proposalId}/transitions`, { event_type: 'SUBMITTED_FOR_RISK_REVIEW', actor_id: 'advisor_1', expected_state: 'DRAFT' });
      expect(moved).toMatchObject({ status: 200, body: { current_state: 'RISK_REVIEW' } });

      const upserted = await call(first, 'PUT', '/rebalance/policies/catalog/pack_smoke', { version: '2026.11', turnover_policy: { max_turnover_pct: '0.2' } }, { authorization: `Bearer ${TOKEN}` });
      expect(upserted.status).toBe(200);
      expect((await call(first, 'GET', '/rebalance/policies/catalog/pack_smoke')).body).toMatchObject({ version: '2026.11' });
    } finally {
      expect(await first.stop('SIGTERM')).toBe(0);
    }

    const second = await startService(env);
    try {
      expect((await call(second, 'GET', `/rebalance/runs/${runId}`)).body).toMatchObject({ rebalance_run_id: runId, correlation_id: 'corr-smoke', idempotency_key: 'smoke-run-1' });
      expect((await call(second, 'GET', `/rebalance/runs/${runId}/support-bundle`)).body).toMatchObject({ run: { rebalance_run_id: runId } });
      const replay = await call(second, 'POST', '/rebalance/simulate', dpmRequest, { 'idempotency-key': 'smoke-run-1' });
      expect(replay.body['rebalance_run_id']).toBe(runId);
      expect((await call(second, 'GET', `/rebalance/proposals/${proposalId}`)).body).toMatchObject({ proposal: { proposal_id: proposalId, current_state: 'RISK_REVIEW' } });
      // The stored version reads back exactly as created, field order included.
      const version = await call(second, 'GET', `/rebalance/proposals/${proposalId}/versions/1`);
      expect(JSON.stringify(version.body['proposal_result'])).toBe(createdVersion);
      expect((await call(second, 'GET', '/rebalance/policies/catalog/pack_smoke')).body).toMatchObject({ policy_pack_id: 'pack_smoke', turnover_policy: { max_turnover_pct: '0.2' } });
    } finally {
      expect(await second.stop('SIGTERM')).toBe(0);
    }
  });
});
