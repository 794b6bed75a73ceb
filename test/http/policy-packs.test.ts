import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ReasonError } from '../../src/config/reason-codes.ts';
import { policyPackRoutes, type PolicyPackRouteSettings } from '../../src/http/routes/policy-packs/catalog.ts';
import { buildServer } from '../../src/http/server.ts';
import { DocumentedResponses } from '../support/openapi-contract.ts';
import { openPolicyPackCatalog } from '../../src/stores/policy-pack-catalog/open.ts';
import type { PolicyPackCatalog } from '../../src/stores/policy-pack-catalog/port.ts';
import { PostgresPools } from '../../src/stores/postgres/pools.ts';

const TOKEN = 'test-admin-token-0123456789';
const SETTINGS: PolicyPackRouteSettings = {
  enabled: true,
  adminApisEnabled: true,
  adminToken: TOKEN,
  defaultPolicyPackId: 'global_pack',
  tenantResolutionEnabled: true,
  tenantPolicyPackMap: { acme: 'acme_pack' },
};
const auth = { authorization: `Bearer ${TOKEN}` };

const CATALOG_JSON = JSON.stringify({
  zeta: { version: '1' },
  alpha: { version: '3', turnover_policy: { max_turnover_pct: '0.2' } },
});

let app: FastifyInstance | undefined;
let closeCatalog: (() => Promise<void>) | undefined;
let logged: string[] = [];
let storeCalls = 0;

/** Counts every store call, to prove the admin gate runs before any store access. */
function counting(catalog: PolicyPackCatalog): PolicyPackCatalog {
  const count = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) => (...args: A): Promise<R> => {
    storeCalls += 1;
    return fn(...args);
  };
  return {
    backend: catalog.backend,
    writable: catalog.writable,
    snapshot: count(() => catalog.snapshot()),
    list: count(() => catalog.list()),
    get: count((id: string) => catalog.get(id)),
    upsert: count((d) => catalog.upsert(d)),
    delete: count((id: string) => catalog.delete(id)),
  };
}

async function start(options: { backend?: 'ENV_JSON' | 'SQLITE'; settings?: Partial<PolicyPackRouteSettings>; catalog?: PolicyPackCatalog } = {}) {
  logged = [];
  storeCalls = 0;
  let catalog = options.catalog;
  if (!catalog) {
    const opened = await openPolicyPackCatalog({
      backend: options.backend ?? 'SQLITE',
      catalogJson: CATALOG_JSON,
      sqlitePath: ':memory:',
      postgresDsn: '',
      pools: new PostgresPools({ poolMax: 1, statementTimeoutMs: 1000, connectTimeoutMs: 1000 }),
      migrate: true,
      cacheTtlMs: 1000,
    });
    closeCatalog = opened.close;
    catalog = opened.catalog;
  }
  const logger = pino({ level: 'info' }, { write: (line: string) => void logged.push(line) });
  app = await buildServer({ logger, routes: [policyPackRoutes({ catalog: counting(catalog), settings: { ...SETTINGS, ...options.settings } })] });
  contract = new DocumentedResponses().attach(app);
  return app;
}

let contract: DocumentedResponses | undefined;

afterEach(async () => {
  await app?.close();
  contract?.assertAllMatched();
  await closeCatalog?.();
  app = undefined;
  closeCatalog = undefined;
});

const BODY = {
  version: '2026.1',
  turnover_policy: { max_turnover_pct: '0.15' },
  constraint_policy: { group_constraints: { 'sector:TECH': { max_weight: 0.3 } } },
  idempotency_policy: { replay_enabled: false },
};

const EXPECTED_ITEM = {
  policy_pack_id: 'pack_1',
  version: '2026.1',
  turnover_policy: { max_turnover_pct: '0.15' },
  tax_policy: { enable_tax_awareness: null, max_realized_capital_gains: null },
  settlement_policy: { enable_settlement_awareness: null, settlement_horizon_days: null },
  constraint_policy: { single_position_max_weight: null, group_constraints: { 'sector:TECH': { max_weight: '0.3' } } },
  workflow_policy: { enable_workflow_gates: null, workflow_requires_client_consent: null, client_consent_already_obtained: null },
  idempotency_policy: { replay_enabled: false },
};

describe('GET /rebalance/policies/effective', () => {
  it('resolves REQUEST > TENANT_DEFAULT header > tenant map > GLOBAL_DEFAULT without touching the catalog', async () => {
    const server = await start();
    const effective = async (headers: Record<string, string>) => (await server.inject({ method: 'GET', url: '/rebalance/policies/effective', headers })).json();
    expect(await effective({ 'x-policy-pack-id': 'req', 'x-tenant-policy-pack-id': 'tdef', 'x-tenant-id': 'acme' })).toEqual({
      enabled: true,
      selected_policy_pack_id: 'req',
      source: 'REQUEST',
    });
    expect(await effective({ 'x-tenant-policy-pack-id': 'tdef', 'x-tenant-id': 'acme' })).toMatchObject({ selected_policy_pack_id: 'tdef', source: 'TENANT_DEFAULT' });
    expect(await effective({ 'x-tenant-id': 'acme' })).toMatchObject({ selected_policy_pack_id: 'acme_pack', source: 'TENANT_DEFAULT' });
    expect(await effective({})).toMatchObject({ selected_policy_pack_id: 'global_pack', source: 'GLOBAL_DEFAULT' });
    expect(storeCalls).toBe(0);
  });

  it('disabled packs → {enabled:false, selected:null, source:DISABLED}', async () => {
    const server = await start({ settings: { enabled: false } });
    const response = await server.inject({ method: 'GET', url: '/rebalance/policies/effective', headers: { 'x-policy-pack-id': 'req' } });
    expect(response.json()).toEqual({ enabled: false, selected_policy_pack_id: null, source: 'DISABLED' });
  });
});

describe('GET /rebalance/policies/catalog (ENV_JSON)', () => {
  it('lists items sorted with the selection context; unknown selection is not present', async () => {
    const server = await start({ backend: 'ENV_JSON' });
    const known = (await server.inject({ method: 'GET', url: '/rebalance/policies/catalog', headers: { 'x-policy-pack-id': 'alpha' } })).json();
    expect(known).toMatchObject({
      enabled: true,
      total: 2,
      selected_policy_pack_id: 'alpha',
      selected_policy_pack_present: true,
      selected_policy_pack_source: 'REQUEST',
    });
    expect(known.items.map((i: { policy_pack_id: string }) => i.policy_pack_id)).toEqual(['alpha', 'zeta']);
    expect(known.items[0].turnover_policy).toEqual({ max_turnover_pct: '0.2' });
    const unknown = (await server.inject({ method: 'GET', url: '/rebalance/policies/catalog', headers: { 'x-policy-pack-id': 'nope' } })).json();
    expect(unknown).toMatchObject({ total: 2, selected_policy_pack_present: false });
  });

  it('ENV_JSON write refused: 409 DPM_POLICY_PACK_CATALOG_READ_ONLY', async () => {
    const server = await start({ backend: 'ENV_JSON' });
    const put = await server.inject({ method: 'PUT', url: '/rebalance/policies/catalog/alpha', headers: auth, payload: BODY });
    expect(put.statusCode).toBe(409);
    expect(put.json()).toMatchObject({ detail: 'DPM_POLICY_PACK_CATALOG_READ_ONLY', code: 'DPM_POLICY_PACK_CATALOG_READ_ONLY' });
    const del = await server.inject({ method: 'DELETE', url: '/rebalance/policies/catalog/alpha', headers: auth });
    expect(del.statusCode).toBe(409);
  });
});

describe('admin APIs', () => {
  it('disabled → 404 DPM_POLICY_PACK_ADMIN_APIS_DISABLED before any store access (even with a bad body)', async () => {
    const server = await start({ settings: { adminApisEnabled: false } });
    const put = await server.inject({ method: 'PUT', url: '/rebalance/policies/catalog/p', headers: auth, payload: { nonsense: 1 } });
    expect(put.statusCode).toBe(404);
    expect(put.json()).toMatchObject({ detail: 'DPM_POLICY_PACK_ADMIN_APIS_DISABLED' });
    const del = await server.inject({ method: 'DELETE', url: '/rebalance/policies/catalog/p', headers: auth });
    expect(del.statusCode).toBe(404);
    expect(del.json()).toMatchObject({ detail: 'DPM_POLICY_PACK_ADMIN_APIS_DISABLED' });
    expect(storeCalls).toBe(0);
    // Reads stay ungated.
    expect((await server.inject({ method: 'GET', url: '/rebalance/policies/catalog' })).statusCode).toBe(200);
  });

  it('enabled without a token, with a wrong one, or with another scheme → 401, nothing stored', async () => {
    const server = await start();
    for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: `Basic ${TOKEN}` }, { authorization: `Bearer ${TOKEN}x` }]) {
      const response = await server.inject({ method: 'PUT', url: '/rebalance/policies/catalog/p', headers, payload: BODY });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ detail: 'DPM_POLICY_PACK_ADMIN_UNAUTHORIZED' });
      expect(response.headers['www-authenticate']).toContain('Bearer');
    }
    expect((await server.inject({ method: 'DELETE', url: '/rebalance/policies/catalog/p' })).statusCode).toBe(401);
    expect(storeCalls).toBe(0);
  });

  it('no configured token → every admin call is 401', async () => {
    const server = await start({ settings: { adminToken: '' } });
    const response = await server.inject({ method: 'PUT', url: '/rebalance/policies/catalog/p', headers: { authorization: 'Bearer ' }, payload: BODY });
    expect(response.statusCode).toBe(401);
  });

  it('with the right token: PUT → GET → catalog → DELETE 204 → GET 404 (SQLITE :memory:), audited without the token', async () => {
    const server = await start();
    const put = await server.inject({
      method: 'PUT',
      url: '/rebalance/policies/catalog/pack_1',
      headers: { ...auth, 'x-actor': 'ops.alice' },
      payload: { ...BODY, policy_pack_id: 'ignored' },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toEqual({ item: EXPECTED_ITEM });
    expect(put.headers['x-policy-pack-revision']).toBe('1');

    const again = await server.inject({ method: 'PUT', url: '/rebalance/policies/catalog/pack_1', headers: auth, payload: BODY });
    expect(again.statusCode).toBe(200);
    expect(again.headers['x-policy-pack-revision']).toBe('2');

    const get = await server.inject({ method: 'GET', url: '/rebalance/policies/catalog/pack_1' });
    expect(get.statusCode).toBe(200);
    expect(get.json()).toEqual(EXPECTED_ITEM);

    const catalog = await server.inject({ method: 'GET', url: '/rebalance/policies/catalog', headers: { 'x-policy-pack-id': 'pack_1' } });
    expect(catalog.json()).toEqual({
      enabled: true,
      total: 1,
      selected_policy_pack_id: 'pack_1',
      selected_policy_pack_present: true,
      selected_policy_pack_source: 'REQUEST',
      items: [EXPECTED_ITEM],
    });

    const del = await server.inject({ method: 'DELETE', url: '/rebalance/policies/catalog/pack_1', headers: auth });
    expect(del.statusCode).toBe(204);
    expect(del.body).toBe('');

    const gone = await server.inject({ method: 'GET', url: '/rebalance/policies/catalog/pack_1' });
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toMatchObject({ detail: 'DPM_POLICY_PACK_NOT_FOUND', code: 'DPM_POLICY_PACK_NOT_FOUND' });
    const delAgain = await server.inject({ method: 'DELETE', url: '/rebalance/policies/catalog/pack_1', headers: auth });
    expect(delAgain.statusCode).toBe(404);
    expect(delAgain.json()).toMatchObject({ detail: 'DPM_POLICY_PACK_NOT_FOUND' });

    const audit = logged.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry['event'] === 'policy_pack_catalog_changed');
    expect(audit.map((entry) => [entry['action'], entry['policy_pack_id'], entry['revision']])).toEqual([
      ['UPSERT', 'pack_1', 1],
      ['UPSERT', 'pack_1', 2],
      ['DELETE', 'pack_1', null],
    ]);
    expect(audit[0]).toMatchObject({ actor: 'ops.alice', token_sha256_prefix: expect.stringMatching(/^[0-9a-f]{8}$/) });
    expect(logged.join('\n')).not.toContain(TOKEN);
  });

  it('422 names every bad field (schema and semantic checks), nothing stored', async () => {
    const server = await start();
    const missing = await server.inject({
      method: 'PUT',
      url: '/rebalance/policies/catalog/p',
      headers: auth,
      payload: { turnover_policy: { max_turnover_pct: '0.1', typo: 1 } },
    });
    expect(missing.statusCode).toBe(422);
    const fields = (missing.json() as { errors: { field: string }[] }).errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['body.version', 'body.turnover_policy.typo']));

    const semantic = await server.inject({
      method: 'PUT',
      url: '/rebalance/policies/catalog/p',
      headers: auth,
      payload: { version: '1', turnover_policy: { max_turnover_pct: '1.5' }, constraint_policy: { group_constraints: { nocolon: { max_weight: '0.1' } } } },
    });
    expect(semantic.statusCode).toBe(422);
    expect(semantic.json()).toMatchObject({ code: 'VALIDATION_ERROR' });
    const locs = (semantic.json() as { detail: { loc: unknown[] }[] }).detail.map((e) => e.loc);
    expect(locs).toEqual(
      expect.arrayContaining([
        ['body', 'constraint_policy', 'group_constraints', 'nocolon'],
        ['body', 'turnover_policy', 'max_turnover_pct'],
      ]),
    );
    expect(locs).toHaveLength(2);

    const badId = await server.inject({ method: 'PUT', url: '/rebalance/policies/catalog/a%20b', headers: auth, payload: BODY });
    expect(badId.statusCode).toBe(422);
    expect((badId.json() as { detail: { type: string; loc: unknown[] }[] }).detail[0]).toMatchObject({ type: 'string_pattern_mismatch', loc: ['path', 'policy_pack_id'] });
    expect((await server.inject({ method: 'GET', url: '/rebalance/policies/catalog' })).json()).toMatchObject({ total: 0 });
  });
});

describe('store outage', () => {
  it('a ReasonError *_POSTGRES_UNAVAILABLE → 503 with Retry-After: 5, counted like every store outage', async () => {
    const down = (): Promise<never> => Promise.reject(new ReasonError('DPM_POLICY_PACK_POSTGRES_UNAVAILABLE', 'connect ECONNREFUSED postgres://u:hunter2@db/x'));
    const server = await start({
      catalog: { backend: 'POSTGRES', writable: true, snapshot: down, list: down, get: down, upsert: down, delete: down },
    });
    for (const request of [
      { method: 'GET' as const, url: '/rebalance/policies/catalog' },
      { method: 'GET' as const, url: '/rebalance/policies/catalog/p' },
      { method: 'PUT' as const, url: '/rebalance/policies/catalog/p', headers: auth, payload: BODY },
      { method: 'DELETE' as const, url: '/rebalance/policies/catalog/p', headers: auth },
    ]) {
      const response = await server.inject(request);
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('5');
      expect(response.json()).toMatchObject({ detail: 'DPM_POLICY_PACK_POSTGRES_UNAVAILABLE' });
      expect(response.body).not.toContain('hunter2');
    }
    // /effective never touches the store.
    expect((await server.inject({ method: 'GET', url: '/rebalance/policies/effective' })).statusCode).toBe(200);
  });
});

describe('OpenAPI', () => {
  it('documents all five operations with request and response schemas and examples', async () => {
    const server = await start();
    const doc = (await server.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>>;
    };
    expect(Object.keys(doc.paths['/rebalance/policies/catalog/{policy_pack_id}'] ?? {}).sort()).toEqual(['delete', 'get', 'put']);
    expect(doc.paths['/rebalance/policies/effective']?.['get']?.responses['200']).toBeDefined();
    expect(doc.paths['/rebalance/policies/catalog']?.['get']?.responses['503']).toBeDefined();
    const put = doc.paths['/rebalance/policies/catalog/{policy_pack_id}']?.['put'];
    expect(JSON.stringify(put?.requestBody)).toContain('example');
    expect(Object.keys(put?.responses ?? {})).toEqual(expect.arrayContaining(['200', '401', '404', '409', '422', '503']));
  });
});
