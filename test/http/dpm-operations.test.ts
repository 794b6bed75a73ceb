/**
 * DPM async operations over HTTP, on every backend: accept (INLINE and ACCEPT_ONLY), lookups,
 * listing, manual execute (atomic claim), gates, TTL expiry and engine failure.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app/app.ts';
import { dpmGates } from '../../src/http/feature-gates.ts';
import { dpmAnalyzeRoutes } from '../../src/http/routes/dpm/analyze.ts';
import { dpmOperationRoutes } from '../../src/http/routes/dpm/operations.ts';
import { buildServer } from '../../src/http/server.ts';
import { createDpmAnalyzeService } from '../../src/services/dpm/analyze.ts';
import { createDpmOperationService } from '../../src/services/dpm/operations.ts';
import { ALL_ON, DPM_BACKENDS, freshStoreLocation, openStoreAt, startApp, WHAT_IF_BATCH, type FreshStoreLocation } from '../support/dpm-api.ts';

type Json = Record<string, unknown>;

/** The worker sleeps between polls for longer than any test, so only the request paths under test run operations. */
const QUIET_WORKER = { DPM_ASYNC_WORKER_POLL_MS: '600000' };


for (const backend of DPM_BACKENDS) {
  describe(`DPM async operations (${backend})`, () => {
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

    async function start(env: Record<string, string> = {}): Promise<App> {
      app = await startApp({ ...location.env, ...QUIET_WORKER, ...env });
      return app;
    }

    async function call(method: 'GET' | 'POST', url: string, body?: unknown, headers: Record<string, string> = {}) {
      const response = await (app as App).server.inject({ method, url, headers, ...(body === undefined ? {} : { payload: body as Json }) });
      return { status: response.statusCode, headers: response.headers, body: response.body === '' ? {} : (response.json() as Json) };
    }

    const submit = (headers: Record<string, string> = {}) => call('POST', '/rebalance/analyze/async', WHAT_IF_BATCH, headers);

    it('INLINE: 202 shows the real terminal status; the operation, its correlation and its scenario runs are found', async () => {
      await start();
      const accepted = await submit({ 'x-correlation-id': 'corr-inline-1' });
      expect(accepted.status).toBe(202);
      expect(accepted.headers['x-correlation-id']).toBe('corr-inline-1');
      const id = String(accepted.body['operation_id']);
      expect(accepted.body).toMatchObject({
        operation_type: 'ANALYZE_SCENARIOS',
        status: 'SUCCEEDED',
        correlation_id: 'corr-inline-1',
        status_url: `/rebalance/operations/${id}`,
        execute_url: `/rebalance/operations/${id}/execute`,
      });
      expect(id).toMatch(/^dop_[0-9a-f]{24}$/);

      const status = await call('GET', `/rebalance/operations/${id}`);
      expect(status.status).toBe(200);
      expect(status.body).toMatchObject({ status: 'SUCCEEDED', is_executable: false, error: null });
      const result = status.body['result'] as Json;
      expect(String(result['batch_run_id'])).toMatch(/^batch_[0-9a-f]{24}$/);
      expect(Object.keys(result['results'] as Json)).toEqual(['ignore_checks']);
      expect(String((result['failed_scenarios'] as Json)['invalid_case'])).toMatch(/^INVALID_OPTIONS:/);
      expect(status.body['started_at']).not.toBeNull();
      expect(status.body['finished_at']).not.toBeNull();

      expect((await call('GET', '/rebalance/operations/by-correlation/corr-inline-1')).body['operation_id']).toBe(id);
      const run = await call('GET', '/rebalance/runs/by-correlation/corr-inline-1:ignore_checks');
      expect(run.status).toBe(200);
      expect(run.body).toMatchObject({ request_hash: `${String(result['batch_run_id'])}:ignore_checks`, idempotency_key: null });
      expect(run.body['rebalance_run_id']).toBe(((result['results'] as Json)['ignore_checks'] as Json)['rebalance_run_id']);
    });

    it('generates a corr_ correlation id when none is sent and echoes it in the header', async () => {
      await start();
      const accepted = await submit();
      expect(String(accepted.body['correlation_id'])).toMatch(/^corr_[0-9a-f]{24}$/);
      expect(accepted.headers['x-correlation-id']).toBe(accepted.body['correlation_id']);
    });

    it('ACCEPT_ONLY: PENDING and executable; execute → 200 SUCCEEDED; again → 409; unknown → 404', async () => {
      await start({ DPM_ASYNC_EXECUTION_MODE: 'ACCEPT_ONLY' });
      const accepted = await submit();
      expect(accepted.status).toBe(202);
      expect(accepted.body['status']).toBe('PENDING');
      const id = String(accepted.body['operation_id']);
      expect((await call('GET', `/rebalance/operations/${id}`)).body).toMatchObject({
        status: 'PENDING',
        is_executable: true,
        started_at: null,
        finished_at: null,
        result: null,
        error: null,
      });

      const executed = await call('POST', `/rebalance/operations/${id}/execute`);
      expect(executed.status).toBe(200);
      expect(executed.body).toMatchObject({ operation_id: id, status: 'SUCCEEDED', is_executable: false });
      expect(String((executed.body['result'] as Json)['batch_run_id'])).toMatch(/^batch_/);

      const again = await call('POST', `/rebalance/operations/${id}/execute`);
      expect(again.status).toBe(409);
      expect(again.body['detail']).toBe('DPM_ASYNC_OPERATION_NOT_EXECUTABLE');

      const missing = await call('POST', '/rebalance/operations/dop_000000000000/execute');
      expect(missing.status).toBe(404);
      expect(missing.body['detail']).toBe('DPM_ASYNC_OPERATION_NOT_FOUND');
      expect((await call('GET', '/rebalance/operations/dop_000000000000')).body['detail']).toBe('DPM_ASYNC_OPERATION_NOT_FOUND');
      expect((await call('GET', '/rebalance/operations/by-correlation/nope')).body['detail']).toBe('DPM_ASYNC_OPERATION_NOT_FOUND');
    });

    it('concurrent executes of one operation: exactly one 200, the others 409, and one set of scenario runs', async () => {
      await start({ DPM_ASYNC_EXECUTION_MODE: 'ACCEPT_ONLY' });
      const accepted = await submit({ 'x-correlation-id': 'corr-race' });
      const id = String(accepted.body['operation_id']);
      const responses = await Promise.all(Array.from({ length: 8 }, () => call('POST', `/rebalance/operations/${id}/execute`)));
      expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
      expect(responses.filter((r) => r.status === 409)).toHaveLength(7);
      const runs = await call('GET', '/rebalance/runs/by-correlation/corr-race:ignore_checks');
      const winner = responses.find((r) => r.status === 200) as { body: Json };
      expect(runs.body['rebalance_run_id']).toBe((((winner.body['result'] as Json)['results'] as Json)['ignore_checks'] as Json)['rebalance_run_id']);
    });

    it('lists newest first with filters and an opaque cursor; limit is 1..200', async () => {
      await start({ DPM_ASYNC_EXECUTION_MODE: 'ACCEPT_ONLY' });
      const ids: string[] = [];
      for (const correlation of ['c-list-1', 'c-list-2', 'c-list-3']) ids.push(String((await submit({ 'x-correlation-id': correlation })).body['operation_id']));
      const firstId = ids[0] as string;
      await call('POST', `/rebalance/operations/${firstId}/execute`);

      const first = await call('GET', '/rebalance/operations?limit=2');
      expect(first.status).toBe(200);
      const firstItems = first.body['items'] as Json[];
      expect(firstItems).toHaveLength(2);
      expect(first.body['next_cursor']).toEqual(expect.any(String));
      const second = await call('GET', `/rebalance/operations?limit=2&cursor=${encodeURIComponent(String(first.body['next_cursor']))}`);
      const secondItems = second.body['items'] as Json[];
      expect(second.body['next_cursor']).toBeNull();
      expect([...firstItems, ...secondItems].map((i) => i['operation_id']).sort()).toEqual([...ids].sort());
      expect(Object.keys(firstItems[0] as Json)).toEqual(['operation_id', 'operation_type', 'status', 'correlation_id', 'is_executable', 'created_at', 'started_at', 'finished_at', 'attempts', 'lease_owner', 'lease_expires_at']);

      const pending = await call('GET', '/rebalance/operations?status=PENDING');
      expect((pending.body['items'] as Json[]).map((i) => i['operation_id']).sort()).toEqual(ids.slice(1).sort());
      const succeeded = await call('GET', '/rebalance/operations?status=SUCCEEDED&operation_type=ANALYZE_SCENARIOS');
      expect((succeeded.body['items'] as Json[]).map((i) => i['operation_id'])).toEqual([firstId]);
      const byCorrelation = await call('GET', '/rebalance/operations?correlation_id=c-list-2');
      expect((byCorrelation.body['items'] as Json[]).map((i) => i['operation_id'])).toEqual([ids[1]]);
      const future = await call('GET', `/rebalance/operations?from=${encodeURIComponent('2999-01-01T00:00:00+00:00')}`);
      expect(future.body['items']).toEqual([]);
      const all = await call('GET', `/rebalance/operations?from=${encodeURIComponent('2000-01-01T00:00:00Z')}&to=${encodeURIComponent('2999-01-01T00:00:00+08:00')}`);
      expect(all.body['items']).toHaveLength(3);

      expect((await call('GET', '/rebalance/operations?limit=0')).status).toBe(422);
      expect((await call('GET', '/rebalance/operations?limit=201')).status).toBe(422);
      const badCursor = await call('GET', '/rebalance/operations?cursor=not-a-cursor');
      expect(badCursor.status).toBe(400);
      expect(badCursor.body['detail']).toBe('DPM_SUPPORTABILITY_INVALID_CURSOR');
      const naive = await call('GET', '/rebalance/operations?from=2026-01-01T00:00:00');
      expect(naive.status).toBe(422);
      expect((naive.body['detail'] as Json[])[0]).toMatchObject({ loc: ['query', 'from'], input: '2026-01-01T00:00:00' });
    });

    it('an operation past its TTL is 404 everywhere, and the timer purges it', async () => {
      await start({ DPM_ASYNC_EXECUTION_MODE: 'ACCEPT_ONLY', DPM_ASYNC_OPERATIONS_TTL_SECONDS: '1', DPM_SUPPORTABILITY_PURGE_INTERVAL_MS: '100' });
      const accepted = await submit({ 'x-correlation-id': 'corr-ttl' });
      const id = String(accepted.body['operation_id']);
      expect((await call('GET', `/rebalance/operations/${id}`)).status).toBe(200);
      await sleep(1_200);
      expect((await call('GET', `/rebalance/operations/${id}`)).body['detail']).toBe('DPM_ASYNC_OPERATION_NOT_FOUND');
      expect((await call('GET', '/rebalance/operations/by-correlation/corr-ttl')).status).toBe(404);
      expect((await call('POST', `/rebalance/operations/${id}/execute`)).status).toBe(404);
      expect((await call('GET', '/rebalance/operations')).body['items']).toEqual([]);
    });

    it('gates: async off → 404 on every async route (before body validation); manual off → 404 on execute; support off → 404 on reads', async () => {
      await start({ DPM_ASYNC_OPERATIONS_ENABLED: 'false' });
      for (const [method, url] of [
        ['POST', '/rebalance/analyze/async'],
        ['GET', '/rebalance/operations'],
        ['GET', '/rebalance/operations/dop_1'],
        ['GET', '/rebalance/operations/by-correlation/c'],
        ['POST', '/rebalance/operations/dop_1/execute'],
      ] as const) {
        const response = await call(method, url, method === 'POST' && url.endsWith('async') ? WHAT_IF_BATCH : undefined);
        expect([url, response.status, response.body['detail']]).toEqual([url, 404, 'DPM_ASYNC_OPERATIONS_DISABLED']);
      }
      const invalid = await call('POST', '/rebalance/analyze/async', { ...WHAT_IF_BATCH, scenarios: {} });
      expect([invalid.status, invalid.body['detail']]).toEqual([404, 'DPM_ASYNC_OPERATIONS_DISABLED']);
      await app?.close();

      await start({ DPM_ASYNC_MANUAL_EXECUTION_ENABLED: 'false', DPM_ASYNC_EXECUTION_MODE: 'ACCEPT_ONLY' });
      const id = String((await submit()).body['operation_id']);
      const manualOff = await call('POST', `/rebalance/operations/${id}/execute`);
      expect([manualOff.status, manualOff.body['detail']]).toEqual([404, 'DPM_ASYNC_MANUAL_EXECUTION_DISABLED']);
      expect((await call('GET', `/rebalance/operations/${id}`)).body['status']).toBe('PENDING');
      await app?.close();

      await start({ DPM_SUPPORT_APIS_ENABLED: 'false' });
      expect((await submit()).status).toBe(202);
      const supportOff = await call('GET', '/rebalance/operations');
      expect([supportOff.status, supportOff.body['detail']]).toEqual([404, 'DPM_SUPPORT_APIS_DISABLED']);
    });

    it('an invalid batch is 422 naming the field, and nothing is stored', async () => {
      await start();
      const response = await call('POST', '/rebalance/analyze/async', { ...WHAT_IF_BATCH, scenarios: { 'Bad Name': { options: {} } } });
      expect(response.status).toBe(422);
      expect((response.body['errors'] as Json[])[0]?.['field']).toMatch(/^body\.scenarios/);
      expect((await call('GET', '/rebalance/operations')).body['items']).toEqual([]);
    });

    it('an engine exception fails the operation with {code, message}; per-scenario failures stay in the batch', async () => {
      const { store, close } = await openStoreAt(location);
      class RuntimeError extends Error {
        override name = 'RuntimeError';
      }
      const analyze = createDpmAnalyzeService({
        store,
        engine: {
          run: () => Promise.reject(new RuntimeError('boom')),
        },
      });
      const operations = createDpmOperationService({ store, analyze, settings: { executionMode: 'INLINE', ttlSeconds: 3600, leaseMs: 30_000 } });
      const gates = dpmGates(ALL_ON);
      const server = await buildServer({ logger: pino({ level: 'silent' }), routes: [dpmAnalyzeRoutes({ analyze, operations, gates }), dpmOperationRoutes({ operations, gates })] });
      try {
        const accepted = await server.inject({ method: 'POST', url: '/rebalance/analyze/async', payload: WHAT_IF_BATCH });
        expect(accepted.statusCode).toBe(202);
        expect(accepted.json()).toMatchObject({ status: 'FAILED' });
        const status = await server.inject({ method: 'GET', url: `/rebalance/operations/${String(accepted.json<Json>()['operation_id'])}` });
        expect(status.json()).toMatchObject({ status: 'FAILED', result: null, error: { code: 'RuntimeError', message: 'boom' } });
      } finally {
        await server.close();
        await close();
      }
    });
  });
}
