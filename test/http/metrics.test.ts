/**
 * /metrics of the whole service (createApp) on PostgreSQL after real traffic, driven with
 * `inject` (docs/operations.md#metrics): every family with its type, labels and plausible values;
 * the proposal store behind a proxy that the test cuts, to see the outage gauge; and the naming
 * rules checked on everything the service exports.
 *
 * DPM supportability and the policy-pack catalog share one DSN (one pool); the proposal store
 * reaches the same database through the proxy, a DSN of its own (a second pool).
 */
import { execFileSync } from 'node:child_process';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app/app.ts';
import { assessStartup } from '../../src/config/startup-assessment.ts';
import { METRIC_PREFIX } from '../../src/services/observability/metrics.ts';
import { REQUESTS } from '../support/dpm-api.ts';
import { WHAT_IF_BATCH } from '../support/dpm-api.ts';
import { parseMetrics, valueOf, type Family } from '../support/metrics.ts';
import { freshDatabase, type TestDatabase } from '../support/postgres.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { createBody, readyRequest } from '../support/proposal-api.ts';

type Json = Record<string, unknown>;

const P = METRIC_PREFIX;
const SHARED_POOL = 'dpm_supportability,policy_pack_catalog';

let database: TestDatabase;
let proxy: TcpProxy;
let app: App;

async function call(method: 'GET' | 'POST', url: string, payload?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Json }> {
  const response = await app.server.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as Json }) });
  return { status: response.statusCode, body: response.body === '' ? {} : (response.json() as Json) };
}

async function scrape(): Promise<Map<string, Family>> {
  const response = await app.server.inject({ method: 'GET', url: '/metrics' });
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toContain('text/plain; version=0.0.4');
  return parseMetrics(response.body);
}

/** Polls until `condition` holds (bounded by the test's timeout, never a timing assertion). */
async function until(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 20));
}

async function operationStatus(url: string): Promise<unknown> {
  return (await call('GET', url)).body['status'];
}

const labelsOf = (family: Family | undefined): string[][] => (family?.samples ?? []).filter((s) => s.name === family?.name).map((s) => Object.keys(s.labels).sort());

beforeAll(async () => {
  database = await freshDatabase();
  proxy = await startTcpProxy(database.dsn);
  const assessment = assessStartup({
    DPM_SUPPORTABILITY_STORE_BACKEND: 'POSTGRES',
    DPM_SUPPORTABILITY_POSTGRES_DSN: database.dsn,
    DPM_POLICY_PACK_CATALOG_BACKEND: 'POSTGRES',
    DPM_POLICY_PACK_POSTGRES_DSN: database.dsn,
    PROPOSAL_STORE_BACKEND: 'POSTGRES',
    PROPOSAL_POSTGRES_DSN: proxy.url,
    // One process serves this app, so each pool gets the whole POSTGRES_POOL_MAX (10) on any machine.
    WEB_CONCURRENCY: '1',
    // DPM operations wait for their execute; the worker only takes over abandoned ones.
    DPM_ASYNC_EXECUTION_MODE: 'ACCEPT_ONLY',
    DPM_ASYNC_WORKER_POLL_MS: '20',
    PROPOSAL_ASYNC_POLL_MS: '20',
  });
  expect(assessment.violations).toEqual([]);
  const created = await createApp(assessment, pino({ level: 'silent' }));
  if (!created.ok) throw new Error(JSON.stringify(created.violations));
  app = created.app;
});

afterAll(async () => {
  await app?.close();
  await proxy?.close();
  await database?.drop();
});

describe('GET /metrics after real traffic (whole app, PostgreSQL)', () => {
  it('build_info names the version, the commit of this checkout and the Node.js version', async () => {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    const families = await scrape();
    expect(families.get(`${P}build_info`)?.type).toBe('gauge');
    expect(valueOf(families, `${P}build_info`, { version: '0.1.0', commit, node_version: process.version })).toBe(1);
  });

  it('proposal lifecycle: creates by mode and outcome, transitions by event and state, approvals by type and decision', async () => {
    const ids: string[] = [];
    for (const n of [1, 2, 3]) {
      const created = await call('POST', '/rebalance/proposals', createBody(readyRequest(`pf_metrics_${n}`)), { 'idempotency-key': `metrics-create-${n}` });
      expect(created.status).toBe(200);
      ids.push((created.body['proposal'] as Json)['proposal_id'] as string);
    }
    expect((await call('POST', '/rebalance/proposals', createBody(readyRequest('pf_metrics_1')), { 'idempotency-key': 'metrics-create-1' })).status).toBe(200);
    expect((await call('POST', '/rebalance/proposals', createBody(readyRequest('pf_other')), { 'idempotency-key': 'metrics-create-1' })).status).toBe(409);
    const [approved, rejected, versioned] = ids as [string, string, string];
    for (const id of [approved, rejected]) {
      expect((await call('POST', `/rebalance/proposals/${id}/transitions`, { event_type: 'SUBMITTED_FOR_RISK_REVIEW', actor_id: 'a', expected_state: 'DRAFT' })).status).toBe(200);
    }
    expect((await call('POST', `/rebalance/proposals/${approved}/approvals`, { approval_type: 'RISK', approved: true, actor_id: 'r', expected_state: 'RISK_REVIEW' })).status).toBe(200);
    expect((await call('POST', `/rebalance/proposals/${rejected}/approvals`, { approval_type: 'RISK', approved: false, actor_id: 'r', expected_state: 'RISK_REVIEW' })).status).toBe(200);
    expect((await call('POST', `/rebalance/proposals/${versioned}/versions`, { created_by: 'advisor_1', simulate_request: readyRequest('pf_metrics_3') })).status).toBe(200);
    // An async create, run by the worker loop.
    const accepted = await call('POST', '/rebalance/proposals/async', createBody(readyRequest('pf_metrics_async')), { 'idempotency-key': 'metrics-async-1' });
    expect(accepted.status).toBe(202);
    const statusUrl = `/rebalance/proposals/operations/${String(accepted.body['operation_id'])}`;
    await until(async () => (await operationStatus(statusUrl)) === 'SUCCEEDED');

    const families = await scrape();
    const creates = `${P}proposal_creates_total`;
    expect(families.get(creates)?.type).toBe('counter');
    expect(valueOf(families, creates, { mode: 'sync', outcome: 'created' })).toBe(3);
    expect(valueOf(families, creates, { mode: 'sync', outcome: 'replayed' })).toBe(1);
    expect(valueOf(families, creates, { mode: 'sync', outcome: 'IDEMPOTENCY_KEY_CONFLICT' })).toBe(1);
    expect(valueOf(families, creates, { mode: 'async', outcome: 'created' })).toBe(1);
    expect(valueOf(families, `${P}proposal_version_creates_total`, { mode: 'sync', outcome: 'created' })).toBe(1);
    const transitions = `${P}proposal_transitions_total`;
    expect(valueOf(families, transitions, { event: 'CREATED', to_state: 'DRAFT' })).toBe(4);
    expect(valueOf(families, transitions, { event: 'SUBMITTED_FOR_RISK_REVIEW', to_state: 'RISK_REVIEW' })).toBe(2);
    expect(valueOf(families, transitions, { event: 'RISK_APPROVED', to_state: 'AWAITING_CLIENT_CONSENT' })).toBe(1);
    expect(valueOf(families, transitions, { event: 'REJECTED', to_state: 'REJECTED' })).toBe(1);
    expect(valueOf(families, transitions, { event: 'NEW_VERSION_CREATED', to_state: 'DRAFT' })).toBe(1);
    expect(valueOf(families, `${P}proposal_approvals_total`, { approval_type: 'RISK', decision: 'approved' })).toBe(1);
    expect(valueOf(families, `${P}proposal_approvals_total`, { approval_type: 'RISK', decision: 'rejected' })).toBe(1);
    expect(valueOf(families, `${P}async_operations_claimed_total`, { kind: 'proposal' })).toBe(1);
    expect(valueOf(families, `${P}async_operations_finished_total`, { kind: 'proposal', status: 'SUCCEEDED' })).toBe(1);
    expect(valueOf(families, `${P}async_lease_takeovers_total`, { kind: 'proposal' })).toBeUndefined();
  });

  it('proposal simulate and artifact calls by endpoint and outcome', async () => {
    const body = readyRequest('pf_metrics_sim');
    const disabled = { ...body, options: { ...(body['options'] as Json), enable_proposal_simulation: false } };
    expect((await call('POST', '/rebalance/proposals/simulate', body, { 'idempotency-key': 'metrics-sim' })).status).toBe(200);
    expect((await call('POST', '/rebalance/proposals/simulate', body, { 'idempotency-key': 'metrics-sim' })).status).toBe(200);
    expect((await call('POST', '/rebalance/proposals/simulate', disabled, { 'idempotency-key': 'metrics-sim-off' })).status).toBe(422);
    expect((await call('POST', '/rebalance/proposals/artifact', body, { 'idempotency-key': 'metrics-art' })).status).toBe(200);
    const families = await scrape();
    const name = `${P}proposal_simulations_total`;
    expect(valueOf(families, name, { endpoint: 'simulate', outcome: 'simulated' })).toBe(1);
    expect(valueOf(families, name, { endpoint: 'simulate', outcome: 'replayed' })).toBe(1);
    expect(valueOf(families, name, { endpoint: 'simulate', outcome: 'PROPOSAL_SIMULATION_DISABLED' })).toBe(1);
    expect(valueOf(families, name, { endpoint: 'artifact', outcome: 'simulated' })).toBe(1);
  });

  it('DPM async: the queue depth counted in the database, a manual execute, and a takeover of an abandoned operation', async () => {
    const submitted: string[] = [];
    for (const n of [1, 2]) {
      const accepted = await call('POST', '/rebalance/analyze/async', WHAT_IF_BATCH, { 'x-correlation-id': `corr-metrics-${n}` });
      expect(accepted.body['status']).toBe('PENDING');
      submitted.push(String(accepted.body['operation_id']));
    }
    let families = await scrape();
    const runnable = `${P}async_runnable_operations`;
    expect(families.get(runnable)?.type).toBe('gauge');
    expect(valueOf(families, runnable, { kind: 'dpm', state: 'PENDING' })).toBe(2);
    expect(valueOf(families, runnable, { kind: 'dpm', state: 'LEASE_EXPIRED' })).toBe(0);
    expect(valueOf(families, runnable, { kind: 'proposal', state: 'PENDING' })).toBe(0);

    expect((await call('POST', `/rebalance/operations/${submitted[0] ?? ''}/execute`)).body['status']).toBe('SUCCEEDED');
    // A replica died mid-run: RUNNING, its lease lapsed a minute ago. The worker takes it over.
    const longAgo = (ms: number): string => new Date(Date.now() - ms).toISOString();
    await app.dpmStore.createOperation(
      {
        operation_id: 'dop_0123456789abcdef01234567',
        operation_type: 'ANALYZE_SCENARIOS',
        status: 'RUNNING',
        correlation_id: 'corr-metrics-abandoned',
        created_at: longAgo(120_000),
        started_at: longAgo(120_000),
        finished_at: null,
        result_json: null,
        error_json: null,
        request_json: { batch_request: WHAT_IF_BATCH },
        lease_owner: 'wrk_dead',
        lease_expires_at: longAgo(60_000),
        attempts: 1,
      },
      [],
    );
    await until(async () => (await operationStatus('/rebalance/operations/dop_0123456789abcdef01234567')) === 'SUCCEEDED');

    families = await scrape();
    expect(valueOf(families, runnable, { kind: 'dpm', state: 'PENDING' })).toBe(1);
    expect(valueOf(families, `${P}async_operations_claimed_total`, { kind: 'dpm' })).toBe(2);
    expect(valueOf(families, `${P}async_lease_takeovers_total`, { kind: 'dpm' })).toBe(1);
    expect(valueOf(families, `${P}async_operations_finished_total`, { kind: 'dpm', status: 'SUCCEEDED' })).toBe(2);
    expect(valueOf(families, `${P}dpm_async_operations_total`, { state: 'PENDING' })).toBe(2);
  });

  it('DPM simulate and requests by route pattern; engine calls and pool limits', async () => {
    const simulate = (key: string) => call('POST', '/rebalance/simulate', REQUESTS.READY, { 'idempotency-key': key });
    expect((await simulate('metrics-dpm-1')).status).toBe(200);
    expect((await simulate('metrics-dpm-1')).status).toBe(200);
    expect((await call('GET', '/rebalance/runs/rr_0123456789abcdef01234567')).status).toBe(404);
    const families = await scrape();
    expect(valueOf(families, `${P}dpm_simulations_total`, { status: 'READY' })).toBe(1);
    expect(valueOf(families, `${P}dpm_idempotent_replays_total`)).toBe(1);
    expect(valueOf(families, `${P}http_requests_total`, { method: 'POST', route: '/rebalance/simulate', status_code: '200' })).toBe(2);
    expect(valueOf(families, `${P}http_requests_total`, { method: 'GET', route: '/rebalance/runs/:rebalance_run_id', status_code: '404' })).toBe(1);
    expect(families.get(`${P}http_request_duration_seconds`)?.type).toBe('histogram');
    expect(valueOf(families, `${P}http_request_duration_seconds_count`, { method: 'POST', route: '/rebalance/simulate', status_code: '200' })).toBe(2);
    expect(valueOf(families, `${P}engine_calls_total`, { path: 'inline', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(families, `${P}engine_pool_threads`)).toBeGreaterThanOrEqual(1);
    expect(valueOf(families, `${P}engine_pool_queue_max_calls`)).toBe(32);
    for (const gauge of ['in_flight', 'busy_threads', 'queued_calls']) expect(valueOf(families, `${P}engine_pool_${gauge}`)).toBe(0);
  });

  it('PostgreSQL pools per pool (shared DSNs named together), every store up, runtime metrics prefixed', async () => {
    const families = await scrape();
    for (const store of [SHARED_POOL, 'proposals']) {
      const total = valueOf(families, `${P}postgres_pool_connections`, { store }) ?? -1;
      expect(total).toBeGreaterThanOrEqual(1);
      expect(valueOf(families, `${P}postgres_pool_idle_connections`, { store })).toBeLessThanOrEqual(total);
      expect(valueOf(families, `${P}postgres_pool_waiting_requests`, { store })).toBe(0);
      expect(valueOf(families, `${P}postgres_pool_max_connections`, { store })).toBe(10);
    }
    expect(families.get(`${P}postgres_pool_connections`)?.samples).toHaveLength(2);
    for (const store of ['dpm_supportability', 'proposals', 'policy_pack_catalog']) expect(valueOf(families, `${P}store_unavailable`, { store })).toBe(0);
    expect(families.get(`${P}process_cpu_seconds_total`)?.type).toBe('counter');
    expect(families.get(`${P}nodejs_eventloop_lag_seconds`)?.type).toBe('gauge');
  });

  it('a store whose database is gone: 1 while the outage lasts, its queue depth unknown; 0 again once a call succeeds', async () => {
    proxy.cut();
    try {
      const refused = await call('GET', '/rebalance/proposals/pp_0123456789abcdef01234567');
      expect(refused).toMatchObject({ status: 503, body: { code: 'PROPOSAL_POSTGRES_UNAVAILABLE' } });
      const families = await scrape();
      expect(valueOf(families, `${P}store_unavailable`, { store: 'proposals' })).toBe(1);
      expect(valueOf(families, `${P}store_unavailable`, { store: 'dpm_supportability' })).toBe(0);
      expect(valueOf(families, `${P}store_errors_total`, { code: 'PROPOSAL_POSTGRES_UNAVAILABLE' })).toBeGreaterThanOrEqual(1);
      expect(valueOf(families, `${P}async_runnable_operations`, { kind: 'proposal', state: 'PENDING' })).toBeUndefined();
      expect(valueOf(families, `${P}async_runnable_operations`, { kind: 'dpm', state: 'PENDING' })).toBe(1);
    } finally {
      proxy.restore();
    }
    expect((await call('GET', '/rebalance/proposals/pp_0123456789abcdef01234567')).status).toBe(404);
    const families = await scrape();
    expect(valueOf(families, `${P}store_unavailable`, { store: 'proposals' })).toBe(0);
    expect(valueOf(families, `${P}async_runnable_operations`, { kind: 'proposal', state: 'PENDING' })).toBe(0);
  });

  it('every family follows the naming rules, with bounded labels and no ids, keys or DSNs in them', async () => {
    const families = await scrape();
    const ours = [...families.values()].filter((f) => f.name.startsWith(P));
    const deprecated = [...families.values()].filter((f) => !f.name.startsWith(P));
    expect(ours.length).toBeGreaterThan(40);
    for (const family of ours) {
      expect(family.name, family.name).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(family.help.length, `${family.name} has a HELP text`).toBeGreaterThan(10);
      if (family.type === 'counter') expect(family.name).toMatch(/_total$/);
      if (family.type === 'histogram') expect(family.name).toMatch(/_(seconds|bytes)$/);
      // Our gauges are never named like counters (prom-client's runtime gauges `nodejs_active_*_total` predate the rule).
      if (family.type === 'gauge' && !/^dpm_rebalance_(nodejs|process)_/.test(family.name)) expect(family.name).not.toMatch(/_total$/);
      for (const labels of labelsOf(family)) for (const label of labels) expect(label).toMatch(/^[a-z][a-z0-9_]*$/);
    }
    // The only names without the prefix are the previous release's, deprecated, each beside its prefixed twin.
    for (const family of deprecated) {
      expect(family.help).toMatch(new RegExp(`^Deprecated: renamed ${P}${family.name}; `));
      expect(families.get(P + family.name)?.type).toBe(family.type);
    }
    const values = ours.flatMap((f) => f.samples.flatMap((s) => Object.entries(s.labels)));
    for (const [label, value] of values) {
      expect(value, `${label}="${value}"`).not.toMatch(/_[0-9a-f]{24}\b|postgres(ql)?:\/\/|metrics-|corr-/);
      if (label === 'route') expect(value).toMatch(/^(\/[a-z0-9_:./{}-]*|unmatched)$/);
    }
    // Labels of the families this service defines, each from a closed set.
    expect(labelsOf(families.get(`${P}proposal_creates_total`))[0]).toEqual(['mode', 'outcome']);
    expect(labelsOf(families.get(`${P}proposal_transitions_total`))[0]).toEqual(['event', 'to_state']);
    expect(labelsOf(families.get(`${P}proposal_approvals_total`))[0]).toEqual(['approval_type', 'decision']);
    expect(labelsOf(families.get(`${P}async_operations_finished_total`))[0]).toEqual(['kind', 'status']);
    expect(labelsOf(families.get(`${P}build_info`))[0]).toEqual(['commit', 'node_version', 'version']);
  });
});
