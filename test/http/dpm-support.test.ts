/**
 * The DPM supportability API on every backend, through the whole service (createApp + inject): runs
 * list, artifact, lineage, idempotency history, summary, support bundles, gates, route precedence
 * and retention — the behaviours docs/dpm-api.md promises for these routes.
 */
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runArtifactHash } from '../../src/domain/dpm/run-artifact.ts';
import type { RunRecord } from '../../src/stores/dpm-runs/port.ts';
import { freshDatabase } from '../support/postgres.ts';
import { DPM_BACKENDS, forPortfolio, REQUESTS, startApi, type ApiHarness } from '../support/dpm-api.ts';

let open: ApiHarness[] = [];
afterEach(async () => {
  for (const api of open) await api.close();
  open = [];
});

describe.each(DPM_BACKENDS)('DPM supportability API on %s', (backend) => {
  async function start(env: Record<string, string> = {}): Promise<ApiHarness> {
    const api = await startApi(backend, env);
    open.push(api);
    return api;
  }

  it('end to end: simulate → lookup by correlation → support bundle → summary', async () => {
    const api = await start();
    const result = await api.simulate(REQUESTS.READY, { key: 'key-e2e', correlation: 'corr-e2e' });
    const runId = String(result['rebalance_run_id']);
    expect(String(result['lineage'] && (result['lineage'] as Record<string, unknown>)['request_hash'])).toMatch(/^sha256:/);

    const lookup = await api.get('/rebalance/runs/by-correlation/corr-e2e');
    expect(lookup.status).toBe(200);
    expect(lookup.body).toMatchObject({ rebalance_run_id: runId, correlation_id: 'corr-e2e', idempotency_key: 'key-e2e', portfolio_id: 'pf_001', result });

    const bundle = await api.get('/rebalance/runs/by-correlation/corr-e2e/support-bundle');
    expect(bundle.status).toBe(200);
    expect(Object.keys(bundle.body)).toEqual(['run', 'artifact', 'async_operation', 'workflow_history', 'lineage', 'idempotency_history']);
    expect(bundle.body['run']).toEqual(lookup.body);
    expect(bundle.body['artifact']).toMatchObject({ artifact_id: runId.replace('rr_', 'dra_'), rebalance_run_id: runId });
    expect(bundle.body['async_operation']).toBeNull();
    expect(bundle.body['workflow_history']).toEqual({ run_id: runId, decisions: [] });
    const lineage = bundle.body['lineage'] as { entity_id: string; edges: { edge_type: string }[]; next_cursor: null };
    expect(lineage.entity_id).toBe(runId);
    expect(lineage.edges.map((e) => e.edge_type).sort()).toEqual(['CORRELATION_TO_RUN', 'IDEMPOTENCY_TO_RUN']);
    expect(lineage.next_cursor).toBeNull();
    expect(bundle.body['idempotency_history']).toMatchObject({ idempotency_key: 'key-e2e', history: [{ rebalance_run_id: runId, correlation_id: 'corr-e2e' }] });

    const slim = await api.get(`/rebalance/runs/${runId}/support-bundle?include_artifact=false&include_async_operation=false&include_idempotency_history=false`);
    expect(slim.body).toMatchObject({ artifact: null, async_operation: null, idempotency_history: null });
    expect((await api.get(`/rebalance/runs/${runId}/support-bundle?include_artifact=maybe`)).status).toBe(422);

    // One async operation next to the run (its producer is the async API; its record is what the summary counts).
    await api.app.dpmStore.createOperation(
      {
        operation_id: 'dop_summary',
        operation_type: 'ANALYZE_SCENARIOS',
        status: 'PENDING',
        correlation_id: 'corr-op-summary',
        created_at: new Date().toISOString(),
        started_at: null,
        finished_at: null,
        result_json: null,
        error_json: null,
        request_json: { batch_request: {} },
        lease_owner: null,
        lease_expires_at: null,
        attempts: 0,
      },
      [
        {
          edge_id: 'dle_op_summary',
          source_entity_id: 'dop_summary',
          edge_type: 'OPERATION_TO_CORRELATION',
          target_entity_id: 'corr-op-summary',
          created_at: new Date().toISOString(),
          metadata_json: { operation_type: 'ANALYZE_SCENARIOS' },
        },
      ],
    );
    const summary = await api.get('/rebalance/supportability/summary');
    expect(summary.status).toBe(200);
    expect(summary.body).toMatchObject({
      store_backend: backend,
      retention_days: 0,
      run_count: 1,
      operation_count: 1,
      run_status_counts: { READY: 1 },
      operation_status_counts: { PENDING: 1 },
      workflow_decision_count: 0,
      workflow_action_counts: {},
      workflow_reason_code_counts: {},
      lineage_edge_count: 3,
    });
    expect(summary.body['oldest_run_created_at']).toBe(lookup.body['created_at']);
    expect(summary.body['newest_run_created_at']).toBe(lookup.body['created_at']);
  });

  it('run lookups by id, request hash and key; the artifact is stable and hashed from the stored run', async () => {
    const api = await start();
    const result = await api.simulate(REQUESTS.READY, { key: 'key-art' });
    const runId = String(result['rebalance_run_id']);
    const requestHash = String((result['lineage'] as Record<string, unknown>)['request_hash']);
    expect((await api.get(`/rebalance/runs/${runId}`)).body).toMatchObject({ rebalance_run_id: runId, request_hash: requestHash });
    expect((await api.get(`/rebalance/runs/by-request-hash/${encodeURIComponent(requestHash)}`)).body).toMatchObject({ rebalance_run_id: runId });
    expect((await api.get('/rebalance/runs/idempotency/key-art')).body).toMatchObject({ idempotency_key: 'key-art', request_hash: requestHash, rebalance_run_id: runId });

    const first = await api.get(`/rebalance/runs/${runId}/artifact`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      artifact_id: runId.replace('rr_', 'dra_'),
      artifact_version: '1.0',
      status: 'READY',
      request_snapshot: { portfolio_id: 'pf_001', request_hash: requestHash },
      order_intents: result['intents'],
      rule_outcomes: result['rule_results'],
      result,
      // The build that computed the run: package version and, in a git checkout, the commit.
      evidence: { engine_version: expect.stringMatching(/^\d+\.\d+\.\d+(\+[0-9a-f]{40})?$/), hashes: { request_hash: requestHash } },
    });
    expect((first.body['evidence'] as { engine_version: string }).engine_version).toBe((result['lineage'] as { engine_version: string }).engine_version);
    const hash = (first.body['evidence'] as { hashes: { artifact_hash: string } }).hashes.artifact_hash;
    expect(hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(runArtifactHash(first.body)).toBe(hash);
    expect((await api.get(`/rebalance/runs/${runId}/artifact`)).body).toEqual(first.body);

    expect((await api.get('/rebalance/runs/rr_missing/artifact')).body).toMatchObject({ detail: 'DPM_RUN_NOT_FOUND' });
    expect((await api.get('/rebalance/runs/rr_missing')).status).toBe(404);
    expect((await api.get('/rebalance/runs/idempotency/nope')).body).toMatchObject({ detail: 'DPM_IDEMPOTENCY_KEY_NOT_FOUND' });
  });

  it('PERSISTED artifacts are stored with the run and served from the store', async () => {
    const api = await start({ DPM_ARTIFACT_STORE_MODE: 'PERSISTED' });
    const result = await api.simulate(REQUESTS.READY, { key: 'key-persisted' });
    const runId = String(result['rebalance_run_id']);
    const stored = await api.app.dpmStore.getArtifact(runId);
    expect(stored).toMatchObject({ artifact_id: runId.replace('rr_', 'dra_') });
    const served = await api.get(`/rebalance/runs/${runId}/artifact`);
    expect(served.body).toEqual(stored);
  });

  it('lists runs newest first with filters, inclusive instant bounds, pages and cursors', async () => {
    const api = await start();
    const ready = await api.simulate(forPortfolio(REQUESTS.READY, 'pf_list_a'), { key: 'list-1' });
    const review = await api.simulate(forPortfolio(REQUESTS.PENDING_REVIEW, 'pf_list_b'), { key: 'list-2' });
    const blocked = await api.simulate(forPortfolio(REQUESTS.BLOCKED, 'pf_list_b'), { key: 'list-3' });
    const ids = [ready, review, blocked].map((r) => String(r['rebalance_run_id']));

    const all = await api.get('/rebalance/runs');
    expect(all.status).toBe(200);
    const items = all.body['items'] as { rebalance_run_id: string; created_at: string; status: string }[];
    expect(items.map((i) => i.rebalance_run_id).sort()).toEqual([...ids].sort());
    expect(Object.keys(items[0] ?? {})).toEqual(['rebalance_run_id', 'correlation_id', 'request_hash', 'idempotency_key', 'portfolio_id', 'status', 'created_at']);
    const order = items.map((i) => `${i.created_at}|${i.rebalance_run_id}`);
    expect(order).toEqual([...order].sort().reverse());
    expect(all.body['next_cursor']).toBeNull();

    const ids_of = (body: Record<string, unknown>) => (body['items'] as { rebalance_run_id: string }[]).map((i) => i.rebalance_run_id);
    expect(ids_of((await api.get('/rebalance/runs?status=PENDING_REVIEW')).body)).toEqual([ids[1]]);
    expect(ids_of((await api.get('/rebalance/runs?portfolio_id=pf_list_b')).body).sort()).toEqual([ids[1], ids[2]].sort());
    const hash = String((blocked['lineage'] as Record<string, unknown>)['request_hash']);
    expect(ids_of((await api.get(`/rebalance/runs?request_hash=${encodeURIComponent(hash)}`)).body)).toEqual([ids[2]]);

    const page1 = await api.get('/rebalance/runs?limit=1');
    expect(page1.body['next_cursor']).toEqual(expect.any(String));
    const page2 = await api.get(`/rebalance/runs?limit=1&cursor=${encodeURIComponent(String(page1.body['next_cursor']))}`);
    expect(ids_of(page2.body)).toHaveLength(1);
    expect(ids_of(page2.body)[0]).not.toBe(ids_of(page1.body)[0]);

    // Bounds are inclusive and compared as instants: the same moment written with +08:00 matches.
    const newest = items[0] as { created_at: string; rebalance_run_id: string };
    const instant = new Date(newest.created_at);
    const plus8 = new Date(instant.getTime() + 8 * 3_600_000).toISOString().replace('Z', '+08:00');
    const bounded = await api.get(`/rebalance/runs?from=${encodeURIComponent(plus8)}&to=${encodeURIComponent(newest.created_at)}`);
    expect(ids_of(bounded.body)).toContain(newest.rebalance_run_id);
    const before = new Date(instant.getTime() - 1).toISOString();
    expect(ids_of((await api.get(`/rebalance/runs?to=${encodeURIComponent(before)}`)).body)).not.toContain(newest.rebalance_run_id);

    // Our cursors are checksummed: an edited one is an error, not a silent empty page.
    const invalid = await api.get('/rebalance/runs?cursor=rr_not_a_cursor');
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ detail: 'DPM_SUPPORTABILITY_INVALID_CURSOR' });
    for (const query of ['limit=0', 'limit=201', 'limit=abc', 'from=2026-02-21T00:00:00', 'to=2026-02-30T00:00:00Z', 'from=yesterday']) {
      const response = await api.get(`/rebalance/runs?${query}`);
      expect(response.status, query).toBe(422);
      expect(response.body['errors'], query).toEqual([expect.objectContaining({ field: expect.stringMatching(/^query\.(limit|from|to)$/) })]);
    }
  });

  it('lineage of a correlation, a key and a run, with type filter, pages and unknown entities', async () => {
    const api = await start();
    const result = await api.simulate(REQUESTS.READY, { key: 'key-lineage', correlation: 'corr-lineage' });
    const runId = String(result['rebalance_run_id']);
    const edges = async (url: string) => (await api.get(url)).body['edges'] as { edge_type: string; source_entity_id: string; target_entity_id: string; metadata: unknown }[];

    expect(await edges('/rebalance/lineage/corr-lineage')).toEqual([
      expect.objectContaining({ source_entity_id: 'corr-lineage', edge_type: 'CORRELATION_TO_RUN', target_entity_id: runId }),
    ]);
    const keyEdges = await edges('/rebalance/lineage/key-lineage');
    expect(keyEdges).toEqual([expect.objectContaining({ edge_type: 'IDEMPOTENCY_TO_RUN', target_entity_id: runId })]);
    expect(Object.keys(keyEdges[0] ?? {})).toEqual(['source_entity_id', 'edge_type', 'target_entity_id', 'created_at', 'metadata']);
    expect(await edges(`/rebalance/lineage/${runId}`)).toHaveLength(2);
    expect(await edges(`/rebalance/lineage/${runId}?edge_type=IDEMPOTENCY_TO_RUN`)).toHaveLength(1);
    expect(await edges(`/rebalance/lineage/${runId}?edge_type=NO_SUCH_TYPE`)).toEqual([]);

    const page1 = await api.get(`/rebalance/lineage/${runId}?limit=1`);
    const page2 = await api.get(`/rebalance/lineage/${runId}?limit=1&cursor=${encodeURIComponent(String(page1.body['next_cursor']))}`);
    expect((page2.body['edges'] as unknown[]).length).toBe(1);
    expect(page2.body['edges']).not.toEqual(page1.body['edges']);
    expect(page2.body['next_cursor']).toBeNull();

    expect((await api.get('/rebalance/lineage/never-seen')).body).toEqual({ entity_id: 'never-seen', edges: [], next_cursor: null });
    expect((await api.get(`/rebalance/lineage/${runId}?limit=500`)).status).toBe(422);
    expect((await api.get(`/rebalance/lineage/${runId}?from=2026-01-01`)).status).toBe(422);
  });

  it('a key whose run was purged after it was answered is computed and recorded anew, also by the process that answered it', async () => {
    const api = await start();
    const first = await api.simulate(REQUESTS.READY, { key: 'key-purged' });
    expect((await api.simulate(REQUESTS.READY, { key: 'key-purged' }))['rebalance_run_id']).toBe(first['rebalance_run_id']);
    expect(await api.app.dpmStore.purgeRunsBefore(new Date(Date.now() + 60_000).toISOString())).toBe(1);
    const again = await api.simulate(REQUESTS.READY, { key: 'key-purged' });
    expect(again['rebalance_run_id']).not.toBe(first['rebalance_run_id']);
    expect((await api.get(`/rebalance/runs/${String(again['rebalance_run_id'])}`)).status).toBe(200);
  });

  it('idempotency history keeps every attempt with the key, oldest first', async () => {
    const api = await start();
    const first = await api.simulate(REQUESTS.READY, { key: 'key-history', correlation: 'corr-h1' });
    const replay = await api.simulate(REQUESTS.READY, { key: 'key-history', correlation: 'corr-h2' });
    expect(replay['rebalance_run_id']).toBe(first['rebalance_run_id']);
    const history = await api.get('/rebalance/idempotency/key-history/history');
    expect(history.status).toBe(200);
    expect(history.body).toMatchObject({
      idempotency_key: 'key-history',
      history: [
        { rebalance_run_id: first['rebalance_run_id'], correlation_id: 'corr-h1' },
        { rebalance_run_id: first['rebalance_run_id'], correlation_id: 'corr-h2' },
      ],
    });
    expect((await api.get('/rebalance/idempotency/unknown-key/history')).body).toMatchObject({ detail: 'DPM_IDEMPOTENCY_KEY_NOT_FOUND' });

    // Replay disabled: every call is a new run; the mapping follows the newest, the history has both.
    const noReplay = await start({ DPM_IDEMPOTENCY_REPLAY_ENABLED: 'false' });
    const a = await noReplay.simulate(REQUESTS.READY, { key: 'k' });
    const b = await noReplay.simulate(REQUESTS.READY, { key: 'k' });
    expect(a['rebalance_run_id']).not.toBe(b['rebalance_run_id']);
    expect((await noReplay.get('/rebalance/runs/idempotency/k')).body['rebalance_run_id']).toBe(b['rebalance_run_id']);
    expect(((await noReplay.get('/rebalance/idempotency/k/history')).body['history'] as unknown[]).length).toBe(2);
  });

  it('support bundles by key, by run and by operation (OPERATION_TO_RUN edges, else the exact correlation id)', async () => {
    const api = await start();
    const store = api.app.dpmStore;
    const now = new Date().toISOString();
    const operation = (id: string, correlation: string) =>
      store.createOperation(
        {
          operation_id: id,
          operation_type: 'ANALYZE_SCENARIOS',
          status: 'SUCCEEDED',
          correlation_id: correlation,
          created_at: now,
          started_at: now,
          finished_at: now,
          result_json: { batch_run_id: 'batch_1' },
          error_json: null,
          request_json: { batch_request: {} },
          lease_owner: null,
          lease_expires_at: null,
          attempts: 0,
        },
        [],
      );
    const scenarioRun = (id: string, correlation: string, createdAt: string): RunRecord => ({
      rebalance_run_id: id,
      correlation_id: correlation,
      request_hash: `batch_1:${id}`,
      idempotency_key: null,
      portfolio_id: 'pf_001',
      status: 'READY',
      created_at: createdAt,
      result_json: { rebalance_run_id: id, status: 'READY' },
    });
    // An analyze operation recorded two scenario runs, linked operation → run.
    await operation('dop_linked', 'corr-op');
    for (const [id, at] of [['rr_scen_a', '2026-02-21T10:00:00.000Z'], ['rr_scen_b', '2026-02-21T10:00:01.000Z']] as const) {
      await store.recordRun({
        run: scenarioRun(id, `corr-op:${id}`, at),
        replay: true,
        lineage: [{ edge_id: `dle_${id}`, source_entity_id: 'dop_linked', edge_type: 'OPERATION_TO_RUN', target_entity_id: id, created_at: at, metadata_json: {} }],
      });
    }
    const byOperation = await api.get('/rebalance/runs/by-operation/dop_linked/support-bundle');
    expect(byOperation.status).toBe(200);
    expect(byOperation.body['run']).toMatchObject({ rebalance_run_id: 'rr_scen_b' });
    expect(byOperation.body['async_operation']).toMatchObject({ operation_id: 'dop_linked', status: 'SUCCEEDED', is_executable: false, result: { batch_run_id: 'batch_1' }, error: null });
    expect(byOperation.body['idempotency_history']).toBeNull();
    // The run's own bundle finds its operation through the same edge.
    expect((await api.get('/rebalance/runs/rr_scen_a/support-bundle')).body['async_operation']).toMatchObject({ operation_id: 'dop_linked' });

    // Without edges: the run with the operation's exact correlation id.
    await operation('dop_plain', 'corr-plain');
    const plain = await api.simulate(REQUESTS.READY, { key: 'key-plain', correlation: 'corr-plain' });
    const byPlain = await api.get('/rebalance/runs/by-operation/dop_plain/support-bundle');
    expect(byPlain.body['run']).toMatchObject({ rebalance_run_id: plain['rebalance_run_id'] });
    expect(byPlain.body['async_operation']).toMatchObject({ operation_id: 'dop_plain' });

    const byKey = await api.get('/rebalance/runs/idempotency/key-plain/support-bundle');
    expect(byKey.body['run']).toMatchObject({ rebalance_run_id: plain['rebalance_run_id'] });
    expect(byKey.body['idempotency_history']).toMatchObject({ idempotency_key: 'key-plain', history: [{ rebalance_run_id: plain['rebalance_run_id'] }] });

    await operation('dop_no_runs', 'corr-nothing');
    expect((await api.get('/rebalance/runs/by-operation/dop_no_runs/support-bundle')).body).toMatchObject({ detail: 'DPM_RUN_NOT_FOUND' });
    expect((await api.get('/rebalance/runs/by-operation/dop_missing/support-bundle')).body).toMatchObject({ detail: 'DPM_ASYNC_OPERATION_NOT_FOUND' });
    expect((await api.get('/rebalance/runs/idempotency/nope/support-bundle')).body).toMatchObject({ detail: 'DPM_IDEMPOTENCY_KEY_NOT_FOUND' });
    expect((await api.get('/rebalance/runs/by-correlation/nope/support-bundle')).body).toMatchObject({ detail: 'DPM_RUN_NOT_FOUND' });
    expect((await api.get('/rebalance/runs/rr_nope/support-bundle')).body).toMatchObject({ detail: 'DPM_RUN_NOT_FOUND' });
  });

  it('fixed path segments win over run ids: by-correlation/artifact is a correlation lookup', async () => {
    const api = await start();
    const result = await api.simulate(REQUESTS.READY, { key: 'key-route', correlation: 'artifact' });
    const lookup = await api.get('/rebalance/runs/by-correlation/artifact');
    expect(lookup.body).toMatchObject({ rebalance_run_id: result['rebalance_run_id'], correlation_id: 'artifact' });
    expect(lookup.body).not.toHaveProperty('artifact_id');
    expect((await api.get('/rebalance/runs/by-correlation/support-bundle')).body).toMatchObject({ detail: 'DPM_RUN_NOT_FOUND' });
  });

  it('every gate answers 404 with its code, SUPPORT first, before validation and the store', async () => {
    const api = await start({ DPM_SUPPORT_APIS_ENABLED: 'false' });
    const supportRoutes = [
      '/rebalance/runs',
      '/rebalance/runs/rr_x',
      '/rebalance/runs/rr_x/artifact',
      '/rebalance/lineage/rr_x',
      '/rebalance/idempotency/k/history',
      '/rebalance/supportability/summary',
      '/rebalance/runs/rr_x/support-bundle',
      '/rebalance/runs/by-correlation/c/support-bundle',
      '/rebalance/runs/idempotency/k/support-bundle',
      '/rebalance/runs/by-operation/o/support-bundle',
      '/rebalance/runs/rr_x/workflow',
      '/rebalance/workflow/decisions',
    ];
    for (const url of supportRoutes) expect((await api.get(url)).body, url).toMatchObject({ detail: 'DPM_SUPPORT_APIS_DISABLED' });
    // A switched-off route is as if absent: a malformed request to it is a 404 too.
    expect((await api.get('/rebalance/runs?limit=0')).body).toMatchObject({ detail: 'DPM_SUPPORT_APIS_DISABLED' });
    // Recording is never gated.
    await api.simulate(REQUESTS.READY, { key: 'gated' });

    const features = await start({
      DPM_ARTIFACTS_ENABLED: 'false',
      DPM_LINEAGE_APIS_ENABLED: 'false',
      DPM_IDEMPOTENCY_HISTORY_APIS_ENABLED: 'false',
      DPM_SUPPORTABILITY_SUMMARY_APIS_ENABLED: 'false',
      DPM_SUPPORT_BUNDLE_APIS_ENABLED: 'false',
      DPM_WORKFLOW_ENABLED: 'false',
    });
    const expected: [string, string][] = [
      ['/rebalance/runs/rr_x/artifact', 'DPM_ARTIFACTS_DISABLED'],
      ['/rebalance/lineage/rr_x', 'DPM_LINEAGE_APIS_DISABLED'],
      ['/rebalance/idempotency/k/history', 'DPM_IDEMPOTENCY_HISTORY_APIS_DISABLED'],
      ['/rebalance/supportability/summary', 'DPM_SUPPORTABILITY_SUMMARY_APIS_DISABLED'],
      ['/rebalance/runs/rr_x/support-bundle', 'DPM_SUPPORT_BUNDLE_APIS_DISABLED'],
      ['/rebalance/runs/by-correlation/c/support-bundle', 'DPM_SUPPORT_BUNDLE_APIS_DISABLED'],
      ['/rebalance/runs/idempotency/k/support-bundle', 'DPM_SUPPORT_BUNDLE_APIS_DISABLED'],
      ['/rebalance/runs/by-operation/o/support-bundle', 'DPM_SUPPORT_BUNDLE_APIS_DISABLED'],
      ['/rebalance/runs/rr_x/workflow', 'DPM_WORKFLOW_DISABLED'],
    ];
    for (const [url, code] of expected) {
      const response = await features.get(url);
      expect(response.status, url).toBe(404);
      expect(response.body, url).toMatchObject({ detail: code });
    }
    // The list and lookups need only SUPPORT.
    expect((await features.get('/rebalance/runs')).status).toBe(200);
  });

  it('retention purges an old run with its key and history on the schedule; fresh runs stay', async () => {
    const api = await start({ DPM_SUPPORTABILITY_RETENTION_DAYS: '1', DPM_SUPPORTABILITY_PURGE_INTERVAL_MS: '100' });
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000).toISOString();
    await api.app.dpmStore.recordRun({
      run: {
        rebalance_run_id: 'rr_old',
        correlation_id: 'corr-old',
        request_hash: 'sha256:old',
        idempotency_key: 'key-old',
        portfolio_id: 'pf_001',
        status: 'READY',
        created_at: twoDaysAgo,
        result_json: { rebalance_run_id: 'rr_old', status: 'READY' },
      },
      replay: true,
      lineage: [{ edge_id: 'dle_old', source_entity_id: 'corr-old', edge_type: 'CORRELATION_TO_RUN', target_entity_id: 'rr_old', created_at: twoDaysAgo, metadata_json: {} }],
    });
    const fresh = await api.simulate(REQUESTS.READY, { key: 'key-fresh' });

    await vi.waitFor(async () => expect((await api.get('/rebalance/runs/rr_old')).status).toBe(404), { timeout: 20_000, interval: 100 });
    expect((await api.get('/rebalance/runs/idempotency/key-old')).body).toMatchObject({ detail: 'DPM_IDEMPOTENCY_KEY_NOT_FOUND' });
    expect((await api.get('/rebalance/idempotency/key-old/history')).body).toMatchObject({ detail: 'DPM_IDEMPOTENCY_KEY_NOT_FOUND' });
    expect((await api.get('/rebalance/lineage/corr-old')).body['edges']).toEqual([]);
    const listed = (await api.get('/rebalance/runs')).body['items'] as { rebalance_run_id: string }[];
    expect(listed.map((r) => r.rebalance_run_id)).toEqual([fresh['rebalance_run_id']]);
    expect((await api.get('/rebalance/supportability/summary')).body).toMatchObject({ retention_days: 1, run_count: 1 });
  });
});

/** A TCP relay to the test server that can be cut, so PostgreSQL "goes away" for this app only. */
async function cuttableRelay(target: URL): Promise<{ port: number; cut(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const [port, host] = [Number(target.port), target.hostname];
  const server = createServer((client) => {
    const upstream = connect(port, host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    async cut() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

describe('DPM supportability API while PostgreSQL is gone', () => {
  it('a disabled route still answers 404 with its code; an enabled one answers 503 with the store code', async () => {
    const database = await freshDatabase();
    const relay = await cuttableRelay(new URL(database.dsn));
    const dsn = new URL(database.dsn);
    dsn.host = `127.0.0.1:${relay.port}`;
    const api = await startApi('POSTGRES', { DPM_LINEAGE_APIS_ENABLED: 'false' }, { ...database, dsn: dsn.toString() });
    try {
      expect((await api.get('/rebalance/runs')).status).toBe(200);
      await relay.cut();
      const disabled = await api.get('/rebalance/lineage/anything');
      expect(disabled.status).toBe(404);
      expect(disabled.body).toMatchObject({ detail: 'DPM_LINEAGE_APIS_DISABLED' });
      const enabled = await api.get('/rebalance/runs');
      expect(enabled.status).toBe(503);
      expect(enabled.body).toMatchObject({ detail: 'DPM_SUPPORTABILITY_POSTGRES_UNAVAILABLE' });
      expect(JSON.stringify(enabled.body)).not.toContain(`${dsn.username}:${dsn.password}@`);
    } finally {
      await api.close();
      await database.drop();
    }
  });
});

describe('DPM supportability OpenAPI', () => {
  it('documents every supportability and workflow route with a 200 schema and an example', async () => {
    const api = await startApi('IN_MEMORY');
    open.push(api);
    type Schema = { $ref?: string; example?: unknown; examples?: unknown };
    type Media = { example?: unknown; examples?: unknown; schema?: Schema };
    type Operation = { responses: Record<string, { content?: Record<string, Media> }> };
    const doc = (await api.get('/openapi.json')).body as { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };
    const resolved = (schema: Schema | undefined): Schema | undefined => (schema?.$ref ? doc.components.schemas[schema.$ref.split('/').at(-1) ?? ''] : schema);
    const routes: [string, string][] = [
      ['get', '/rebalance/runs'],
      ['get', '/rebalance/runs/{rebalance_run_id}/artifact'],
      ['get', '/rebalance/lineage/{entity_id}'],
      ['get', '/rebalance/idempotency/{idempotency_key}/history'],
      ['get', '/rebalance/supportability/summary'],
      ['get', '/rebalance/runs/{rebalance_run_id}/support-bundle'],
      ['get', '/rebalance/runs/by-correlation/{correlation_id}/support-bundle'],
      ['get', '/rebalance/runs/idempotency/{idempotency_key}/support-bundle'],
      ['get', '/rebalance/runs/by-operation/{operation_id}/support-bundle'],
      ...['/rebalance/runs/{rebalance_run_id}', '/rebalance/runs/by-correlation/{correlation_id}', '/rebalance/runs/idempotency/{idempotency_key}'].flatMap(
        (prefix): [string, string][] => [
          ['get', `${prefix}/workflow`],
          ['post', `${prefix}/workflow/actions`],
          ['get', `${prefix}/workflow/history`],
        ],
      ),
      ['get', '/rebalance/workflow/decisions'],
      ['get', '/rebalance/workflow/decisions/by-correlation/{correlation_id}'],
    ];
    for (const [method, path] of routes) {
      const media = doc.paths[path]?.[method]?.responses['200']?.content?.['application/json'];
      expect(media?.schema, `${method} ${path}`).toBeDefined();
      expect(media?.example ?? media?.examples ?? resolved(media?.schema)?.examples, `${method} ${path} example`).toBeDefined();
    }
  });
});
