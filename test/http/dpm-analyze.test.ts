/**
 * POST /rebalance/analyze on every backend, and policy packs on simulate and analyze
 * (docs/dpm-api.md#policy-packs-on-simulate-and-analyze): every override reaches the engine, the
 * pack's replay flag wins, the key is bound to the pack, and the catalog is never read while packs
 * are off.
 */
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app/app.ts';
import { analyzeBatch, type EngineOptions } from '../../src/domain/dpm/index.ts';
import { dpmGates } from '../../src/http/feature-gates.ts';
import { dpmAnalyzeRoutes } from '../../src/http/routes/dpm/analyze.ts';
import { dpmOperationRoutes } from '../../src/http/routes/dpm/operations.ts';
import { dpmRunRoutes } from '../../src/http/routes/dpm/runs.ts';
import { buildServer } from '../../src/http/server.ts';
import { createDpmAnalyzeService } from '../../src/services/dpm/analyze.ts';
import { createDpmOperationService } from '../../src/services/dpm/operations.ts';
import { createPolicyPackSelector } from '../../src/services/dpm/policy-context.ts';
import { createDpmRunService } from '../../src/services/dpm/runs.ts';
import { createDpmSupportService } from '../../src/services/dpm/support.ts';
import { INLINE_ENGINE, type Engine } from '../../src/services/engine/engine-pool.ts';
import { batchContextOf, type EngineInput, type EngineOutput } from '../../src/services/engine/jobs.ts';
import { createServiceMetrics } from '../../src/services/observability/metrics.ts';
import { openPolicyPackCatalog } from '../../src/stores/policy-pack-catalog/open.ts';
import type { PolicyPackCatalog } from '../../src/stores/policy-pack-catalog/port.ts';
import { PostgresPools } from '../../src/stores/postgres/pools.ts';
import { ReasonError } from '../../src/config/reason-codes.ts';
import { ALL_ON, DPM_BACKENDS, dpmVector, freshStoreLocation, openStoreAt, startApp, WHAT_IF_BATCH, type FreshStoreLocation } from '../support/dpm-api.ts';

type Json = Record<string, unknown>;

const SIMULATE_REQUEST = dpmVector('scenario_01_cash_inflow').request;

/** Every overridable field set, each to a value that differs from the option's default. */
const FULL_PACK = {
  version: '2026.1',
  turnover_policy: { max_turnover_pct: '0.15' },
  tax_policy: { enable_tax_awareness: true, max_realized_capital_gains: '100' },
  settlement_policy: { enable_settlement_awareness: true, settlement_horizon_days: 3 },
  constraint_policy: { single_position_max_weight: '0.4', group_constraints: { 'sector:TECH': { max_weight: '0.3' } } },
  workflow_policy: { enable_workflow_gates: false, workflow_requires_client_consent: true, client_consent_already_obtained: true },
  idempotency_policy: { replay_enabled: false },
};
const EXPECTED_OVERRIDES = {
  max_turnover_pct: '0.15',
  enable_tax_awareness: true,
  max_realized_capital_gains: '100',
  enable_settlement_awareness: true,
  settlement_horizon_days: 3,
  single_position_max_weight: '0.4',
  group_constraints: { 'sector:TECH': { max_weight: '0.3' } },
  enable_workflow_gates: false,
  workflow_requires_client_consent: true,
  client_consent_already_obtained: true,
};
const CATALOG_JSON = JSON.stringify({
  pack_full: FULL_PACK,
  pack_replay_on: { version: '1', idempotency_policy: { replay_enabled: true } },
});


for (const backend of DPM_BACKENDS) {
  describe(`POST /rebalance/analyze (${backend})`, () => {
    let location: FreshStoreLocation;
    let app: App | undefined;

    beforeEach(async () => {
      location = await freshStoreLocation(backend);
    });
    afterEach(async () => {
      await app?.close();
      app = undefined;
      await location.drop();
    });

    async function call(method: 'GET' | 'POST', url: string, body?: unknown, headers: Record<string, string> = {}) {
      const response = await (app as App).server.inject({ method, url, headers, ...(body === undefined ? {} : { payload: body as Json }) });
      return { status: response.statusCode, headers: response.headers, body: response.json<Json>() };
    }

    it('answers the batch and records each successful scenario as a run (request hash <batch>:<scenario>, no key)', async () => {
      app = await startApp(location.env);
      const response = await call('POST', '/rebalance/analyze', WHAT_IF_BATCH, { 'x-correlation-id': 'corr-an-1' });
      expect(response.status).toBe(200);
      const batchId = String(response.body['batch_run_id']);
      expect(batchId).toMatch(/^batch_[0-9a-f]{24}$/);
      expect(String(response.body['run_at_utc'])).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/);
      expect(response.body['base_snapshot_ids']).toEqual({ portfolio_snapshot_id: 'pf_13', market_data_snapshot_id: 'md' });
      expect(String((response.body['failed_scenarios'] as Json)['invalid_case'])).toMatch(/^INVALID_OPTIONS:/);
      expect(response.body['warnings']).toEqual(['PARTIAL_BATCH_FAILURE']);
      const scenario = (response.body['results'] as Json)['ignore_checks'] as Json;

      const run = await call('GET', '/rebalance/runs/by-correlation/corr-an-1:ignore_checks');
      expect(run.status).toBe(200);
      expect(run.body).toMatchObject({
        rebalance_run_id: scenario['rebalance_run_id'],
        request_hash: `${batchId}:ignore_checks`,
        idempotency_key: null,
        portfolio_id: 'pf_13',
        result: scenario,
      });
      expect((await call('GET', '/rebalance/runs/by-correlation/corr-an-1:invalid_case')).status).toBe(404);
    });

    it('without X-Correlation-Id the scenario runs are correlated by the batch id', async () => {
      app = await startApp(location.env);
      const response = await call('POST', '/rebalance/analyze', WHAT_IF_BATCH);
      const batchId = String(response.body['batch_run_id']);
      const run = await call('GET', `/rebalance/runs/by-correlation/${batchId}:ignore_checks`);
      expect(run.status).toBe(200);
      expect(((response.body['results'] as Json)['ignore_checks'] as Json)['correlation_id']).toBe(`${batchId}:ignore_checks`);
    });

    it('is never gated, and an invalid batch is 422 naming the field', async () => {
      app = await startApp({ ...location.env, DPM_SUPPORT_APIS_ENABLED: 'false', DPM_ASYNC_OPERATIONS_ENABLED: 'false' });
      expect((await call('POST', '/rebalance/analyze', WHAT_IF_BATCH)).status).toBe(200);
      const invalid = await call('POST', '/rebalance/analyze', { ...WHAT_IF_BATCH, scenarios: {} });
      expect(invalid.status).toBe(422);
      expect((invalid.body['errors'] as Json[])[0]?.['field']).toMatch(/^body\.scenarios/);
      const missing = await call('POST', '/rebalance/analyze', { scenarios: { a: { options: {} } } });
      expect((missing.body['errors'] as Json[]).map((e) => e['field'])).toEqual(expect.arrayContaining(['body.portfolio_snapshot']));
    });

    it('policy packs (env): the pack replay flag overrides the env both ways, and the key is bound to the pack', async () => {
      const packs = { DPM_POLICY_PACKS_ENABLED: 'true', DPM_POLICY_PACK_CATALOG_JSON: CATALOG_JSON };
      app = await startApp({ ...location.env, ...packs });
      const simulate = (key: string, pack?: string) =>
        call('POST', '/rebalance/simulate', SIMULATE_REQUEST, { 'idempotency-key': key, ...(pack ? { 'x-policy-pack-id': pack } : {}) });

      // replay on by env, off by the pack: every call is a new run
      const first = await simulate('k-pack-off', 'pack_full');
      const second = await simulate('k-pack-off', 'pack_full');
      expect([first.status, second.status]).toEqual([200, 200]);
      expect(second.body['rebalance_run_id']).not.toBe(first.body['rebalance_run_id']);

      // the same key and body under another pack (or none) is a different request
      const plain = await simulate('k-bound');
      expect((await simulate('k-bound', 'pack_replay_on')).status).toBe(409);
      const replay = await simulate('k-bound');
      expect([replay.status, replay.headers['idempotent-replay'], replay.body['rebalance_run_id']]).toEqual([200, 'true', plain.body['rebalance_run_id']]);
      // The run keeps the engine's request hash; only the key's mapping carries the pack.
      const runId = String(plain.body['rebalance_run_id']);
      const packed = await simulate('k-packed', 'pack_replay_on');
      expect((await call('GET', `/rebalance/runs/${String(packed.body['rebalance_run_id'])}`)).body['request_hash']).toBe(
        (await call('GET', `/rebalance/runs/${runId}`)).body['request_hash'],
      );
      expect(String((await call('GET', '/rebalance/runs/idempotency/k-packed')).body['request_hash'])).toMatch(/^sha256:[0-9a-f]{64};policy_pack=pack_replay_on;version=1;revision=1$/);
      await app.close();

      // replay off by env, on by the pack
      app = await startApp({ ...location.env, ...packs, DPM_IDEMPOTENCY_REPLAY_ENABLED: 'false' });
      const a = await simulate('k-pack-on', 'pack_replay_on');
      const b = await simulate('k-pack-on', 'pack_replay_on');
      expect(b.headers['idempotent-replay']).toBe('true');
      expect(b.body['rebalance_run_id']).toBe(a.body['rebalance_run_id']);
      const c = await simulate('k-env-off');
      const d = await simulate('k-env-off');
      expect(d.body['rebalance_run_id']).not.toBe(c.body['rebalance_run_id']);
    });

    describe('policy packs reach the engine', () => {
      let close: (() => Promise<void>) | undefined;
      afterEach(async () => {
        await close?.();
        close = undefined;
      });

      /** Routes over the real store and catalog, with engines that record the options they are given. */
      async function composed(options: { enabled: boolean; catalog?: PolicyPackCatalog }) {
        const opened = await openStoreAt(location);
        const catalogPools = new PostgresPools({ poolMax: 1, statementTimeoutMs: 1000, connectTimeoutMs: 1000 });
        const envCatalog = await openPolicyPackCatalog({ backend: 'ENV_JSON', catalogJson: CATALOG_JSON, sqlitePath: '', postgresDsn: '', pools: catalogPools, migrate: false });
        const catalog = options.catalog ?? envCatalog.catalog;
        const seen: { simulate: EngineOptions[]; analyze: EngineOptions[] } = { simulate: [], analyze: [] };
        const selector = createPolicyPackSelector({
          config: { enabled: options.enabled, defaultPolicyPackId: '', tenantResolutionEnabled: true, tenantPolicyPackMap: { acme: 'pack_full' } },
          catalog,
        });
        const store = opened.store;
        // The engine inline, recording the options of every run (after the pack's overrides).
        const engine: Engine = {
          run: async (job, input) => {
            if (job === 'rebalance') seen.simulate.push((input as EngineInput<'rebalance'>).request.options);
            if (job !== 'analyze') return INLINE_ENGINE.run(job, input);
            const { request, context } = input as EngineInput<'analyze'>;
            const batch = batchContextOf(context);
            const applyPolicyPack = (scenarioOptions: EngineOptions): EngineOptions => {
              const effective = batch.applyPolicyPack?.(scenarioOptions) ?? scenarioOptions;
              seen.analyze.push(effective);
              return effective;
            };
            return analyzeBatch(request, { ...batch, applyPolicyPack }) as EngineOutput<typeof job>;
          },
        };
        const runService = createDpmRunService({ store, replayEnabled: true, policyPacks: selector, engine });
        const analyze = createDpmAnalyzeService({ store, policyPacks: selector, engine });
        const operations = createDpmOperationService({ store, analyze, settings: { executionMode: 'INLINE', ttlSeconds: 3600, leaseMs: 30_000 } });
        const gates = dpmGates(ALL_ON);
        const server = await buildServer({
          logger: pino({ level: 'silent' }),
          routes: [dpmRunRoutes({ service: runService, support: createDpmSupportService({ store, settings: { backend: 'IN_MEMORY', retentionDays: 0 } }), gates, metrics: createServiceMetrics() }), dpmAnalyzeRoutes({ analyze, operations, gates }), dpmOperationRoutes({ operations, gates })],
        });
        close = async () => {
          await server.close();
          await opened.close();
          await envCatalog.close();
          await catalogPools.closeAll();
        };
        return { server, seen };
      }

      it('all overrides on simulate, sync analyze and async analyze (pack by header or by tenant)', async () => {
        const { server, seen } = await composed({ enabled: true });
        const simulated = await server.inject({ method: 'POST', url: '/rebalance/simulate', payload: SIMULATE_REQUEST, headers: { 'idempotency-key': 'k-1', 'x-policy-pack-id': 'pack_full' } });
        expect(simulated.statusCode).toBe(200);
        expect(seen.simulate[0]).toMatchObject(EXPECTED_OVERRIDES);

        const analyzed = await server.inject({ method: 'POST', url: '/rebalance/analyze', payload: WHAT_IF_BATCH, headers: { 'x-tenant-id': 'acme' } });
        expect(analyzed.statusCode).toBe(200);
        expect(seen.analyze).toHaveLength(1);
        expect(seen.analyze[0]).toMatchObject(EXPECTED_OVERRIDES);

        const accepted = await server.inject({ method: 'POST', url: '/rebalance/analyze/async', payload: WHAT_IF_BATCH, headers: { 'x-policy-pack-id': 'pack_full' } });
        expect(accepted.json<Json>()['status']).toBe('SUCCEEDED');
        expect(seen.analyze[1]).toMatchObject(EXPECTED_OVERRIDES);

        // An unknown pack id changes nothing.
        await server.inject({ method: 'POST', url: '/rebalance/simulate', payload: SIMULATE_REQUEST, headers: { 'idempotency-key': 'k-2', 'x-policy-pack-id': 'nope' } });
        expect(seen.simulate[1]).toMatchObject({ max_turnover_pct: null, enable_tax_awareness: false, group_constraints: {} });
      });

      it('packs off: no override, and the catalog is never read (a broken catalog cannot break simulate or analyze)', async () => {
        let reads = 0;
        const broken: PolicyPackCatalog = {
          backend: 'POSTGRES',
          writable: true,
          snapshot: async () => {
            reads += 1;
            throw new ReasonError('DPM_POLICY_PACK_POSTGRES_UNAVAILABLE', 'catalog down');
          },
          list: async () => [],
          get: async () => null,
          upsert: async () => {
            throw new Error('unused');
          },
          delete: async () => false,
        };
        const { server, seen } = await composed({ enabled: false, catalog: broken });
        const headers = { 'x-policy-pack-id': 'pack_full', 'x-tenant-id': 'acme' };
        expect((await server.inject({ method: 'POST', url: '/rebalance/simulate', payload: SIMULATE_REQUEST, headers: { ...headers, 'idempotency-key': 'k-3' } })).statusCode).toBe(200);
        expect((await server.inject({ method: 'POST', url: '/rebalance/analyze', payload: WHAT_IF_BATCH, headers })).statusCode).toBe(200);
        expect(reads).toBe(0);
        expect(seen.simulate[0]).toMatchObject({ max_turnover_pct: null, enable_workflow_gates: true });

        // Enabled with the same broken catalog: the outage is a 503 with its code, not a 500.
        await close?.();
        const enabled = await composed({ enabled: true, catalog: broken });
        const refused = await enabled.server.inject({ method: 'POST', url: '/rebalance/analyze', payload: WHAT_IF_BATCH, headers });
        expect([refused.statusCode, refused.json<Json>()['detail']]).toEqual([503, 'DPM_POLICY_PACK_POSTGRES_UNAVAILABLE']);
      });
    });
  });
}
