/**
 * Every route's permission with API_AUTH_MODE=JWT (docs/security.md#permissions), one row per
 * route: without a token it is 401 AUTH_TOKEN_MISSING with the Bearer challenge; with a valid token
 * whose roles do not grant the route's permission it is 403 AUTH_PERMISSION_DENIED naming it; with
 * a token of the first default role that grants it, the route does its work. Tokens are signed in
 * the test and their keys served by a local JWKS endpoint. A last check holds the table and the
 * OpenAPI document together: every protected operation has its row, and the open ones (health,
 * metrics) answer without a token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app/app.ts';
import { DEFAULT_ROLE_PERMISSIONS, DEFAULT_ROLES, permissionsOf, satisfies, type Permission } from '../../src/domain/access/permissions.ts';
import { PROPOSAL_REQUEST_EXAMPLE } from '../../src/http/routes/proposals/simulation.ts';
import { dpmVector, startApp, WHAT_IF_BATCH } from '../support/dpm-api.ts';
import { startIdentityProvider, type Person, type TestIdentityProvider } from '../support/identity-provider.ts';

type Json = Record<string, unknown>;
type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

interface Request {
  readonly method: Method;
  readonly url: string;
  readonly payload?: unknown;
  readonly headers?: Record<string, string>;
}

interface Row {
  /** `METHOD /path/{template}` as in the OpenAPI document. */
  readonly op: string;
  /** The request the right role sends; `who` is the caller, for the actor fields of the body. */
  readonly request: (f: Fixtures, who: string) => Request;
  readonly status: number;
}

const READY = dpmVector('scenario_01_cash_inflow').request;
const REVIEW = dpmVector('scenario_05_constraint_fail').request;
const person = (sub: string, ...roles: string[]): Person => ({ sub, roles });

/** Who builds the fixtures: other subjects than the callers of the rows (no four-eyes refusal in the way). */
const BUILDERS = {
  pm: person('pm-fixture', 'portfolio_manager'),
  adviser: person('adviser-fixture', 'adviser'),
  risk: person('risk-fixture', 'risk_officer'),
  operations: person('ops-fixture', 'operations'),
  admin: person('admin-fixture', 'admin'),
};

class Fixtures {
  runId = '';
  runCorrelation = '';
  runKey = '';
  runHash = '';
  review: { id: string; correlation: string; key: string }[] = [];
  executedOperation = '';
  pendingOperation = '';
  operationCorrelation = '';
  proposal = '';
  proposalKey = '';
  draft = '';
  awaitingConsent = '';
  proposalOperation = '';
  proposalOperationCorrelation = '';

  constructor(
    readonly app: App,
    readonly idp: TestIdentityProvider,
  ) {}

  async send(who: Person | null, request: Request): Promise<{ status: number; body: Json; headers: Record<string, unknown> }> {
    const authorization = who ? { authorization: await this.idp.bearer(who) } : {};
    const response = await this.app.server.inject({
      method: request.method,
      url: request.url,
      headers: { ...request.headers, ...authorization },
      ...(request.payload === undefined ? {} : { payload: request.payload as object }),
    });
    return { status: response.statusCode, body: response.body === '' ? {} : response.json<Json>(), headers: response.headers };
  }

  async ok(who: Person, request: Request): Promise<Json> {
    const response = await this.send(who, request);
    expect(response.status, `${request.method} ${request.url}: ${JSON.stringify(response.body).slice(0, 300)}`).toBeLessThan(300);
    return response.body;
  }

  async simulate(payload: unknown, key: string): Promise<Json> {
    return this.ok(BUILDERS.pm, { method: 'POST', url: '/rebalance/simulate', payload, headers: { 'idempotency-key': key, 'x-correlation-id': `corr-${key}` } });
  }

  async build(): Promise<void> {
    this.runKey = 'perm-ready';
    this.runCorrelation = `corr-${this.runKey}`;
    const run = await this.simulate(READY, this.runKey);
    this.runId = String(run['rebalance_run_id']);
    this.runHash = String((run['lineage'] as Json)['request_hash']);
    for (const n of [1, 2, 3]) {
      const review = await this.simulate(REVIEW, `perm-review-${n}`);
      this.review.push({ id: String(review['rebalance_run_id']), correlation: `corr-perm-review-${n}`, key: `perm-review-${n}` });
    }

    const accepted = await this.ok(BUILDERS.pm, { method: 'POST', url: '/rebalance/analyze/async', payload: WHAT_IF_BATCH, headers: { 'x-correlation-id': 'corr-perm-operation' } });
    this.executedOperation = String(accepted['operation_id']);
    this.operationCorrelation = 'corr-perm-operation';
    await this.ok(BUILDERS.operations, { method: 'POST', url: `/rebalance/operations/${this.executedOperation}/execute` });
    this.pendingOperation = String((await this.ok(BUILDERS.pm, { method: 'POST', url: '/rebalance/analyze/async', payload: WHAT_IF_BATCH }))['operation_id']);

    const create = async (key: string): Promise<string> => {
      const created = await this.ok(BUILDERS.adviser, { method: 'POST', url: '/rebalance/proposals', payload: { created_by: BUILDERS.adviser.sub, simulate_request: PROPOSAL_REQUEST_EXAMPLE }, headers: { 'idempotency-key': key } });
      return String((created['proposal'] as Json)['proposal_id']);
    };
    this.proposalKey = 'perm-proposal';
    this.proposal = await create(this.proposalKey);
    this.draft = await create('perm-draft');
    this.awaitingConsent = await create('perm-consent');
    await this.ok(BUILDERS.adviser, transition(this.awaitingConsent, BUILDERS.adviser.sub, 'SUBMITTED_FOR_RISK_REVIEW', 'DRAFT'));
    await this.ok(BUILDERS.risk, approval(this.awaitingConsent, BUILDERS.risk.sub, 'RISK', 'RISK_REVIEW'));
    const operation = await this.ok(BUILDERS.adviser, {
      method: 'POST',
      url: '/rebalance/proposals/async',
      payload: { created_by: BUILDERS.adviser.sub, simulate_request: PROPOSAL_REQUEST_EXAMPLE },
      headers: { 'idempotency-key': 'perm-async', 'x-correlation-id': 'corr-perm-async' },
    });
    this.proposalOperation = String(operation['operation_id']);
    this.proposalOperationCorrelation = 'corr-perm-async';

    await this.ok(BUILDERS.admin, { method: 'PUT', url: '/rebalance/policies/catalog/pack_a', payload: { version: '1' } });
    await this.ok(BUILDERS.admin, { method: 'PUT', url: '/rebalance/policies/catalog/pack_gone', payload: { version: '1' } });
  }
}

const get = (url: string): Request => ({ method: 'GET', url });
const post = (url: string, payload?: unknown, headers?: Record<string, string>): Request => ({ method: 'POST', url, ...(payload === undefined ? {} : { payload }), ...(headers ? { headers } : {}) });
const transition = (id: string, actor: string, event: string, from: string): Request => post(`/rebalance/proposals/${id}/transitions`, { event_type: event, actor_id: actor, expected_state: from });
const approval = (id: string, actor: string, type: string, from: string): Request => post(`/rebalance/proposals/${id}/approvals`, { approval_type: type, approved: true, actor_id: actor, expected_state: from });
const APPROVE_RUN = (actor: string) => ({ action: 'APPROVE', reason_code: 'REVIEW_APPROVED', actor_id: actor });

const RUN_ADDRESSES = [
  { path: '/rebalance/runs/{rebalance_run_id}', url: (r: { id: string }) => `/rebalance/runs/${r.id}` },
  { path: '/rebalance/runs/by-correlation/{correlation_id}', url: (r: { correlation: string }) => `/rebalance/runs/by-correlation/${r.correlation}` },
  { path: '/rebalance/runs/idempotency/{idempotency_key}', url: (r: { key: string }) => `/rebalance/runs/idempotency/${r.key}` },
];
const ready = (f: Fixtures) => ({ id: f.runId, correlation: f.runCorrelation, key: f.runKey });

let keys = 0;
const key = (prefix: string): string => `${prefix}-${(keys += 1)}`;

const ROWS: Row[] = [
  { op: 'POST /rebalance/simulate', status: 200, request: () => post('/rebalance/simulate', READY, { 'idempotency-key': key('perm-sim') }) },
  ...RUN_ADDRESSES.map((a): Row => ({ op: `GET ${a.path}`, status: 200, request: (f) => get(a.url(ready(f))) })),
  { op: 'GET /rebalance/runs/by-request-hash/{request_hash}', status: 200, request: (f) => get(`/rebalance/runs/by-request-hash/${encodeURIComponent(f.runHash)}`) },
  { op: 'POST /rebalance/proposals/simulate', status: 200, request: () => post('/rebalance/proposals/simulate', PROPOSAL_REQUEST_EXAMPLE, { 'idempotency-key': key('perm-psim') }) },
  { op: 'POST /rebalance/proposals/artifact', status: 200, request: () => post('/rebalance/proposals/artifact', PROPOSAL_REQUEST_EXAMPLE, { 'idempotency-key': key('perm-part') }) },
  { op: 'POST /rebalance/runs/{rebalance_run_id}/reproduce', status: 200, request: (f) => post(`/rebalance/runs/${f.runId}/reproduce`) },
  { op: 'POST /rebalance/analyze', status: 200, request: () => post('/rebalance/analyze', WHAT_IF_BATCH) },
  { op: 'POST /rebalance/analyze/async', status: 202, request: () => post('/rebalance/analyze/async', WHAT_IF_BATCH) },
  { op: 'GET /rebalance/operations', status: 200, request: () => get('/rebalance/operations') },
  { op: 'GET /rebalance/operations/by-correlation/{correlation_id}', status: 200, request: (f) => get(`/rebalance/operations/by-correlation/${f.operationCorrelation}`) },
  { op: 'GET /rebalance/operations/{operation_id}', status: 200, request: (f) => get(`/rebalance/operations/${f.executedOperation}`) },
  { op: 'POST /rebalance/operations/{operation_id}/execute', status: 200, request: (f) => post(`/rebalance/operations/${f.pendingOperation}/execute`) },
  { op: 'GET /rebalance/runs', status: 200, request: () => get('/rebalance/runs') },
  { op: 'GET /rebalance/runs/{rebalance_run_id}/artifact', status: 200, request: (f) => get(`/rebalance/runs/${f.runId}/artifact`) },
  { op: 'GET /rebalance/lineage/{entity_id}', status: 200, request: (f) => get(`/rebalance/lineage/${f.runId}`) },
  { op: 'GET /rebalance/idempotency/{idempotency_key}/history', status: 200, request: (f) => get(`/rebalance/idempotency/${f.runKey}/history`) },
  { op: 'GET /rebalance/supportability/summary', status: 200, request: () => get('/rebalance/supportability/summary') },
  ...RUN_ADDRESSES.map((a): Row => ({ op: `GET ${a.path}/support-bundle`, status: 200, request: (f) => get(`${a.url(ready(f))}/support-bundle`) })),
  { op: 'GET /rebalance/runs/by-operation/{operation_id}/support-bundle', status: 200, request: (f) => get(`/rebalance/runs/by-operation/${f.executedOperation}/support-bundle`) },
  ...RUN_ADDRESSES.flatMap((a, i): Row[] => [
    ...['/workflow', '/workflow/history', '/workflow/refused-attempts'].map((suffix): Row => ({ op: `GET ${a.path}${suffix}`, status: 200, request: (f) => get(`${a.url(f.review[i] ?? ready(f))}${suffix}`) })),
    { op: `POST ${a.path}/workflow/actions`, status: 200, request: (f, who) => post(`${a.url(f.review[i] ?? ready(f))}/workflow/actions`, APPROVE_RUN(who)) },
  ]),
  { op: 'GET /rebalance/workflow/decisions', status: 200, request: () => get('/rebalance/workflow/decisions') },
  { op: 'GET /rebalance/workflow/decisions/by-correlation/{correlation_id}', status: 200, request: (f) => get(`/rebalance/workflow/decisions/by-correlation/${f.review[0]?.correlation}`) },
  { op: 'GET /rebalance/policies/effective', status: 200, request: () => get('/rebalance/policies/effective') },
  { op: 'GET /rebalance/policies/catalog', status: 200, request: () => get('/rebalance/policies/catalog') },
  { op: 'GET /rebalance/policies/catalog/{policy_pack_id}', status: 200, request: () => get('/rebalance/policies/catalog/pack_a') },
  { op: 'PUT /rebalance/policies/catalog/{policy_pack_id}', status: 200, request: (_f, who) => ({ method: 'PUT', url: '/rebalance/policies/catalog/pack_b', payload: { version: '2' }, headers: { 'x-actor': who } }) },
  { op: 'DELETE /rebalance/policies/catalog/{policy_pack_id}', status: 204, request: () => ({ method: 'DELETE', url: '/rebalance/policies/catalog/pack_gone' }) },
  { op: 'POST /rebalance/proposals', status: 200, request: (_f, who) => post('/rebalance/proposals', { created_by: who, simulate_request: PROPOSAL_REQUEST_EXAMPLE }, { 'idempotency-key': key('perm-create') }) },
  { op: 'GET /rebalance/proposals', status: 200, request: () => get('/rebalance/proposals') },
  { op: 'POST /rebalance/proposals/async', status: 202, request: (_f, who) => post('/rebalance/proposals/async', { created_by: who, simulate_request: PROPOSAL_REQUEST_EXAMPLE }, { 'idempotency-key': key('perm-acreate') }) },
  { op: 'GET /rebalance/proposals/{proposal_id}', status: 200, request: (f) => get(`/rebalance/proposals/${f.proposal}`) },
  { op: 'GET /rebalance/proposals/{proposal_id}/versions/{version_no}', status: 200, request: (f) => get(`/rebalance/proposals/${f.proposal}/versions/1`) },
  { op: 'POST /rebalance/proposals/{proposal_id}/versions', status: 200, request: (f, who) => post(`/rebalance/proposals/${f.proposal}/versions`, { created_by: who, simulate_request: PROPOSAL_REQUEST_EXAMPLE }) },
  { op: 'POST /rebalance/proposals/{proposal_id}/versions/async', status: 202, request: (f, who) => post(`/rebalance/proposals/${f.proposal}/versions/async`, { created_by: who, simulate_request: PROPOSAL_REQUEST_EXAMPLE }) },
  { op: 'POST /rebalance/proposals/{proposal_id}/transitions', status: 200, request: (f, who) => transition(f.draft, who, 'SUBMITTED_FOR_RISK_REVIEW', 'DRAFT') },
  { op: 'POST /rebalance/proposals/{proposal_id}/approvals', status: 200, request: (f, who) => approval(f.awaitingConsent, who, 'CLIENT_CONSENT', 'AWAITING_CLIENT_CONSENT') },
  ...['approvals', 'workflow-events', 'refused-attempts', 'lineage'].map((route): Row => ({ op: `GET /rebalance/proposals/{proposal_id}/${route}`, status: 200, request: (f) => get(`/rebalance/proposals/${f.proposal}/${route}`) })),
  { op: 'GET /rebalance/proposals/supportability/config', status: 200, request: () => get('/rebalance/proposals/supportability/config') },
  { op: 'GET /rebalance/proposals/idempotency/{idempotency_key}', status: 200, request: (f) => get(`/rebalance/proposals/idempotency/${f.proposalKey}`) },
  { op: 'GET /rebalance/proposals/operations/{operation_id}', status: 200, request: (f) => get(`/rebalance/proposals/operations/${f.proposalOperation}`) },
  { op: 'GET /rebalance/proposals/operations/by-correlation/{correlation_id}', status: 200, request: (f) => get(`/rebalance/proposals/operations/by-correlation/${f.proposalOperationCorrelation}`) },
  { op: 'POST /rebalance/proposals/{proposal_id}/versions/{version_no}/reproduce', status: 200, request: (f) => post(`/rebalance/proposals/${f.proposal}/versions/1/reproduce`) },
];

/** The first default role that grants the requirement, and a role that does not (a default one if any lacks it, else one the table does not know). */
function rolesFor(required: readonly Permission[]): { right: string; wrong: string } {
  const grants = (role: string) => satisfies(permissionsOf([role], DEFAULT_ROLE_PERMISSIONS), required);
  const right = DEFAULT_ROLES.find(grants);
  if (!right) throw new Error(`No default role grants ${required.join(' or ')}.`);
  return { right, wrong: DEFAULT_ROLES.find((role) => !grants(role)) ?? 'auditor' };
}

interface Operation {
  readonly 'x-permissions'?: Permission[];
  readonly security: unknown[];
  readonly responses: Record<string, unknown>;
}

describe('route permissions with API_AUTH_MODE=JWT', () => {
  let idp: TestIdentityProvider;
  let app: App;
  let fixtures: Fixtures;
  let doc: { paths: Record<string, Record<string, Operation>>; components: { securitySchemes: Record<string, unknown> } };

  beforeAll(async () => {
    idp = await startIdentityProvider();
    app = await startApp({
      ...idp.env(),
      DPM_WORKFLOW_ENABLED: 'true',
      DPM_LINEAGE_APIS_ENABLED: 'true',
      DPM_IDEMPOTENCY_HISTORY_APIS_ENABLED: 'true',
      DPM_ASYNC_EXECUTION_MODE: 'ACCEPT_ONLY',
      DPM_POLICY_PACKS_ENABLED: 'true',
      DPM_POLICY_PACK_ADMIN_APIS_ENABLED: 'true',
      DPM_POLICY_PACK_CATALOG_BACKEND: 'SQLITE',
      DPM_POLICY_PACK_SQLITE_PATH: ':memory:',
      DPM_POLICY_PACK_CACHE_TTL_MS: '0',
    });
    fixtures = new Fixtures(app, idp);
    await fixtures.build();
    doc = (await app.server.inject({ url: '/openapi.json' })).json();
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await idp?.close();
  });

  it.each(ROWS.map((row) => [row.op, row] as const))('%s: no token 401, wrong role 403, right role succeeds', async (op, row) => {
    const [method, path] = op.split(' ') as [string, string];
    const required = doc.paths[path]?.[method.toLowerCase()]?.['x-permissions'];
    expect(required, `${op} is not in the document with its permissions`).toBeDefined();
    const { right, wrong } = rolesFor(required ?? []);
    const caller = person(`${right}-caller`, right);
    const request = row.request(fixtures, caller.sub);

    const anonymous = await fixtures.send(null, request);
    expect({ status: anonymous.status, code: anonymous.body['code'] }).toEqual({ status: 401, code: 'AUTH_TOKEN_MISSING' });
    expect(anonymous.headers['www-authenticate']).toBe('Bearer realm="dpm-rebalance", error="invalid_token"');

    const refused = await fixtures.send(person(`${wrong}-caller`, wrong), request);
    expect({ status: refused.status, code: refused.body['code'], detail: refused.body['detail'] }).toEqual({
      status: 403,
      code: 'AUTH_PERMISSION_DENIED',
      detail: `AUTH_PERMISSION_DENIED:${(required ?? []).join('|')}`,
    });
    expect(refused.headers['www-authenticate']).toBe('Bearer realm="dpm-rebalance", error="insufficient_scope"');

    const allowed = await fixtures.send(caller, request);
    expect(allowed.status, `${op} as ${right}: ${JSON.stringify(allowed.body).slice(0, 300)}`).toBe(row.status);
  });

  it('the table and the document agree: every protected operation has its row, documents the bearer scheme and its 401/403; the rest is open', async () => {
    expect(Object.keys(doc.components.securitySchemes)).toEqual(['bearerAuth']);
    const protectedOps: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const op = `${method.toUpperCase()} ${path}`;
        if (operation['x-permissions']) {
          protectedOps.push(op);
          expect(operation.security, op).toEqual([{ bearerAuth: [] }]);
          expect(Object.keys(operation.responses), op).toEqual(expect.arrayContaining(['401', '403', '503']));
        } else {
          expect(operation.security, op).toEqual([]);
          expect((await app.server.inject({ method: method.toUpperCase() as Method, url: path })).statusCode, op).toBeLessThan(500);
        }
      }
    }
    expect(protectedOps.sort()).toEqual(ROWS.map((row) => row.op).sort());
    expect(Object.keys(doc.paths).filter((path) => !Object.values(doc.paths[path] ?? {}).some((o) => o['x-permissions']))).toEqual(['/metrics', '/health/live', '/health/ready']);
  });
});
