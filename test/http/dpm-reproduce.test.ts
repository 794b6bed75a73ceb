/**
 * POST /rebalance/runs/{id}/reproduce on every backend (docs/dpm-api.md#reproducing-a-run): a
 * recorded run — simulate, under a policy pack, or an analyze scenario — is reproduced identically
 * by today's engine; a run whose stored result was deliberately altered is reported with exactly
 * the altered fields; a run recorded without its request (as older releases recorded them) says so.
 */
import { Value } from '@sinclair/typebox/value';
import { afterEach, describe, expect, it } from 'vitest';
import { RunReproductionSchema, VersionReproductionSchema } from '../../src/services/reproduction-schemas.ts';
import type { RunInputs, RunRecord } from '../../src/stores/dpm-runs/port.ts';
import { WHAT_IF_BATCH } from '../support/dpm-api.ts';
import { DPM_BACKENDS, REQUESTS, startApi, type ApiHarness } from '../support/dpm-api.ts';

type Json = Record<string, unknown>;

const ENGINE_VERSION = /^\d+\.\d+\.\d+(\+[0-9a-f]{40})?$/;
const PACKS = {
  DPM_POLICY_PACKS_ENABLED: 'true',
  DPM_POLICY_PACK_CATALOG_JSON: JSON.stringify({ tight: { version: '7', turnover_policy: { max_turnover_pct: '0.01' } } }),
};

let open: ApiHarness[] = [];
afterEach(async () => {
  for (const api of open) await api.close();
  open = [];
});

/** A copy of `run` recorded under another id with `alter` applied to its stored result (ids rewritten, so only `alter` differs). */
async function recordAltered(api: ApiHarness, run: RunRecord, inputs: RunInputs | null, newId: string, alter: (result: Json) => void): Promise<void> {
  const result = JSON.parse(JSON.stringify(run.result_json).replaceAll(run.rebalance_run_id, newId)) as Json;
  alter(result);
  const altered: RunRecord = { ...run, rebalance_run_id: newId, idempotency_key: null, result_json: result };
  await api.app.dpmStore.recordRun({ run: altered, lineage: [], replay: false, ...(inputs ? { inputs } : {}) });
}

describe.each(DPM_BACKENDS)('reproducing DPM runs on %s', (backend) => {
  async function start(env: Record<string, string> = {}): Promise<ApiHarness> {
    const api = await startApi(backend, env);
    open.push(api);
    return api;
  }

  it('a simulated run is reproduced identically, its request hash verified', async () => {
    const api = await start();
    const result = await api.simulate(REQUESTS.READY, { key: 'key-repro', correlation: 'corr-repro' });
    const runId = String(result['rebalance_run_id']);

    const reproduced = await api.post(`/rebalance/runs/${runId}/reproduce`, undefined);
    expect(reproduced.status).toBe(200);
    expect(reproduced.body).toEqual({
      rebalance_run_id: runId,
      request_hash: (result['lineage'] as Json)['request_hash'],
      request_hash_verified: true,
      policy_pack: null,
      verdict: 'IDENTICAL',
      identical: true,
      recorded_engine_version: (result['lineage'] as Json)['engine_version'],
      current_engine_version: (result['lineage'] as Json)['engine_version'],
      difference_count: 0,
      differences: [],
      differences_truncated: false,
      request_problems: [],
    });
    expect(reproduced.body['current_engine_version']).toMatch(ENGINE_VERSION);
    // The store kept the request exactly as hashed, and the options the engine ran with.
    const inputs = await api.app.dpmStore.getRunInputs(runId);
    expect(JSON.parse(inputs?.request_canonical ?? 'null')).toMatchObject({ portfolio_snapshot: { portfolio_id: 'pf_001' } });
    expect(inputs?.effective_options_json).toEqual(JSON.parse(inputs?.request_canonical ?? '{}').options);
  });

  it('a run under a policy pack is reproduced with the options it ran under, naming the pack', async () => {
    const api = await start(PACKS);
    const result = await api.post('/rebalance/simulate', REQUESTS.READY, { 'idempotency-key': 'key-pack', 'x-policy-pack-id': 'tight' });
    expect(result.status).toBe(200);
    const runId = String(result.body['rebalance_run_id']);
    const inputs = await api.app.dpmStore.getRunInputs(runId);
    // The pack changed the options the engine saw; the request kept as sent is unchanged.
    expect(inputs).toMatchObject({ policy_pack_id: 'tight', policy_pack_version: '7', effective_options_json: { max_turnover_pct: '0.01' } });
    expect(JSON.parse(inputs?.request_canonical ?? '{}').options.max_turnover_pct).not.toBe('0.01');

    const reproduced = await api.post(`/rebalance/runs/${runId}/reproduce`, undefined);
    expect(reproduced.body).toMatchObject({ verdict: 'IDENTICAL', identical: true, policy_pack: { policy_pack_id: 'tight', version: '7' }, request_hash_verified: true });
  });

  it('analyze scenario runs are reproduced as the single requests they ran', async () => {
    const api = await start();
    const batch = await api.post('/rebalance/analyze', WHAT_IF_BATCH, { 'x-correlation-id': 'corr-batch' });
    expect(batch.status).toBe(200);
    const runs = Object.values(batch.body['results'] as Record<string, Json>).map((r) => String(r['rebalance_run_id']));
    expect(runs.length).toBeGreaterThan(0);
    for (const runId of runs) {
      const reproduced = await api.post(`/rebalance/runs/${runId}/reproduce`, undefined);
      // A scenario's request hash is `<batch_run_id>:<scenario>`, not a hash of the request: nothing to verify.
      expect(reproduced.body).toMatchObject({ rebalance_run_id: runId, verdict: 'IDENTICAL', request_hash_verified: null });
    }
  });

  it('a deliberately altered stored result is reported field by field', async () => {
    const api = await start();
    const result = await api.simulate(REQUESTS.READY, { key: 'key-alter' });
    const runId = String(result['rebalance_run_id']);
    const run = (await api.app.dpmStore.getRun(runId)) as RunRecord;
    const inputs = await api.app.dpmStore.getRunInputs(runId);
    const alteredId = 'rr_0000000000000000000a1ter';
    const original = (result['intents'] as Json[])[0]?.['quantity'];
    await recordAltered(api, run, inputs, alteredId, (stored) => {
      ((stored['intents'] as Json[])[0] as Json)['quantity'] = '999999';
      stored['note_from_an_older_build'] = 'gone today';
    });

    const reproduced = await api.post(`/rebalance/runs/${alteredId}/reproduce`, undefined);
    expect(reproduced.status).toBe(200);
    expect(reproduced.body).toMatchObject({
      rebalance_run_id: alteredId,
      verdict: 'DIFFERENT',
      identical: false,
      request_hash_verified: true,
      difference_count: 2,
      differences_truncated: false,
      differences: [
        { path: 'intents[0].quantity', change: 'CHANGED', recorded: '999999', reproduced: original },
        { path: 'note_from_an_older_build', change: 'REMOVED', recorded: 'gone today' },
      ],
    });
  });

  it('a stored request that today\'s validation refuses is REQUEST_REJECTED, naming the problems, and nothing is run', async () => {
    const api = await start();
    const result = await api.simulate(REQUESTS.READY, { key: 'key-rejected' });
    const run = (await api.app.dpmStore.getRun(String(result['rebalance_run_id']))) as RunRecord;
    const inputs = (await api.app.dpmStore.getRunInputs(run.rebalance_run_id)) as RunInputs;
    const request = JSON.parse(inputs.request_canonical) as Json;
    delete request['shelf_entries'];
    await recordAltered(api, run, { ...inputs, request_canonical: JSON.stringify(request) }, 'rr_000000000000000rejected0', () => undefined);

    const reproduced = await api.post('/rebalance/runs/rr_000000000000000rejected0/reproduce', undefined);
    expect(reproduced.body).toMatchObject({
      verdict: 'REQUEST_REJECTED',
      identical: false,
      request_hash_verified: false,
      difference_count: 0,
      request_problems: [expect.objectContaining({ field: 'shelf_entries', code: 'missing' })],
    });
  });

  it('a run recorded without its request says so (409), an unknown run is 404', async () => {
    const api = await start();
    const result = await api.simulate(REQUESTS.READY, { key: 'key-old' });
    const run = (await api.app.dpmStore.getRun(String(result['rebalance_run_id']))) as RunRecord;
    // Recorded as releases before this one did: no inputs.
    await recordAltered(api, run, null, 'rr_00000000000000000000o1d0', () => undefined);

    const old = await api.post('/rebalance/runs/rr_00000000000000000000o1d0/reproduce', undefined);
    expect(old.status).toBe(409);
    expect(old.body).toMatchObject({ code: 'DPM_RUN_REQUEST_NOT_STORED', message: expect.stringContaining('before runs kept their request') });
    const missing = await api.post('/rebalance/runs/rr_missing/reproduce', undefined);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'DPM_RUN_NOT_FOUND' });
  });

  it('is gated with the other run lookups', async () => {
    const api = await start({ DPM_SUPPORT_APIS_ENABLED: 'false' });
    const result = await api.simulate(REQUESTS.READY, { key: 'key-gated' });
    const gated = await api.post(`/rebalance/runs/${String(result['rebalance_run_id'])}/reproduce`, undefined);
    expect(gated).toMatchObject({ status: 404, body: { code: 'DPM_SUPPORT_APIS_DISABLED' } });
  });
});

describe('the reproduce routes in the OpenAPI document', () => {
  it('are documented with a response schema, an example that satisfies it, and their error codes', async () => {
    const api = await startApi('IN_MEMORY');
    open.push(api);
    type Operation = { responses: Record<string, { content?: Record<string, { schema?: unknown; examples?: Record<string, unknown> }> }> };
    const doc = (await api.get('/openapi.json')).body as { paths: Record<string, Record<string, Operation>> };
    for (const path of ['/rebalance/runs/{rebalance_run_id}/reproduce', '/rebalance/proposals/{proposal_id}/versions/{version_no}/reproduce']) {
      const responses = doc.paths[path]?.['post']?.responses ?? {};
      expect(Object.keys(responses), path).toEqual(expect.arrayContaining(['200', '404', '409']));
      expect(Object.keys(responses['200']?.content?.['application/json']?.examples ?? {}), path).not.toEqual([]);
    }
    for (const schema of [RunReproductionSchema, VersionReproductionSchema]) {
      const [example] = (schema as { examples: unknown[] }).examples;
      expect([...Value.Errors(schema, example)].map((e) => `${e.path}: ${e.message}`)).toEqual([]);
    }
  });
});
