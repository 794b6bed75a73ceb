/**
 * Every error of every route, as a client reads it (docs/errors.md): one table per route group,
 * each row a request that must answer its status, the exact `detail`, `code` and content type,
 * on IN_MEMORY and on POSTGRES (store outages on POSTGRES only, through a proxy that is cut).
 * Validation rows are the 422 examples of the OpenAPI document, sent as they are; 415 rows are
 * generated for every route that takes a body. A last check holds the tables and the document
 * together: a route documents exactly the codes its rows produce.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app/app.ts';
import { REASON_CODES, type ReasonCode } from '../../src/config/reason-codes.ts';
import { INVALID_PATH_VALUE } from '../../src/http/openapi/document.ts';
import { PROPOSAL_REQUEST_EXAMPLE } from '../../src/http/routes/proposals/simulation.ts';
import { dpmVector, startApp, WHAT_IF_BATCH } from '../support/dpm-api.ts';
import { freshDatabase, type TestDatabase } from '../support/postgres.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';

type Json = Record<string, unknown>;
type Backend = 'IN_MEMORY' | 'POSTGRES';
/** A: everything on; B: DPM support on, every other DPM and proposal feature off; C: DPM support and proposal lifecycle off, a read-only catalog; E: A behind a cut database. */
type Config = 'A' | 'B' | 'C' | 'E';

interface Request {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly url: string;
  readonly payload?: unknown;
  readonly headers?: Record<string, string>;
}

interface Row {
  /** `METHOD /path/{template}` as in the OpenAPI document. */
  readonly op: string;
  readonly code: ReasonCode;
  readonly config: Config;
  /** Which catalogued detail string (default: the first). */
  readonly detail?: string;
  readonly request: (f: Fixtures) => Promise<Request> | Request;
}

const TOKEN = 'contract-admin-token';
const ADMIN = { authorization: `Bearer ${TOKEN}` };
const READY_REQUEST = dpmVector('scenario_01_cash_inflow').request;
const REVIEW_REQUEST = dpmVector('scenario_05_constraint_fail').request;
const PACK = { version: '1', turnover_policy: { max_turnover_pct: '0.5' } };
const CREATE = { created_by: 'advisor_01', simulate_request: PROPOSAL_REQUEST_EXAMPLE };
const DISABLED_SIMULATION = { ...PROPOSAL_REQUEST_EXAMPLE, options: { enable_proposal_simulation: false } };
const ONLY_FAILING_BATCH = { ...WHAT_IF_BATCH, scenarios: { broken: { options: { max_turnover_pct: '7' } } } };

let counter = 0;
const unique = (prefix: string): string => `${prefix}-${(counter += 1)}`;

// ── Fixtures: what the rows act on, created through the API of app A ───────────────────────

class Fixtures {
  constructor(readonly app: App) {}

  async send(request: Request): Promise<{ status: number; body: Json; headers: Record<string, unknown> }> {
    const response = await this.app.server.inject({ method: request.method, url: request.url, headers: request.headers ?? {}, ...(request.payload === undefined ? {} : { payload: request.payload as object }) });
    return { status: response.statusCode, body: response.body === '' ? {} : response.json<Json>(), headers: response.headers };
  }

  async ok(request: Request): Promise<Json> {
    const response = await this.send(request);
    expect(response.status, `${request.method} ${request.url}: ${JSON.stringify(response.body).slice(0, 300)}`).toBeLessThan(300);
    return response.body;
  }

  /** A recorded run: READY, or PENDING_REVIEW (workflow actions apply). */
  async run(review = false): Promise<{ id: string; correlation: string; key: string }> {
    const key = unique('contract-run');
    const correlation = `corr-${key}`;
    const result = await this.ok({ method: 'POST', url: '/rebalance/simulate', payload: review ? REVIEW_REQUEST : READY_REQUEST, headers: { 'idempotency-key': key, 'x-correlation-id': correlation } });
    return { id: String(result['rebalance_run_id']), correlation, key };
  }

  /** A finished async operation (INLINE mode) and the id of one whose scenarios all failed. */
  async operation(batch: unknown = WHAT_IF_BATCH): Promise<string> {
    return String((await this.ok({ method: 'POST', url: '/rebalance/analyze/async', payload: batch })).operation_id);
  }

  async proposal(request: unknown = PROPOSAL_REQUEST_EXAMPLE): Promise<string> {
    const created = await this.ok({ method: 'POST', url: '/rebalance/proposals', payload: { created_by: 'advisor_01', simulate_request: request }, headers: { 'idempotency-key': unique('contract-proposal') } });
    return String((created['proposal'] as Json)['proposal_id']);
  }

  async move(id: string, event: string, from: string): Promise<void> {
    await this.ok({ method: 'POST', url: `/rebalance/proposals/${id}/transitions`, payload: { event_type: event, actor_id: 'a', expected_state: from } });
  }
}

// ── The tables ──────────────────────────────────────────────────────────────────────────────

const get = (url: string): Request => ({ method: 'GET', url });
const RUN_ADDRESSES = [
  { path: '/rebalance/runs/{rebalance_run_id}', url: (r: { id: string }) => `/rebalance/runs/${r.id}`, missing: '/rebalance/runs/rr_missing', notFound: ['DPM_RUN_NOT_FOUND'] as ReasonCode[] },
  { path: '/rebalance/runs/by-correlation/{correlation_id}', url: (r: { correlation: string }) => `/rebalance/runs/by-correlation/${r.correlation}`, missing: '/rebalance/runs/by-correlation/corr-missing', notFound: ['DPM_RUN_NOT_FOUND'] as ReasonCode[] },
  { path: '/rebalance/runs/idempotency/{idempotency_key}', url: (r: { key: string }) => `/rebalance/runs/idempotency/${r.key}`, missing: '/rebalance/runs/idempotency/key-missing', notFound: ['DPM_IDEMPOTENCY_KEY_NOT_FOUND'] as ReasonCode[] },
];

/** A route behind DPM_SUPPORT_APIS_ENABLED (and maybe its own gate): its gate rows and its outage row. */
function dpmGated(op: string, request: Request, gate?: ReasonCode): Row[] {
  const rows: Row[] = [
    { op, code: 'DPM_SUPPORT_APIS_DISABLED', config: 'C', request: () => request },
    { op, code: 'DPM_SUPPORTABILITY_POSTGRES_UNAVAILABLE', config: 'E', request: () => request },
  ];
  return gate ? [...rows, { op, code: gate, config: 'B', request: () => request }] : rows;
}

const DPM_RUNS: Row[] = [
  { op: 'POST /rebalance/simulate', code: 'IDEMPOTENCY_KEY_CONFLICT', config: 'A', request: async (f) => {
    const run = await f.run();
    return { method: 'POST', url: '/rebalance/simulate', payload: REVIEW_REQUEST, headers: { 'idempotency-key': run.key } };
  } },
  { op: 'POST /rebalance/simulate', code: 'IDEMPOTENCY_KEY_CONFLICT', detail: 'IDEMPOTENCY_KEY_CONFLICT: policy pack mismatch', config: 'A', request: async (f) => {
    const key = unique('contract-pack');
    await f.ok({ method: 'POST', url: '/rebalance/simulate', payload: READY_REQUEST, headers: { 'idempotency-key': key, 'x-policy-pack-id': 'pack_a' } });
    return { method: 'POST', url: '/rebalance/simulate', payload: READY_REQUEST, headers: { 'idempotency-key': key } };
  } },
  { op: 'POST /rebalance/simulate', code: 'DPM_SUPPORTABILITY_POSTGRES_UNAVAILABLE', config: 'E', request: () => ({ method: 'POST', url: '/rebalance/simulate', payload: READY_REQUEST, headers: { 'idempotency-key': unique('k') } }) },
  { op: 'POST /rebalance/simulate', code: 'DPM_POLICY_PACK_POSTGRES_UNAVAILABLE', config: 'E', request: () => ({ method: 'POST', url: '/rebalance/simulate', payload: READY_REQUEST, headers: { 'idempotency-key': unique('k'), 'x-policy-pack-id': 'pack_a' } }) },
  { op: 'POST /rebalance/analyze', code: 'DPM_SUPPORTABILITY_POSTGRES_UNAVAILABLE', config: 'E', request: () => ({ method: 'POST', url: '/rebalance/analyze', payload: WHAT_IF_BATCH }) },
  { op: 'POST /rebalance/analyze/async', code: 'DPM_ASYNC_OPERATIONS_DISABLED', config: 'B', request: () => ({ method: 'POST', url: '/rebalance/analyze/async', payload: WHAT_IF_BATCH }) },
  { op: 'POST /rebalance/analyze/async', code: 'DPM_SUPPORTABILITY_POSTGRES_UNAVAILABLE', config: 'E', request: () => ({ method: 'POST', url: '/rebalance/analyze/async', payload: WHAT_IF_BATCH }) },
  ...RUN_ADDRESSES.flatMap((a) => [
    { op: `GET ${a.path}`, code: a.notFound[0] as ReasonCode, config: 'A' as const, request: () => get(a.missing) },
    ...dpmGated(`GET ${a.path}`, get(a.missing)),
  ]),
  { op: 'POST /rebalance/runs/{rebalance_run_id}/reproduce', code: 'DPM_RUN_NOT_FOUND', config: 'A', request: () => ({ method: 'POST', url: '/rebalance/runs/rr_missing/reproduce' }) },
  ...dpmGated('POST /rebalance/runs/{rebalance_run_id}/reproduce', { method: 'POST', url: '/rebalance/runs/rr_missing/reproduce' }),
  { op: 'GET /rebalance/runs/by-request-hash/{request_hash}', code: 'DPM_RUN_NOT_FOUND', config: 'A', request: () => get('/rebalance/runs/by-request-hash/sha256:missing') },
  ...dpmGated('GET /rebalance/runs/by-request-hash/{request_hash}', get('/rebalance/runs/by-request-hash/sha256:missing')),
];

const DPM_SUPPORT: Row[] = [
  { op: 'GET /rebalance/runs', code: 'DPM_SUPPORTABILITY_INVALID_CURSOR', config: 'A', request: () => get('/rebalance/runs?cursor=not-ours') },
  ...dpmGated('GET /rebalance/runs', get('/rebalance/runs')),
  { op: 'GET /rebalance/runs/{rebalance_run_id}/artifact', code: 'DPM_RUN_NOT_FOUND', config: 'A', request: () => get('/rebalance/runs/rr_missing/artifact') },
  ...dpmGated('GET /rebalance/runs/{rebalance_run_id}/artifact', get('/rebalance/runs/rr_missing/artifact'), 'DPM_ARTIFACTS_DISABLED'),
  { op: 'GET /rebalance/lineage/{entity_id}', code: 'DPM_SUPPORTABILITY_INVALID_CURSOR', config: 'A', request: () => get('/rebalance/lineage/x?cursor=not-ours') },
  ...dpmGated('GET /rebalance/lineage/{entity_id}', get('/rebalance/lineage/x'), 'DPM_LINEAGE_APIS_DISABLED'),
  { op: 'GET /rebalance/idempotency/{idempotency_key}/history', code: 'DPM_IDEMPOTENCY_KEY_NOT_FOUND', config: 'A', request: () => get('/rebalance/idempotency/key-missing/history') },
  ...dpmGated('GET /rebalance/idempotency/{idempotency_key}/history', get('/rebalance/idempotency/key-missing/history'), 'DPM_IDEMPOTENCY_HISTORY_APIS_DISABLED'),
  ...dpmGated('GET /rebalance/supportability/summary', get('/rebalance/supportability/summary'), 'DPM_SUPPORTABILITY_SUMMARY_APIS_DISABLED'),
  ...RUN_ADDRESSES.flatMap((a) => [
    { op: `GET ${a.path}/support-bundle`, code: a.notFound[0] as ReasonCode, config: 'A' as const, request: () => get(`${a.missing}/support-bundle`) },
    ...dpmGated(`GET ${a.path}/support-bundle`, get(`${a.missing}/support-bundle`), 'DPM_SUPPORT_BUNDLE_APIS_DISABLED'),
  ]),
  { op: 'GET /rebalance/runs/by-operation/{operation_id}/support-bundle', code: 'DPM_ASYNC_OPERATION_NOT_FOUND', config: 'A', request: () => get('/rebalance/runs/by-operation/dop_missing/support-bundle') },
  { op: 'GET /rebalance/runs/by-operation/{operation_id}/support-bundle', code: 'DPM_RUN_NOT_FOUND', config: 'A', request: async (f) => get(`/rebalance/runs/by-operation/${await f.operation(ONLY_FAILING_BATCH)}/support-bundle`) },
  ...dpmGated('GET /rebalance/runs/by-operation/{operation_id}/support-bundle', get('/rebalance/runs/by-operation/dop_missing/support-bundle'), 'DPM_SUPPORT_BUNDLE_APIS_DISABLED'),
];

const operationsGated = (op: string, request: Request): Row[] => [...dpmGated(op, request), { op, code: 'DPM_ASYNC_OPERATIONS_DISABLED', config: 'B', request: () => request }];
const DPM_OPERATIONS: Row[] = [
  { op: 'GET /rebalance/operations', code: 'DPM_SUPPORTABILITY_INVALID_CURSOR', config: 'A', request: () => get('/rebalance/operations?cursor=not-ours') },
  ...operationsGated('GET /rebalance/operations', get('/rebalance/operations')),
  { op: 'GET /rebalance/operations/{operation_id}', code: 'DPM_ASYNC_OPERATION_NOT_FOUND', config: 'A', request: () => get('/rebalance/operations/dop_missing') },
  ...operationsGated('GET /rebalance/operations/{operation_id}', get('/rebalance/operations/dop_missing')),
  { op: 'GET /rebalance/operations/by-correlation/{correlation_id}', code: 'DPM_ASYNC_OPERATION_NOT_FOUND', config: 'A', request: () => get('/rebalance/operations/by-correlation/corr-missing') },
  ...operationsGated('GET /rebalance/operations/by-correlation/{correlation_id}', get('/rebalance/operations/by-correlation/corr-missing')),
  { op: 'POST /rebalance/operations/{operation_id}/execute', code: 'DPM_ASYNC_OPERATION_NOT_FOUND', config: 'A', request: () => ({ method: 'POST', url: '/rebalance/operations/dop_missing/execute' }) },
  { op: 'POST /rebalance/operations/{operation_id}/execute', code: 'DPM_ASYNC_OPERATION_NOT_EXECUTABLE', config: 'A', request: async (f) => ({ method: 'POST', url: `/rebalance/operations/${await f.operation()}/execute` }) },
  { op: 'POST /rebalance/operations/{operation_id}/execute', code: 'DPM_ASYNC_OPERATIONS_DISABLED', config: 'B', request: () => ({ method: 'POST', url: '/rebalance/operations/dop_missing/execute' }) },
  { op: 'POST /rebalance/operations/{operation_id}/execute', code: 'DPM_ASYNC_MANUAL_EXECUTION_DISABLED', config: 'C', request: () => ({ method: 'POST', url: '/rebalance/operations/dop_missing/execute' }) },
  { op: 'POST /rebalance/operations/{operation_id}/execute', code: 'DPM_SUPPORTABILITY_POSTGRES_UNAVAILABLE', config: 'E', request: () => ({ method: 'POST', url: '/rebalance/operations/dop_missing/execute' }) },
];

const APPROVE = { action: 'APPROVE', reason_code: 'REVIEW_APPROVED', actor_id: 'reviewer' };
const DPM_WORKFLOW: Row[] = [
  ...RUN_ADDRESSES.flatMap((a) => {
    const rows: Row[] = [];
    for (const suffix of ['/workflow', '/workflow/history', '/workflow/refused-attempts']) {
      const op = `GET ${a.path}${suffix}`;
      rows.push(...a.notFound.map((code): Row => ({ op, code, config: 'A', request: () => get(`${a.missing}${suffix}`) })));
      rows.push(...dpmGated(op, get(`${a.missing}${suffix}`), 'DPM_WORKFLOW_DISABLED'));
    }
    const op = `POST ${a.path}/workflow/actions`;
    const act = (url: string, headers: Record<string, string> = {}): Request => ({ method: 'POST', url: `${url}/workflow/actions`, payload: APPROVE, headers });
    rows.push(
      ...a.notFound.map((code): Row => ({ op, code, config: 'A', request: () => act(a.missing) })),
      ...dpmGated(op, act(a.missing), 'DPM_WORKFLOW_DISABLED'),
      { op, code: 'DPM_WORKFLOW_NOT_REQUIRED_FOR_RUN_STATUS', config: 'A', request: async (f) => act(a.url(await f.run())) },
      { op, code: 'DPM_WORKFLOW_INVALID_TRANSITION', config: 'A', request: async (f) => {
        const url = a.url(await f.run(true));
        await f.ok(act(url));
        return act(url);
      } },
      { op, code: 'DPM_WORKFLOW_STATE_STALE', config: 'A', request: async (f) => {
        const url = a.url(await f.run(true));
        await f.ok({ method: 'POST', url: `${url}/workflow/actions`, payload: { ...APPROVE, action: 'REQUEST_CHANGES', reason_code: 'NEEDS_DETAIL' } });
        return act(url, { 'if-match': '"none"' });
      } },
    );
    return rows;
  }),
  { op: 'GET /rebalance/workflow/decisions', code: 'DPM_SUPPORTABILITY_INVALID_CURSOR', config: 'A', request: () => get('/rebalance/workflow/decisions?cursor=not-ours') },
  ...dpmGated('GET /rebalance/workflow/decisions', get('/rebalance/workflow/decisions'), 'DPM_WORKFLOW_DISABLED'),
  { op: 'GET /rebalance/workflow/decisions/by-correlation/{correlation_id}', code: 'DPM_RUN_NOT_FOUND', config: 'A', request: () => get('/rebalance/workflow/decisions/by-correlation/corr-missing') },
  ...dpmGated('GET /rebalance/workflow/decisions/by-correlation/{correlation_id}', get('/rebalance/workflow/decisions/by-correlation/corr-missing'), 'DPM_WORKFLOW_DISABLED'),
];

const PACK_ROUTE = '/rebalance/policies/catalog/{policy_pack_id}';
const POLICY_PACKS: Row[] = [
  { op: 'GET /rebalance/policies/catalog', code: 'DPM_POLICY_PACK_POSTGRES_UNAVAILABLE', config: 'E', request: () => get('/rebalance/policies/catalog') },
  { op: `GET ${PACK_ROUTE}`, code: 'DPM_POLICY_PACK_NOT_FOUND', config: 'A', request: () => get('/rebalance/policies/catalog/pack_missing') },
  { op: `GET ${PACK_ROUTE}`, code: 'DPM_POLICY_PACK_POSTGRES_UNAVAILABLE', config: 'E', request: () => get('/rebalance/policies/catalog/pack_a') },
  ...(['PUT', 'DELETE'] as const).flatMap((method): Row[] => {
    const op = `${method} ${PACK_ROUTE}`;
    const call = (headers: Record<string, string> = ADMIN, id = 'pack_b'): Request => ({ method, url: `/rebalance/policies/catalog/${id}`, headers, ...(method === 'PUT' ? { payload: PACK } : {}) });
    return [
      { op, code: 'DPM_POLICY_PACK_ADMIN_APIS_DISABLED', config: 'B', request: () => call() },
      { op, code: 'DPM_POLICY_PACK_ADMIN_UNAUTHORIZED', config: 'A', request: () => call({ authorization: 'Bearer wrong' }) },
      { op, code: 'DPM_POLICY_PACK_CATALOG_READ_ONLY', config: 'C', request: () => call() },
      { op, code: 'DPM_POLICY_PACK_POSTGRES_UNAVAILABLE', config: 'E', request: () => call() },
      ...(method === 'DELETE' ? [{ op, code: 'DPM_POLICY_PACK_NOT_FOUND' as const, config: 'A' as const, request: () => call(ADMIN, 'pack_missing') }] : []),
    ];
  }),
];

const ADVISORY_SIMULATION: Row[] = ['simulate', 'artifact'].flatMap((path): Row[] => {
  const op = `POST /rebalance/proposals/${path}`;
  const send = (payload: unknown, key = unique('contract-sim')): Request => ({ method: 'POST', url: `/rebalance/proposals/${path}`, payload, headers: { 'idempotency-key': key } });
  return [
    { op, code: 'PROPOSAL_SIMULATION_DISABLED', config: 'A', request: () => send(DISABLED_SIMULATION) },
    { op, code: 'IDEMPOTENCY_KEY_CONFLICT', config: 'A', request: async (f) => {
      const key = unique('contract-sim');
      await f.ok(send(PROPOSAL_REQUEST_EXAMPLE, key));
      return send({ ...PROPOSAL_REQUEST_EXAMPLE, proposed_cash_flows: [] }, key);
    } },
    { op, code: 'PROPOSAL_POSTGRES_UNAVAILABLE', config: 'E', request: () => send(PROPOSAL_REQUEST_EXAMPLE) },
  ];
});

/** A proposal route: the lifecycle gate, its own gate, and its outage row. */
function lifecycleGated(op: string, request: Request, gate?: ReasonCode): Row[] {
  const rows: Row[] = [
    { op, code: 'PROPOSAL_WORKFLOW_LIFECYCLE_DISABLED', config: 'C', request: () => request },
    { op, code: 'PROPOSAL_POSTGRES_UNAVAILABLE', config: 'E', request: () => request },
  ];
  return gate ? [...rows, { op, code: gate, config: 'B', request: () => request }] : rows;
}

const create = (payload: unknown = CREATE, key = unique('contract-create')): Request => ({ method: 'POST', url: '/rebalance/proposals', payload, headers: { 'idempotency-key': key } });
const version = (id: string, payload: unknown = CREATE, headers: Record<string, string> = {}): Request => ({ method: 'POST', url: `/rebalance/proposals/${id}/versions`, payload, headers });
const transition = (id: string, body: Json): Request => ({ method: 'POST', url: `/rebalance/proposals/${id}/transitions`, payload: { actor_id: 'a', ...body } });
const approval = (id: string, body: Json): Request => ({ method: 'POST', url: `/rebalance/proposals/${id}/approvals`, payload: { approval_type: 'RISK', approved: true, actor_id: 'r', ...body } });

const PROPOSAL_LIFECYCLE: Row[] = [
  { op: 'POST /rebalance/proposals', code: 'PROPOSAL_SIMULATION_DISABLED', config: 'A', request: () => create({ ...CREATE, simulate_request: DISABLED_SIMULATION }) },
  { op: 'POST /rebalance/proposals', code: 'IDEMPOTENCY_KEY_CONFLICT', config: 'A', request: async (f) => {
    const key = unique('contract-create');
    await f.ok(create(CREATE, key));
    return create({ ...CREATE, created_by: 'someone_else' }, key);
  } },
  ...lifecycleGated('POST /rebalance/proposals', create()),
  { op: 'POST /rebalance/proposals/async', code: 'IDEMPOTENCY_KEY_CONFLICT', config: 'A', request: async (f) => {
    const key = unique('contract-async-create');
    await f.ok({ ...create(CREATE, key), url: '/rebalance/proposals/async' });
    return { ...create({ ...CREATE, created_by: 'someone_else' }, key), url: '/rebalance/proposals/async' };
  } },
  ...lifecycleGated('POST /rebalance/proposals/async', { ...create(), url: '/rebalance/proposals/async' }, 'PROPOSAL_ASYNC_OPERATIONS_DISABLED'),
  { op: 'GET /rebalance/proposals', code: 'PROPOSAL_INVALID_CURSOR', config: 'A', request: () => get('/rebalance/proposals?cursor=not-ours') },
  ...lifecycleGated('GET /rebalance/proposals', get('/rebalance/proposals')),
  { op: 'GET /rebalance/proposals/{proposal_id}', code: 'PROPOSAL_NOT_FOUND', config: 'A', request: () => get('/rebalance/proposals/pp_missing') },
  ...lifecycleGated('GET /rebalance/proposals/{proposal_id}', get('/rebalance/proposals/pp_missing')),
  { op: 'GET /rebalance/proposals/{proposal_id}/versions/{version_no}', code: 'PROPOSAL_VERSION_NOT_FOUND', config: 'A', request: async (f) => get(`/rebalance/proposals/${await f.proposal()}/versions/9`) },
  ...lifecycleGated('GET /rebalance/proposals/{proposal_id}/versions/{version_no}', get('/rebalance/proposals/pp_missing/versions/1')),
  ...((): Row[] => {
    const op = 'POST /rebalance/proposals/{proposal_id}/versions/{version_no}/reproduce';
    const reproduce = (id: string, versionNo = 1): Request => ({ method: 'POST', url: `/rebalance/proposals/${id}/versions/${versionNo}/reproduce` });
    return [
      { op, code: 'PROPOSAL_NOT_FOUND', config: 'A', request: () => reproduce('pp_missing') },
      { op, code: 'PROPOSAL_VERSION_NOT_FOUND', config: 'A', request: async (f) => reproduce(await f.proposal(), 9) },
      ...lifecycleGated(op, reproduce('pp_missing'), 'PROPOSAL_SUPPORT_APIS_DISABLED'),
    ];
  })(),
  ...((): Row[] => {
    const op = 'POST /rebalance/proposals/{proposal_id}/versions';
    return [
      { op, code: 'PROPOSAL_NOT_FOUND', config: 'A', request: () => version('pp_missing') },
      { op, code: 'PROPOSAL_TERMINAL_STATE', config: 'A', request: async (f) => {
        const id = await f.proposal();
        await f.move(id, 'CANCELLED', 'DRAFT');
        return version(id);
      } },
      { op, code: 'PROPOSAL_SIMULATION_DISABLED', config: 'A', request: async (f) => version(await f.proposal(), { ...CREATE, simulate_request: DISABLED_SIMULATION }) },
      { op, code: 'PORTFOLIO_CONTEXT_MISMATCH', config: 'A', request: async (f) =>
        version(await f.proposal(), { ...CREATE, simulate_request: { ...PROPOSAL_REQUEST_EXAMPLE, portfolio_snapshot: { ...PROPOSAL_REQUEST_EXAMPLE.portfolio_snapshot, portfolio_id: 'pf_other' } } }) },
      { op, code: 'IDEMPOTENCY_KEY_CONFLICT', config: 'A', request: async (f) => {
        const id = await f.proposal();
        const key = unique('contract-version');
        await f.ok(version(id, CREATE, { 'idempotency-key': key }));
        return version(id, { ...CREATE, created_by: 'someone_else' }, { 'idempotency-key': key });
      } },
      ...lifecycleGated(op, version('pp_missing')),
    ];
  })(),
  { op: 'POST /rebalance/proposals/{proposal_id}/versions/async', code: 'IDEMPOTENCY_KEY_CONFLICT', config: 'A', request: async (f) => {
    const id = await f.proposal();
    const key = unique('contract-async-version');
    const url = `/rebalance/proposals/${id}/versions/async`;
    await f.ok({ ...version(id, CREATE, { 'idempotency-key': key }), url });
    return { ...version(id, { ...CREATE, created_by: 'someone_else' }, { 'idempotency-key': key }), url };
  } },
  ...lifecycleGated('POST /rebalance/proposals/{proposal_id}/versions/async', { ...version('pp_missing'), url: '/rebalance/proposals/pp_missing/versions/async' }, 'PROPOSAL_ASYNC_OPERATIONS_DISABLED'),
  ...(['transitions', 'approvals'] as const).flatMap((kind): Row[] => {
    const op = `POST /rebalance/proposals/{proposal_id}/${kind}`;
    const move = kind === 'transitions' ? (id: string, body: Json = {}) => transition(id, { event_type: 'SUBMITTED_FOR_RISK_REVIEW', ...body }) : (id: string, body: Json = {}) => approval(id, body);
    const from = kind === 'transitions' ? 'DRAFT' : 'RISK_REVIEW';
    const atStart = async (f: Fixtures): Promise<string> => {
      const id = await f.proposal();
      if (kind === 'approvals') await f.move(id, 'SUBMITTED_FOR_RISK_REVIEW', 'DRAFT');
      return id;
    };
    return [
      { op, code: 'PROPOSAL_NOT_FOUND', config: 'A', request: () => move('pp_missing', { expected_state: from }) },
      { op, code: 'STATE_CONFLICT', config: 'A', request: async (f) => move(await atStart(f), { expected_state: 'EXECUTED' }) },
      { op, code: 'STATE_CONFLICT', detail: 'STATE_CONFLICT: expected_state is required', config: 'A', request: async (f) => move(await atStart(f)) },
      { op, code: 'PROPOSAL_RELATED_VERSION_INVALID', config: 'A', request: async (f) => move(await atStart(f), { expected_state: from, related_version_no: 7 }) },
      kind === 'transitions'
        ? { op, code: 'INVALID_TRANSITION', config: 'A', request: async (f) => transition(await f.proposal(), { event_type: 'EXECUTED', expected_state: 'DRAFT' }) }
        : { op, code: 'INVALID_APPROVAL_STATE', config: 'A', request: async (f) => approval(await f.proposal(), { expected_state: 'DRAFT' }) },
      ...lifecycleGated(op, move('pp_missing', { expected_state: from })),
    ];
  }),
  { op: 'POST /rebalance/proposals/{proposal_id}/transitions', code: 'PROPOSAL_GATE_BLOCKED', config: 'A', request: async (f) => {
    const id = await f.proposal(dpmBlockedProposal());
    await f.move(id, 'SUBMITTED_FOR_RISK_REVIEW', 'DRAFT');
    await f.move(id, 'RISK_APPROVED', 'RISK_REVIEW');
    await f.move(id, 'CLIENT_CONSENT_RECORDED', 'AWAITING_CLIENT_CONSENT');
    return transition(id, { event_type: 'EXECUTED', expected_state: 'EXECUTION_READY' });
  } },
];

/** The example proposal with a price missing: its gate is BLOCKED. */
function dpmBlockedProposal(): unknown {
  return { ...PROPOSAL_REQUEST_EXAMPLE, market_data_snapshot: { prices: [{ instrument_id: 'SG_BOND_ETF', price: '100', currency: 'SGD' }], fx_rates: [] } };
}

const PROPOSAL_SUPPORT: Row[] = [
  ...['workflow-events', 'approvals', 'refused-attempts', 'lineage'].flatMap((route): Row[] => [
    { op: `GET /rebalance/proposals/{proposal_id}/${route}`, code: 'PROPOSAL_NOT_FOUND', config: 'A', request: () => get(`/rebalance/proposals/pp_missing/${route}`) },
    ...lifecycleGated(`GET /rebalance/proposals/{proposal_id}/${route}`, get(`/rebalance/proposals/pp_missing/${route}`), 'PROPOSAL_SUPPORT_APIS_DISABLED'),
  ]),
  { op: 'GET /rebalance/proposals/idempotency/{idempotency_key}', code: 'PROPOSAL_IDEMPOTENCY_KEY_NOT_FOUND', config: 'A', request: () => get('/rebalance/proposals/idempotency/key-missing') },
  ...lifecycleGated('GET /rebalance/proposals/idempotency/{idempotency_key}', get('/rebalance/proposals/idempotency/key-missing'), 'PROPOSAL_SUPPORT_APIS_DISABLED'),
  ...['/rebalance/proposals/operations/{operation_id}', '/rebalance/proposals/operations/by-correlation/{correlation_id}'].flatMap((path): Row[] => {
    const url = path.replace('{operation_id}', 'pop_missing').replace('{correlation_id}', 'corr-missing');
    return [{ op: `GET ${path}`, code: 'PROPOSAL_ASYNC_OPERATION_NOT_FOUND', config: 'A', request: () => get(url) }, ...lifecycleGated(`GET ${path}`, get(url), 'PROPOSAL_ASYNC_OPERATIONS_DISABLED')];
  }),
];

const GROUPS: Record<string, Row[]> = {
  'DPM simulate, analyze and run lookups': DPM_RUNS,
  'DPM supportability': DPM_SUPPORT,
  'DPM async operations': DPM_OPERATIONS,
  'DPM run workflow': DPM_WORKFLOW,
  'policy packs': POLICY_PACKS,
  'advisory simulation': ADVISORY_SIMULATION,
  'proposal lifecycle': PROPOSAL_LIFECYCLE,
  'proposal support': PROPOSAL_SUPPORT,
};

/**
 * Codes a route documents that only a race produces (two writers on one proposal): they are
 * proven by test/http/proposal-lifecycle.test.ts ("exactly one of 20 concurrent transitions
 * wins", "replays a new version retried with the same key") rather than by a row here.
 */
const RACES: Readonly<Record<string, readonly ReasonCode[]>> = {
  'POST /rebalance/proposals/{proposal_id}/transitions': ['PROPOSAL_VERSION_CONFLICT'],
  'POST /rebalance/proposals/{proposal_id}/approvals': ['PROPOSAL_VERSION_CONFLICT'],
  'POST /rebalance/proposals/{proposal_id}/versions': ['PROPOSAL_VERSION_CONFLICT'],
  // Rows written before runs and versions kept their request: a database from an earlier release,
  // which test/http/dpm-reproduce.test.ts and test/http/proposal-reproduce.test.ts build.
  'POST /rebalance/runs/{rebalance_run_id}/reproduce': ['DPM_RUN_REQUEST_NOT_STORED'],
  'POST /rebalance/proposals/{proposal_id}/versions/{version_no}/reproduce': ['PROPOSAL_VERSION_REQUEST_NOT_STORED'],
};

// ── Running them ────────────────────────────────────────────────────────────────────────────

interface Document {
  components: { examples: Record<string, { value: Json }> };
  paths: Record<string, Record<string, { security?: unknown[]; requestBody?: { content: Record<string, { examples?: Record<string, { value: unknown }> }> }; parameters?: { name: string; in: string; required: boolean; example?: unknown }[]; responses: Record<string, { content?: Record<string, { examples?: Record<string, { value?: Json; $ref?: string }> }> }> }>>;
}

function envFor(backend: Backend, config: Config, dsn: string): Record<string, string> {
  const stores: Record<string, string> =
    backend === 'POSTGRES'
      ? { DPM_SUPPORTABILITY_STORE_BACKEND: 'POSTGRES', DPM_SUPPORTABILITY_POSTGRES_DSN: dsn, PROPOSAL_STORE_BACKEND: 'POSTGRES', PROPOSAL_POSTGRES_DSN: dsn, DPM_POLICY_PACK_CATALOG_BACKEND: 'POSTGRES' }
      : { DPM_POLICY_PACK_CATALOG_BACKEND: 'SQLITE', DPM_POLICY_PACK_SQLITE_PATH: join(mkdtempSync(join(tmpdir(), 'contract-')), 'packs.db') };
  const on = { DPM_WORKFLOW_ENABLED: 'true', DPM_LINEAGE_APIS_ENABLED: 'true', DPM_IDEMPOTENCY_HISTORY_APIS_ENABLED: 'true', DPM_POLICY_PACKS_ENABLED: 'true', DPM_POLICY_PACK_ADMIN_APIS_ENABLED: 'true', DPM_POLICY_PACK_ADMIN_TOKEN: TOKEN, DPM_POLICY_PACK_CACHE_TTL_MS: '0' };
  switch (config) {
    case 'A':
    case 'E':
      return { ...stores, ...on };
    case 'B':
      return {
        ...stores,
        DPM_ASYNC_OPERATIONS_ENABLED: 'false',
        DPM_ARTIFACTS_ENABLED: 'false',
        DPM_SUPPORTABILITY_SUMMARY_APIS_ENABLED: 'false',
        DPM_SUPPORT_BUNDLE_APIS_ENABLED: 'false',
        PROPOSAL_SUPPORT_APIS_ENABLED: 'false',
        PROPOSAL_ASYNC_OPERATIONS_ENABLED: 'false',
      };
    case 'C':
      return {
        ...stores,
        DPM_POLICY_PACK_CATALOG_BACKEND: 'ENV_JSON',
        DPM_SUPPORT_APIS_ENABLED: 'false',
        DPM_ASYNC_MANUAL_EXECUTION_ENABLED: 'false',
        PROPOSAL_WORKFLOW_LIFECYCLE_ENABLED: 'false',
        DPM_POLICY_PACK_ADMIN_APIS_ENABLED: 'true',
        DPM_POLICY_PACK_ADMIN_TOKEN: TOKEN,
      };
  }
}

const tested = new Map<string, Set<string>>();
const note = (op: string, code: string): void => void tested.set(op, (tested.get(op) ?? new Set()).add(code));

for (const backend of ['IN_MEMORY', 'POSTGRES'] as const) {
  describe(`error contract on ${backend}`, () => {
    const apps = new Map<Config, App>();
    let database: TestDatabase | undefined;
    let proxy: TcpProxy | undefined;
    let doc: Document;

    beforeAll(async () => {
      database = backend === 'POSTGRES' ? await freshDatabase() : undefined;
      for (const config of ['A', 'B', 'C'] as const) apps.set(config, await startApp(envFor(backend, config, database?.dsn ?? '')));
      const a = new Fixtures(apps.get('A') as App);
      await a.ok({ method: 'PUT', url: '/rebalance/policies/catalog/pack_a', payload: PACK, headers: ADMIN });
      if (database) {
        proxy = await startTcpProxy(database.dsn);
        apps.set('E', await startApp(envFor(backend, 'E', proxy.url)));
        proxy.cut();
      }
      doc = (await a.app.server.inject({ url: '/openapi.json' })).json<Document>();
    }, 120_000);

    afterAll(async () => {
      proxy?.restore();
      for (const app of apps.values()) await app.close();
      await proxy?.close();
      await database?.drop();
    });

    for (const [group, rows] of Object.entries(GROUPS)) {
      const runnable = rows.filter((row) => backend === 'POSTGRES' || row.config !== 'E');
      it(`${group}: status, exact detail, code and content type of every error`, async () => {
        for (const row of runnable) {
          const app = apps.get(row.config) as App;
          const request = await row.request(new Fixtures(apps.get('A') as App));
          const response = await new Fixtures(app).send(request);
          const entry = REASON_CODES[row.code];
          const label = `${row.op} → ${row.code} (${row.config})`;
          expect({ label, status: response.status, detail: response.body['detail'], code: response.body['code'] }, JSON.stringify(response.body).slice(0, 400)).toEqual({
            label,
            status: entry.status,
            detail: row.detail ?? entry.detail?.[0] ?? row.code,
            code: row.code,
          });
          expect(response.headers['content-type'], label).toBe('application/json; charset=utf-8');
          if (entry.retryAfter !== undefined) expect(response.headers['retry-after'], label).toBe(String(entry.retryAfter));
          note(row.op, row.code);
        }
      }, 180_000);
    }

    it('validation examples of the document are what the server answers; a non-JSON body is 415', async () => {
      const app = apps.get('A') as App;
      for (const [path, methods] of Object.entries(doc.paths)) {
        for (const [method, op] of Object.entries(methods)) {
          const key = `${method.toUpperCase()} ${path}`;
          const params = op.parameters ?? [];
          const url = path.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(String(params.find((p) => p.name === name)?.example ?? 'x')));
          const body = Object.values(op.requestBody?.content['application/json']?.examples ?? {})[0]?.value;
          const required: Record<string, string> = {
            ...Object.fromEntries(params.filter((p) => p.in === 'header' && p.required).map((p) => [p.name.toLowerCase(), unique('contract-key')])),
            ...((op.security ?? []).length > 0 ? ADMIN : {}),
          };
          const examples = op.responses['422']?.content?.['application/json']?.examples ?? {};
          for (const [name, example] of Object.entries(examples)) {
            const detail = example.value?.['detail'];
            if (!Array.isArray(detail)) continue;
            const item = detail[0] as { loc: unknown[]; input?: unknown };
            const headers = { ...required };
            let target = url;
            let payload: unknown = body;
            if (name.startsWith('missing_') && item.loc[0] === 'header') delete headers[String(item.loc[1]).toLowerCase()];
            if (name === 'missing_field') payload = {};
            if (name === 'malformed_json') {
              headers['content-type'] = 'application/json';
              payload = '{';
            }
            if (name === 'limit_too_small') target = `${url}?limit=0`;
            if (name.endsWith('_not_boolean')) target = `${url}?${String(item.loc[1])}=maybe`;
            if (name.endsWith('_malformed')) target = path.replace(`{${String(item.loc[1])}}`, encodeURIComponent(INVALID_PATH_VALUE)).replace(/\{[^}]+\}/g, 'x');
            // The input boundary's examples: the example's input, where its loc says.
            if (/_(too_long|nul|no_such_date)$/.test(name)) {
              const [where, field] = item.loc.map(String) as [string, string];
              const value = String(item.input);
              if (where === 'path') target = path.replace(/\{([^}]+)\}/g, (_m, n: string) => encodeURIComponent(n === field ? value : String(params.find((p) => p.name === n)?.example ?? 'x')));
              if (where === 'query') target = `${url}?${field}=${encodeURIComponent(value)}`;
              if (where === 'header') headers[field.toLowerCase()] = value;
            }
            const response = await new Fixtures(app).send({ method: method.toUpperCase() as 'POST', url: target, headers, ...(payload === undefined ? {} : { payload }) });
            expect(response.status, `${key} ${name}`).toBe(422);
            expect(response.body['code'], `${key} ${name}`).toBe('VALIDATION_ERROR');
            expect(response.body['detail'], `${key} ${name}: ${JSON.stringify(response.body['detail']).slice(0, 300)}`).toContainEqual(item);
            note(key, 'VALIDATION_ERROR');
          }
          if (op.requestBody) {
            const response = await new Fixtures(app).send({ method: method.toUpperCase() as 'POST', url, payload: 'text', headers: { ...required, 'content-type': 'text/plain' } });
            expect({ key, status: response.status, detail: response.body['detail'] }).toEqual({ key, status: 415, detail: 'UNSUPPORTED_MEDIA_TYPE' });
            note(key, 'UNSUPPORTED_MEDIA_TYPE');
          }
        }
      }
    }, 120_000);

    if (backend === 'POSTGRES') {
      it('every route documents exactly the codes its rows produce (races aside)', () => {
        for (const [path, methods] of Object.entries(doc.paths)) {
          for (const [method, op] of Object.entries(methods)) {
            const key = `${method.toUpperCase()} ${path}`;
            const documented = new Set<string>();
            for (const [status, response] of Object.entries(op.responses)) {
              if (status === '500') continue;
              for (const reference of Object.values(response.content?.['application/json']?.examples ?? {})) {
                const example = reference.$ref ? doc.components.examples[reference.$ref.split('/').at(-1) ?? ''] : reference;
                const code = example?.value?.['code'];
                if (typeof code === 'string' && status.match(/^[45]/)) documented.add(code);
              }
            }
            const produced = new Set([...(tested.get(key) ?? []), ...(RACES[key] ?? [])]);
            expect([key, [...documented].sort()]).toEqual([key, [...produced].sort()]);
          }
        }
      });
    }
  });
}
