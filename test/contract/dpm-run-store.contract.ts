/**
 * The behaviour every DPM supportability backend must show. Run unchanged against IN_MEMORY,
 * SQLITE and POSTGRES by dpm-run-store.test.ts: a difference between backends is a bug.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AsyncOperation, DpmRunStore, LineageEdge, RunInputs, RunRecord } from '../../src/stores/dpm-runs/port.ts';

export interface StoreHandle {
  readonly store: DpmRunStore;
  /** Whether data outlives the process (SQLITE file, POSTGRES) or not (IN_MEMORY). */
  readonly durable: boolean;
  /** Closes the store and opens the same location again (a process restart). */
  reopen(): Promise<DpmRunStore>;
  /** The readiness probe of the opened store. */
  check(): Promise<{ ready: boolean; code?: string }>;
  close(): Promise<void>;
}

const T0 = Date.parse('2026-03-01T09:00:00.000Z');
const at = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();

function run(id: string, overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    rebalance_run_id: id,
    correlation_id: `corr_${id}`,
    request_hash: `sha256:${id}`,
    idempotency_key: null,
    portfolio_id: 'pf_1',
    status: 'READY',
    created_at: at(0),
    result_json: { rebalance_run_id: id, status: overrides.status ?? 'READY', amount: '1234.5600' },
    ...overrides,
  };
}

/** What `recordRun` answers for a run it wrote or replayed: the run and its result's stored text. */
const answered = (outcome: 'recorded' | 'replayed', recorded: RunRecord) => ({ outcome, run: recorded, resultText: JSON.stringify(recorded.result_json) });

function edge(id: string, source: string, target: string, createdAt = at(0), type = 'RUN_TO_CORRELATION'): LineageEdge {
  return { edge_id: id, source_entity_id: source, edge_type: type, target_entity_id: target, created_at: createdAt, metadata_json: { n: id } };
}

function operation(id: string, overrides: Partial<AsyncOperation> = {}): AsyncOperation {
  return {
    operation_id: id,
    operation_type: 'ANALYZE_SCENARIOS',
    status: 'PENDING',
    correlation_id: `corr_${id}`,
    created_at: at(0),
    started_at: null,
    finished_at: null,
    result_json: null,
    error_json: null,
    request_json: { batch_request: { scenarios: {} } },
    lease_owner: null,
    lease_expires_at: null,
    attempts: 0,
    ...overrides,
  };
}

async function allPages<T>(fetch: (cursor?: string) => Promise<{ items: readonly T[]; nextCursor: string | null }>): Promise<T[][]> {
  const pages: T[][] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await fetch(cursor);
    pages.push([...page.items]);
    if (!page.nextCursor) return pages;
    cursor = page.nextCursor;
  }
}

export function dpmRunStoreContract(backend: string, open: () => Promise<StoreHandle>): void {
  describe(`DPM supportability store contract: ${backend}`, () => {
    let handle: StoreHandle;
    let store: DpmRunStore;

    beforeEach(async () => {
      handle = await open();
      store = handle.store;
    });

    afterEach(async () => {
      await handle.close();
    });

    it('records a run with its lineage and finds it by id, correlation and request hash', async () => {
      const outcome = await store.recordRun({ run: run('rr_1'), lineage: [edge('e1', 'rr_1', 'corr_rr_1')], replay: true });
      expect(outcome).toEqual(answered('recorded', run('rr_1')));
      expect(await store.getRun('rr_1')).toEqual(run('rr_1'));
      expect(await store.getRunByCorrelation('corr_rr_1')).toEqual(run('rr_1'));
      expect(await store.getRunByRequestHash('sha256:rr_1')).toEqual(run('rr_1'));
      expect((await store.listLineageEdges('rr_1', { limit: 10 })).items).toEqual([edge('e1', 'rr_1', 'corr_rr_1')]);
      expect(await store.getRun('rr_missing')).toBeNull();
      expect(await store.getRunByCorrelation('nope')).toBeNull();
      expect(await store.getRunByIdempotencyKey('nope')).toBeNull();
    });

    it('several runs may share a correlation id and a request hash; lookups return the latest', async () => {
      await store.recordRun({ run: run('rr_a', { correlation_id: 'c', request_hash: 'h', created_at: at(1) }), lineage: [], replay: true });
      await store.recordRun({ run: run('rr_b', { correlation_id: 'c', request_hash: 'h', created_at: at(2) }), lineage: [], replay: true });
      expect((await store.getRunByCorrelation('c'))?.rebalance_run_id).toBe('rr_b');
      expect((await store.getRunByRequestHash('h'))?.rebalance_run_id).toBe('rr_b');
    });

    it('idempotency: same key and hash replays the stored run, another hash conflicts, history keeps every attempt', async () => {
      const first = run('rr_1', { idempotency_key: 'key-1' });
      expect((await store.recordRun({ run: first, lineage: [], replay: true })).outcome).toBe('recorded');
      const retry = await store.recordRun({ run: run('rr_2', { idempotency_key: 'key-1', request_hash: first.request_hash, created_at: at(5), correlation_id: 'corr_retry' }), lineage: [], replay: true });
      expect(retry).toEqual(answered('replayed', first));
      const conflict = await store.recordRun({ run: run('rr_3', { idempotency_key: 'key-1', request_hash: 'sha256:other' }), lineage: [], replay: true });
      expect(conflict).toEqual({ outcome: 'conflict', existingRequestHash: first.request_hash, existingRunId: 'rr_1' });
      expect(await store.getRun('rr_2')).toBeNull();
      expect(await store.getRun('rr_3')).toBeNull();
      expect(await store.getIdempotencyMapping('key-1')).toEqual({ idempotency_key: 'key-1', request_hash: first.request_hash, rebalance_run_id: 'rr_1', created_at: at(0) });
      expect(await store.getRunByIdempotencyKey('key-1')).toEqual(first);
      expect((await store.listIdempotencyHistory('key-1')).map((h) => [h.rebalance_run_id, h.correlation_id])).toEqual([
        ['rr_1', 'corr_rr_1'],
        ['rr_1', 'corr_retry'],
      ]);
      expect(await store.listIdempotencyHistory('none')).toEqual([]);
    });

    it('a replay answers the result text the first call stored, byte for byte (key order as written, no re-serialisation)', async () => {
      // Keys out of sorted order and a nested object: a store that reordered keys (jsonb) or re-serialised would differ.
      const result = { z_last_key_first: 1, a: { y: '0.10', b: [1, 'two'] }, status: 'READY' };
      const text = JSON.stringify(result);
      const first = run('rr_text', { idempotency_key: 'key-text', result_json: result });
      expect(await store.recordRun({ run: first, lineage: [], replay: true, resultText: text })).toEqual({ outcome: 'recorded', run: first, resultText: text });
      const replay = await store.recordRun({ run: run('rr_text_2', { idempotency_key: 'key-text', request_hash: first.request_hash, created_at: at(9) }), lineage: [], replay: true });
      expect(replay.outcome === 'replayed' ? replay.resultText : replay.outcome).toBe(text);
      expect(replay.outcome === 'replayed' ? replay.run : replay.outcome).toEqual(first);
      expect(await store.getRun('rr_text')).toEqual(first);
    });

    it('replayRun: a key mapped to the hash appends the history entry and answers the stored run and text; otherwise nothing is written', async () => {
      const result = { z_last_key_first: 1, status: 'READY' };
      const text = JSON.stringify(result);
      const first = run('rr_1', { idempotency_key: 'key-r', result_json: result });
      const hash = `${first.request_hash};policy_pack=a`;
      const entry = (correlation: string) => ({ idempotency_key: 'key-r', correlation_id: correlation, request_hash: first.request_hash, created_at: at(7) });
      expect(await store.replayRun(entry('corr_early'), hash)).toBeNull();
      await store.recordRun({ run: first, lineage: [], replay: true, resultText: text, idempotencyHash: hash });
      expect(await store.replayRun(entry('corr_other'), first.request_hash)).toBeNull();
      const replayed = await store.replayRun(entry('corr_retry'), hash);
      expect(replayed?.resultText).toBe(text);
      expect(replayed?.run).toEqual(first);
      expect(await store.listIdempotencyHistory('key-r')).toEqual([
        { idempotency_key: 'key-r', rebalance_run_id: 'rr_1', correlation_id: 'corr_rr_1', request_hash: first.request_hash, created_at: at(0) },
        { idempotency_key: 'key-r', rebalance_run_id: 'rr_1', correlation_id: 'corr_retry', request_hash: first.request_hash, created_at: at(7) },
      ]);
    });

    it('idempotencyHash: the key compares and stores it instead of the request hash, the run keeps its request hash', async () => {
      const first = run('rr_1', { idempotency_key: 'key-p' });
      await store.recordRun({ run: first, lineage: [], replay: true, idempotencyHash: `${first.request_hash};policy_pack=a` });
      expect(await store.getRun('rr_1')).toEqual(first);
      expect((await store.getIdempotencyMapping('key-p'))?.request_hash).toBe(`${first.request_hash};policy_pack=a`);
      const samePack = await store.recordRun({ run: run('rr_2', { idempotency_key: 'key-p', request_hash: first.request_hash }), lineage: [], replay: true, idempotencyHash: `${first.request_hash};policy_pack=a` });
      expect(samePack.outcome).toBe('replayed');
      const otherPack = await store.recordRun({ run: run('rr_3', { idempotency_key: 'key-p', request_hash: first.request_hash }), lineage: [], replay: true, idempotencyHash: `${first.request_hash};policy_pack=b` });
      expect(otherPack).toEqual({ outcome: 'conflict', existingRequestHash: `${first.request_hash};policy_pack=a`, existingRunId: 'rr_1' });
      const noPack = await store.recordRun({ run: run('rr_4', { idempotency_key: 'key-p', request_hash: first.request_hash }), lineage: [], replay: true });
      expect(noPack.outcome).toBe('conflict');
    });

    it('with replay off every call records a new run (no conflict check) and the mapping follows the latest', async () => {
      await store.recordRun({ run: run('rr_1', { idempotency_key: 'k' }), lineage: [], replay: false });
      const second = await store.recordRun({ run: run('rr_2', { idempotency_key: 'k', request_hash: 'sha256:rr_1', created_at: at(3) }), lineage: [], replay: false });
      expect(second.outcome).toBe('recorded');
      const third = await store.recordRun({ run: run('rr_3', { idempotency_key: 'k', request_hash: 'sha256:changed', created_at: at(4) }), lineage: [], replay: false });
      expect(third).toEqual(answered('recorded', run('rr_3', { idempotency_key: 'k', request_hash: 'sha256:changed', created_at: at(4) })));
      expect(await store.getIdempotencyMapping('k')).toEqual({ idempotency_key: 'k', request_hash: 'sha256:changed', rebalance_run_id: 'rr_3', created_at: at(4) });
      expect((await store.listIdempotencyHistory('k')).map((h) => h.rebalance_run_id)).toEqual(['rr_1', 'rr_2', 'rr_3']);
      // Turning replay back on replays the latest mapping.
      const replayed = await store.recordRun({ run: run('rr_4', { idempotency_key: 'k', request_hash: 'sha256:changed', created_at: at(5) }), lineage: [], replay: true });
      expect(replayed.outcome === 'replayed' ? replayed.run.rebalance_run_id : replayed.outcome).toBe('rr_3');
    });

    it('keeps the inputs of a run on every write path, the request text byte for byte; a run recorded without them has none', async () => {
      // Canonical JSON: sorted keys, no spaces, non-ASCII escaped — stored and returned exactly.
      const inputs = (n: number): RunInputs => ({
        request_canonical: `{"options":{"max_turnover_pct":"0.${n}"},"portfolio_snapshot":{"portfolio_id":"pf_\\u00e9${n}"}}`,
        effective_options_json: { max_turnover_pct: '0.5', group_constraints: { 'sector:TECH': { max_weight: '0.25' } } },
        policy_pack_id: n === 1 ? null : 'pack_a',
        policy_pack_version: n === 1 ? null : 'v2',
        engine_version: `0.1.0+commit${n}`,
      });
      // No key (transaction), a new key (PostgreSQL's one-statement path), a key with replay off (transaction again).
      await store.recordRun({ run: run('rr_1'), lineage: [], replay: true, inputs: inputs(1) });
      await store.recordRun({ run: run('rr_2', { idempotency_key: 'k_inputs' }), lineage: [], replay: true, inputs: inputs(2) });
      await store.recordRun({ run: run('rr_3', { idempotency_key: 'k_inputs' }), lineage: [], replay: false, inputs: inputs(3) });
      await store.recordRun({ run: run('rr_old'), lineage: [], replay: true });
      expect(await store.getRunInputs('rr_1')).toEqual(inputs(1));
      expect(await store.getRunInputs('rr_2')).toEqual(inputs(2));
      expect(await store.getRunInputs('rr_3')).toEqual(inputs(3));
      expect(await store.getRunInputs('rr_old')).toBeNull();
      expect(await store.getRunInputs('rr_missing')).toBeNull();
      // The run itself reads as before.
      expect(await store.getRun('rr_2')).toEqual(run('rr_2', { idempotency_key: 'k_inputs' }));
    });

    it('keeps who requested a run on every write path and in every lookup; a run recorded without one has none', async () => {
      await store.recordRun({ run: run('rr_tx', { requested_by: 'alice' }), lineage: [], replay: true });
      await store.recordRun({ run: run('rr_key', { idempotency_key: 'k_requester', requested_by: 'bob' }), lineage: [], replay: true });
      await store.recordRun({ run: run('rr_anonymous'), lineage: [], replay: true });
      expect(await store.getRun('rr_tx')).toEqual(run('rr_tx', { requested_by: 'alice' }));
      expect(await store.getRunByIdempotencyKey('k_requester')).toEqual(run('rr_key', { idempotency_key: 'k_requester', requested_by: 'bob' }));
      expect(await store.getRunByCorrelation('corr_rr_key')).toMatchObject({ requested_by: 'bob' });
      expect((await store.listRuns({ limit: 10 })).items.find((r) => r.rebalance_run_id === 'rr_tx')?.requested_by).toBe('alice');
      expect(await store.getRun('rr_anonymous')).toEqual(run('rr_anonymous'));
      expect(await store.getRun('rr_anonymous')).not.toHaveProperty('requested_by');
    });

    it('refused attempts: kept per run oldest first, purged with their run', async () => {
      await store.recordRun({ run: run('rr_refused', { requested_by: 'alice' }), lineage: [], replay: true });
      await store.recordRun({ run: run('rr_other'), lineage: [], replay: true });
      const attempt = (id: string, seconds: number, entity = 'rr_refused') => ({
        attempt_id: id,
        entity_id: entity,
        action: 'WORKFLOW:APPROVE',
        actor_id: 'alice',
        reason_code: 'SEGREGATION_OF_DUTIES_VIOLATION',
        attempted_at: at(seconds),
        correlation_id: `corr_${id}`,
        details_json: { authors: ['alice'], workflow_status: 'PENDING_REVIEW' },
      });
      await store.recordRefusedAttempt(attempt('rfa_2', 2));
      await store.recordRefusedAttempt(attempt('rfa_1', 1));
      await store.recordRefusedAttempt(attempt('rfa_x', 1, 'rr_other'));
      expect(await store.listRefusedAttempts('rr_refused')).toEqual([attempt('rfa_1', 1), attempt('rfa_2', 2)]);
      expect(await store.listRefusedAttempts('rr_missing')).toEqual([]);
      await expect(store.recordRefusedAttempt(attempt('rfa_orphan', 3, 'rr_missing'))).rejects.toThrow();
      expect(await store.purgeRunsBefore(at(1))).toBe(2);
      expect(await store.listRefusedAttempts('rr_refused')).toEqual([]);
    });

    it('lists runs newest first with every filter, paging through ties in created_at', async () => {
      for (let i = 0; i < 7; i += 1) {
        await store.recordRun({
          run: run(`rr_${i}`, { created_at: at(i < 5 ? 10 : 20 + i), status: i % 2 === 0 ? 'READY' : 'BLOCKED', portfolio_id: i < 3 ? 'pf_a' : 'pf_b' }),
          lineage: [],
          replay: true,
        });
      }
      const pages = await allPages((cursor) => store.listRuns({ limit: 2, cursor }));
      expect(pages.map((p) => p.map((r) => r.rebalance_run_id))).toEqual([['rr_6', 'rr_5'], ['rr_4', 'rr_3'], ['rr_2', 'rr_1'], ['rr_0']]);
      const ids = async (filter: Parameters<DpmRunStore['listRuns']>[0]) => (await store.listRuns(filter)).items.map((r) => r.rebalance_run_id);
      expect(await ids({ limit: 10, status: 'BLOCKED' })).toEqual(['rr_5', 'rr_3', 'rr_1']);
      expect(await ids({ limit: 10, portfolio_id: 'pf_a' })).toEqual(['rr_2', 'rr_1', 'rr_0']);
      expect(await ids({ limit: 10, request_hash: 'sha256:rr_4' })).toEqual(['rr_4']);
      expect(await ids({ limit: 10, created_from: at(20), created_to: at(25) })).toEqual(['rr_5']);
      expect(await ids({ limit: 10, created_to: at(10) })).toHaveLength(5);
    });

    it('refuses a cursor it did not issue', async () => {
      await expect(store.listRuns({ limit: 1, cursor: 'rr_1' })).rejects.toMatchObject({ code: 'DPM_SUPPORTABILITY_INVALID_CURSOR' });
      await expect(store.listOperations({ limit: 1, cursor: 'x.y' })).rejects.toMatchObject({ code: 'DPM_SUPPORTABILITY_INVALID_CURSOR' });
    });

    it('keeps one artifact per run and replaces it on save', async () => {
      await store.recordRun({ run: run('rr_1'), lineage: [], replay: true });
      expect(await store.getArtifact('rr_1')).toBeNull();
      await store.saveArtifact('rr_1', { evidence: { hash: 'a' } }, at(1));
      await store.saveArtifact('rr_1', { evidence: { hash: 'b' } }, at(2));
      expect(await store.getArtifact('rr_1')).toEqual({ evidence: { hash: 'b' } });
    });

    it('async operations: create, look up, filter and page', async () => {
      await store.createOperation(operation('op_1', { created_at: at(1) }), [edge('e_op1', 'op_1', 'corr_op_1', at(1), 'OPERATION_TO_CORRELATION')]);
      await store.createOperation(operation('op_2', { created_at: at(2), correlation_id: 'corr_op_1' }), []);
      await store.createOperation(operation('op_3', { created_at: at(3), operation_type: 'OTHER' }), []);
      await store.createOperation(operation('op_4', { created_at: at(3) }), []);
      expect(await store.getOperation('op_1')).toEqual(operation('op_1', { created_at: at(1) }));
      expect((await store.getOperationByCorrelation('corr_op_1'))?.operation_id).toBe('op_2');
      expect(await store.getOperation('missing')).toBeNull();
      expect(await store.getOperationByCorrelation('missing')).toBeNull();
      expect((await store.listLineageEdges('op_1', { limit: 5 })).items.map((e) => e.edge_id)).toEqual(['e_op1']);
      const pages = await allPages((cursor) => store.listOperations({ limit: 2, cursor }));
      expect(pages.map((p) => p.map((o) => o.operation_id))).toEqual([['op_4', 'op_3'], ['op_2', 'op_1']]);
      const ids = async (filter: Parameters<DpmRunStore['listOperations']>[0]) => (await store.listOperations(filter)).items.map((o) => o.operation_id);
      expect(await ids({ limit: 5, operation_type: 'OTHER' })).toEqual(['op_3']);
      expect(await ids({ limit: 5, correlation_id: 'corr_op_1' })).toEqual(['op_2', 'op_1']);
      expect(await ids({ limit: 5, created_from: at(2), created_to: at(2) })).toEqual(['op_2']);
      await store.claimOperation({ operationId: 'op_2', workerId: 'w', now: at(4), leaseMs: 1000 });
      expect(await ids({ limit: 5, status: 'RUNNING' })).toEqual(['op_2']);
      expect(await ids({ limit: 5, status: 'PENDING', created_to: at(2) })).toEqual(['op_1']);
    });

    it('async operations: claims under a lease, takeover after expiry, guarded complete and fail, heartbeat', async () => {
      await store.createOperation(operation('op_1', { created_at: at(1) }), []);
      await store.createOperation(operation('op_2', { created_at: at(2) }), []);
      await store.createOperation(operation('op_legacy', { created_at: at(0), request_json: null }), []);
      // An operation without a request payload is never runnable.
      expect(await store.claimOperation({ operationId: 'op_legacy', workerId: 'w1', now: at(10), leaseMs: 30_000 })).toBeNull();
      expect(await store.claimOperation({ operationId: 'missing', workerId: 'w1', now: at(10), leaseMs: 30_000 })).toBeNull();

      const claimed = await store.claimOperation({ operationId: 'op_1', workerId: 'w1', now: at(10), leaseMs: 30_000 });
      expect(claimed).toMatchObject({ operation_id: 'op_1', status: 'RUNNING', lease_owner: 'w1', started_at: at(10), lease_expires_at: at(40), attempts: 1 });
      expect(await store.claimOperation({ operationId: 'op_1', workerId: 'w2', now: at(11), leaseMs: 30_000 })).toBeNull();
      // Oldest runnable first: op_1 is leased, op_legacy has no payload, so op_2.
      expect((await store.claimRunnable({ workerId: 'w2', now: at(12), leaseMs: 30_000 }))?.operation_id).toBe('op_2');
      expect(await store.claimRunnable({ workerId: 'w2', now: at(13), leaseMs: 30_000 })).toBeNull();
      // w1 heartbeats op_1 to at(55): at(50) it is not yet runnable, at(60) it is taken over.
      expect(await store.extendLease({ operationId: 'op_1', workerId: 'w1', now: at(25), leaseMs: 30_000 })).toBe(true);
      expect(await store.extendLease({ operationId: 'op_1', workerId: 'w9', now: at(25), leaseMs: 30_000 })).toBe(false);
      expect((await store.claimRunnable({ workerId: 'w3', now: at(50), leaseMs: 30_000 }))?.operation_id).toBe('op_2');
      const takenOver = await store.claimRunnable({ workerId: 'w4', now: at(60), leaseMs: 30_000 });
      // A takeover is a second attempt; the first start time stays.
      expect(takenOver).toMatchObject({ operation_id: 'op_1', lease_owner: 'w4', started_at: at(10), lease_expires_at: at(90), attempts: 2 });
      // The first worker lost its lease: it can neither finish nor heartbeat.
      expect(await store.completeOperation('op_1', 'w1', { finished_at: at(61), result_json: { ok: 1 } })).toBe(false);
      expect(await store.extendLease({ operationId: 'op_1', workerId: 'w1', now: at(61), leaseMs: 30_000 })).toBe(false);
      expect(await store.completeOperation('op_1', 'w4', { finished_at: at(62), result_json: { batch_run_id: 'batch_1', amount: '10.50' } })).toBe(true);
      expect(await store.getOperation('op_1')).toEqual({
        ...operation('op_1', { created_at: at(1) }),
        status: 'SUCCEEDED',
        started_at: at(10),
        finished_at: at(62),
        result_json: { batch_run_id: 'batch_1', amount: '10.50' },
        attempts: 2,
      });
      // Finished operations are not claimable, completable or failable again.
      expect(await store.completeOperation('op_1', 'w4', { finished_at: at(63), result_json: {} })).toBe(false);
      expect(await store.claimOperation({ operationId: 'op_1', workerId: 'w5', now: at(64), leaseMs: 1 })).toBeNull();

      expect(await store.failOperation('op_2', 'w2', { finished_at: at(70), error_json: { code: 'X', message: 'lost' } })).toBe(false);
      expect(await store.failOperation('op_2', 'w3', { finished_at: at(70), error_json: { code: 'RuntimeError', message: 'boom' } })).toBe(true);
      expect(await store.getOperation('op_2')).toMatchObject({ status: 'FAILED', finished_at: at(70), result_json: null, error_json: { code: 'RuntimeError', message: 'boom' }, lease_owner: null, lease_expires_at: null });
      expect(await store.claimRunnable({ workerId: 'w6', now: at(500), leaseMs: 1000 })).toBeNull();
    });

    it('abandoned-only claims take over a dead worker\'s RUNNING operation but leave PENDING ones for their execute', async () => {
      await store.createOperation(operation('op_waiting', { created_at: at(1) }), []);
      await store.createOperation(operation('op_running', { created_at: at(2) }), []);
      expect(await store.claimOperation({ operationId: 'op_running', workerId: 'w_dead', now: at(10), leaseMs: 30_000 })).not.toBeNull();
      // The lease is live: nothing is abandoned yet, and the PENDING one is not touched.
      expect(await store.claimRunnable({ workerId: 'w2', now: at(20), leaseMs: 30_000, abandonedOnly: true })).toBeNull();
      const takenOver = await store.claimRunnable({ workerId: 'w2', now: at(41), leaseMs: 30_000, abandonedOnly: true });
      expect(takenOver).toMatchObject({ operation_id: 'op_running', lease_owner: 'w2' });
      expect(await store.claimRunnable({ workerId: 'w3', now: at(42), leaseMs: 30_000, abandonedOnly: true })).toBeNull();
      expect(await store.getOperation('op_waiting')).toMatchObject({ status: 'PENDING', lease_owner: null });
    });

    it('counts what a claim could take: PENDING ones and RUNNING ones whose lease lapsed, never those without a request or finished', async () => {
      expect(await store.countRunnableOperations(at(0))).toEqual({ pending: 0, leaseExpired: 0 });
      await store.createOperation(operation('op_a', { created_at: at(1) }), []);
      await store.createOperation(operation('op_b', { created_at: at(2) }), []);
      await store.createOperation(operation('op_c', { created_at: at(3) }), []);
      await store.createOperation(operation('op_legacy', { created_at: at(0), request_json: null }), []);
      await store.claimOperation({ operationId: 'op_b', workerId: 'w_dead', now: at(10), leaseMs: 30_000 });
      await store.claimOperation({ operationId: 'op_c', workerId: 'w', now: at(10), leaseMs: 30_000 });
      await store.completeOperation('op_c', 'w', { finished_at: at(11), result_json: {} });
      // op_b's lease runs until at(40): live at at(39), lapsed at at(41).
      expect(await store.countRunnableOperations(at(39))).toEqual({ pending: 1, leaseExpired: 0 });
      expect(await store.countRunnableOperations(at(41))).toEqual({ pending: 1, leaseExpired: 1 });
    });

    it('TTL purge: by finished_at ?? created_at, never a RUNNING operation with a live lease, with the operations\' lineage edges', async () => {
      await store.createOperation(operation('op_pending', { created_at: at(1) }), [edge('e_p', 'op_pending', 'corr_shared', at(1), 'OPERATION_TO_CORRELATION')]);
      await store.createOperation(operation('op_done', { created_at: at(2) }), []);
      await store.createOperation(operation('op_running', { created_at: at(3) }), [edge('e_r', 'op_running', 'corr_shared', at(3), 'OPERATION_TO_CORRELATION')]);
      await store.createOperation(operation('op_young', { created_at: at(100) }), []);
      await store.claimOperation({ operationId: 'op_done', workerId: 'w', now: at(4), leaseMs: 1000 });
      expect(await store.completeOperation('op_done', 'w', { finished_at: at(90), result_json: {} })).toBe(true);
      await store.claimOperation({ operationId: 'op_running', workerId: 'w', now: at(5), leaseMs: 200_000 });

      expect(await store.purgeExpiredOperations({ cutoff: at(1), now: at(150) })).toBe(0);
      // Cutoff at(50): op_pending (created at 1) goes; op_done finished at 90 stays; op_running is leased until 205.
      expect(await store.purgeExpiredOperations({ cutoff: at(50), now: at(150) })).toBe(1);
      expect(await store.getOperation('op_pending')).toBeNull();
      expect((await store.listOperations({ limit: 10 })).items.map((o) => o.operation_id)).toEqual(['op_young', 'op_running', 'op_done']);
      expect((await store.listLineageEdges('corr_shared', { limit: 10 })).items.map((e) => e.edge_id)).toEqual(['e_r']);
      // Once the lease has expired the stuck operation is purgeable too.
      expect(await store.purgeExpiredOperations({ cutoff: at(95), now: at(300) })).toBe(2);
      expect((await store.listOperations({ limit: 10 })).items.map((o) => o.operation_id)).toEqual(['op_young']);
      expect((await store.listLineageEdges('corr_shared', { limit: 10 })).items).toEqual([]);
    });

    it('workflow decisions: per run oldest first, filtered newest first with paging', async () => {
      await store.recordRun({ run: run('rr_1'), lineage: [], replay: true });
      await store.recordRun({ run: run('rr_2'), lineage: [], replay: true });
      const decision = (id: string, runId: string, seconds: number, action = 'APPROVE') => ({
        decision_id: id,
        run_id: runId,
        action,
        reason_code: action === 'APPROVE' ? 'REVIEW_APPROVED' : 'NEEDS_CHANGES',
        comment: null,
        actor_id: 'ops_1',
        decided_at: at(seconds),
        correlation_id: `corr_${runId}`,
      });
      expect(await store.appendWorkflowDecision(decision('dwd_1', 'rr_1', 1, 'REQUEST_CHANGES'))).toEqual({ outcome: 'appended', decision: decision('dwd_1', 'rr_1', 1, 'REQUEST_CHANGES') });
      await store.appendWorkflowDecision(decision('dwd_2', 'rr_1', 2));
      await store.appendWorkflowDecision(decision('dwd_3', 'rr_2', 2));
      // Same decided_at: the append order decides which is latest.
      await store.appendWorkflowDecision(decision('dwd_0', 'rr_1', 2, 'REJECT'));
      expect(await store.listWorkflowDecisions('rr_1')).toEqual([decision('dwd_1', 'rr_1', 1, 'REQUEST_CHANGES'), decision('dwd_2', 'rr_1', 2), decision('dwd_0', 'rr_1', 2, 'REJECT')]);
      expect(await store.listWorkflowDecisions('rr_missing')).toEqual([]);
      const pages = await allPages((cursor) => store.listWorkflowDecisionsFiltered({ limit: 2, cursor }));
      expect(pages.map((p) => p.map((d) => d.decision_id))).toEqual([['dwd_3', 'dwd_2'], ['dwd_0', 'dwd_1']]);
      const ids = async (filter: Parameters<DpmRunStore['listWorkflowDecisionsFiltered']>[0]) =>
        (await store.listWorkflowDecisionsFiltered(filter)).items.map((d) => d.decision_id);
      expect(await ids({ limit: 5, action: 'APPROVE', rebalance_run_id: 'rr_1' })).toEqual(['dwd_2']);
      expect(await ids({ limit: 5, reason_code: 'NEEDS_CHANGES' })).toEqual(['dwd_0', 'dwd_1']);
      expect(await ids({ limit: 5, decided_from: at(2), actor_id: 'ops_1' })).toEqual(['dwd_3', 'dwd_2', 'dwd_0']);
      expect(await ids({ limit: 5, decided_to: at(1) })).toEqual(['dwd_1']);
      expect(await ids({ limit: 5, actor_id: 'someone_else' })).toEqual([]);
      await expect(store.listWorkflowDecisionsFiltered({ limit: 1, cursor: 'dwd_1' })).rejects.toMatchObject({ code: 'DPM_SUPPORTABILITY_INVALID_CURSOR' });
    });

    it('workflow decisions: a guarded append wins only from the state it was based on', async () => {
      await store.recordRun({ run: run('rr_1', { status: 'PENDING_REVIEW' }), lineage: [], replay: true });
      const decision = (id: string, action: string) => ({ decision_id: id, run_id: 'rr_1', action, reason_code: 'R', comment: null, actor_id: 'a', decided_at: at(1), correlation_id: 'c_none' });
      expect((await store.appendWorkflowDecision(decision('d1', 'REQUEST_CHANGES'), { expectedLatestDecisionId: null })).outcome).toBe('appended');
      expect(await store.appendWorkflowDecision(decision('d2', 'APPROVE'), { expectedLatestDecisionId: null })).toEqual({ outcome: 'stale', latest: decision('d1', 'REQUEST_CHANGES') });
      // Two reviewers acting at once from d1: exactly one decision lands.
      const raced = await Promise.all(
        Array.from({ length: 8 }, (_, i) => store.appendWorkflowDecision(decision(`d_race_${i}`, i % 2 === 0 ? 'APPROVE' : 'REJECT'), { expectedLatestDecisionId: 'd1' })),
      );
      const appended = raced.filter((o) => o.outcome === 'appended');
      expect(appended).toHaveLength(1);
      const winner = appended[0]?.outcome === 'appended' ? appended[0].decision : null;
      for (const o of raced) if (o.outcome === 'stale') expect(o.latest).toEqual(winner);
      expect((await store.listWorkflowDecisions('rr_1')).map((d) => d.decision_id)).toEqual(['d1', winner?.decision_id]);
    });

    it('lineage: edges touching an entity as source or target, oldest first, filtered and paged', async () => {
      await store.appendLineageEdges([
        edge('e1', 'a', 'b', at(1)),
        edge('e2', 'c', 'a', at(2), 'OTHER'),
        edge('e3', 'a', 'd', at(2)),
        edge('e4', 'x', 'y', at(3)),
      ]);
      const pages = await allPages((cursor) => store.listLineageEdges('a', { limit: 2, cursor }));
      expect(pages.map((p) => p.map((e) => e.edge_id))).toEqual([['e1', 'e2'], ['e3']]);
      expect((await store.listLineageEdges('a', { limit: 5, edge_type: 'OTHER' })).items.map((e) => e.edge_id)).toEqual(['e2']);
      expect((await store.listLineageEdges('a', { limit: 5, created_from: at(2) })).items.map((e) => e.edge_id)).toEqual(['e2', 'e3']);
      expect((await store.listLineageEdges('a', { limit: 5, created_to: at(1) })).items).toEqual([edge('e1', 'a', 'b', at(1))]);
      expect((await store.listLineageEdges('b', { limit: 5 })).items.map((e) => e.edge_id)).toEqual(['e1']);
      await expect(store.listLineageEdges('a', { limit: 5, cursor: 'e1' })).rejects.toMatchObject({ code: 'DPM_SUPPORTABILITY_INVALID_CURSOR' });
      expect((await store.listLineageEdges('nobody', { limit: 5 })).items).toEqual([]);
    });

    it('summarises counts, distributions and time bounds', async () => {
      expect(await store.summary()).toEqual({
        run_count: 0,
        operation_count: 0,
        operation_status_counts: {},
        run_status_counts: {},
        workflow_decision_count: 0,
        workflow_action_counts: {},
        workflow_reason_code_counts: {},
        lineage_edge_count: 0,
        oldest_run_created_at: null,
        newest_run_created_at: null,
        oldest_operation_created_at: null,
        newest_operation_created_at: null,
      });
      await store.recordRun({ run: run('rr_1', { created_at: at(1) }), lineage: [edge('e1', 'rr_1', 'c')], replay: true });
      await store.recordRun({ run: run('rr_2', { created_at: at(3), status: 'BLOCKED' }), lineage: [], replay: true });
      await store.createOperation(operation('op_1', { created_at: at(2) }), []);
      await store.appendWorkflowDecision({ decision_id: 'd1', run_id: 'rr_2', action: 'APPROVE', reason_code: 'OK', comment: 'fine', actor_id: 'a', decided_at: at(4), correlation_id: 'c' });
      expect(await store.summary()).toEqual({
        run_count: 2,
        operation_count: 1,
        operation_status_counts: { PENDING: 1 },
        run_status_counts: { BLOCKED: 1, READY: 1 },
        workflow_decision_count: 1,
        workflow_action_counts: { APPROVE: 1 },
        workflow_reason_code_counts: { OK: 1 },
        lineage_edge_count: 1,
        oldest_run_created_at: at(1),
        newest_run_created_at: at(3),
        oldest_operation_created_at: at(2),
        newest_operation_created_at: at(2),
      });
    });

    it('retention purge removes old runs with everything that hangs off them, and only those', async () => {
      await store.recordRun({ run: run('rr_old', { idempotency_key: 'k_old', created_at: at(0) }), lineage: [edge('e_old', 'rr_old', 'corr_rr_old'), edge('e_key', 'k_old', 'rr_old')], replay: true });
      await store.recordRun({ run: run('rr_new', { idempotency_key: 'k_new', created_at: at(100) }), lineage: [edge('e_new', 'rr_new', 'corr_rr_new', at(100))], replay: true });
      // Live entities sharing the old run's correlation id and key must keep their edges.
      await store.recordRun({ run: run('rr_live', { correlation_id: 'corr_rr_old', created_at: at(100) }), lineage: [edge('e_live', 'corr_rr_old', 'rr_live', at(100), 'CORRELATION_TO_RUN')], replay: true });
      await store.createOperation(operation('op_live', { correlation_id: 'corr_rr_old' }), [edge('e_op', 'op_live', 'corr_rr_old', at(0), 'OPERATION_TO_CORRELATION')]);
      await store.appendLineageEdges([edge('e_key_other', 'k_old', 'something_else', at(0), 'OTHER')]);
      await store.saveArtifact('rr_old', { a: 1 }, at(1));
      await store.appendWorkflowDecision({ decision_id: 'd_old', run_id: 'rr_old', action: 'APPROVE', reason_code: 'OK', comment: null, actor_id: 'a', decided_at: at(1), correlation_id: 'corr_rr_old' });
      expect(await store.purgeRunsBefore(at(50))).toBe(1);
      expect(await store.getRun('rr_old')).toBeNull();
      expect(await store.getArtifact('rr_old')).toBeNull();
      expect(await store.getIdempotencyMapping('k_old')).toBeNull();
      expect(await store.listIdempotencyHistory('k_old')).toEqual([]);
      expect(await store.listWorkflowDecisions('rr_old')).toEqual([]);
      expect((await store.listLineageEdges('rr_old', { limit: 10 })).items).toEqual([]);
      expect((await store.listLineageEdges('k_old', { limit: 10 })).items.map((e) => e.edge_id)).toEqual(['e_key_other']);
      expect((await store.listLineageEdges('corr_rr_old', { limit: 10 })).items.map((e) => e.edge_id)).toEqual(['e_op', 'e_live']);
      expect((await store.getRunByCorrelation('corr_rr_old'))?.rebalance_run_id).toBe('rr_live');
      expect(await store.getRun('rr_new')).toEqual(run('rr_new', { idempotency_key: 'k_new', created_at: at(100) }));
      expect((await store.getIdempotencyMapping('k_new'))?.rebalance_run_id).toBe('rr_new');
      expect((await store.listLineageEdges('rr_new', { limit: 10 })).items).toHaveLength(1);
      expect(await store.getOperation('op_live')).not.toBeNull();
      expect(await store.purgeRunsBefore(at(50))).toBe(0);
      expect((await store.summary()).run_count).toBe(2);
    });

    it('a purge larger than one batch removes every expired run with its edges, and no live one', async () => {
      const expired = 1_234; // two full batches of 500 and a partial one
      for (let i = 0; i < expired; i += 1) {
        const id = `rr_exp_${String(i).padStart(4, '0')}`;
        await store.recordRun({ run: run(id, { created_at: at(i % 40) }), lineage: [edge(`e_${id}`, `corr_${id}`, id)], replay: true });
      }
      await store.recordRun({ run: run('rr_keep', { created_at: at(60) }), lineage: [edge('e_keep', 'corr_keep', 'rr_keep')], replay: true });
      expect(await store.purgeRunsBefore(at(50))).toBe(expired);
      expect((await store.summary()).run_count).toBe(1);
      expect((await store.listLineageEdges('rr_exp_0000', { limit: 10 })).items).toEqual([]);
      expect((await store.listLineageEdges('rr_exp_1233', { limit: 10 })).items).toEqual([]);
      expect((await store.listLineageEdges('rr_keep', { limit: 10 })).items.map((e) => e.edge_id)).toEqual(['e_keep']);
    });

    it('20 concurrent writers on one idempotency key create exactly one run, and every caller gets it', async () => {
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.recordRun({ run: run(`rr_race_${i}`, { idempotency_key: 'race', request_hash: 'sha256:same' }), lineage: [edge(`e_race_${i}`, `rr_race_${i}`, 'x')], replay: true }),
        ),
      );
      const recorded = outcomes.filter((o) => o.outcome === 'recorded');
      expect(recorded).toHaveLength(1);
      const winner = recorded[0]?.outcome === 'recorded' ? recorded[0].run.rebalance_run_id : '';
      for (const o of outcomes) expect(o.outcome === 'conflict' ? '' : o.run.rebalance_run_id).toBe(winner);
      expect((await store.summary()).run_count).toBe(1);
      expect((await store.summary()).lineage_edge_count).toBe(1);
      expect(await store.listIdempotencyHistory('race')).toHaveLength(20);
    });

    it('concurrent workers: every runnable operation is claimed exactly once, none is lost', async () => {
      for (let i = 0; i < 6; i += 1) await store.createOperation(operation(`op_${i}`, { created_at: at(i) }), []);
      const won = await Promise.all(
        Array.from({ length: 10 }, async (_, w) => {
          const mine: string[] = [];
          for (;;) {
            const claimed = await store.claimRunnable({ workerId: `w${w}`, now: at(10), leaseMs: 60_000 });
            if (!claimed) return mine;
            expect(claimed.lease_owner).toBe(`w${w}`);
            mine.push(claimed.operation_id);
          }
        }),
      );
      expect(won.flat().sort()).toEqual(['op_0', 'op_1', 'op_2', 'op_3', 'op_4', 'op_5']);
      // And a single operation raced by ten manual executes runs once.
      await store.createOperation(operation('op_race', { created_at: at(20) }), []);
      const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => store.claimOperation({ operationId: 'op_race', workerId: `m${i}`, now: at(21), leaseMs: 30_000 })));
      expect(claims.filter((c) => c !== null)).toHaveLength(1);
    });

    it('reports ready through its probe', async () => {
      expect(await handle.check()).toEqual({ ready: true });
    });

    it('survives a restart when durable, starts empty when not', async () => {
      const kept = run('rr_keep', { idempotency_key: 'keep' });
      await store.recordRun({ run: kept, lineage: [edge('e_keep', 'corr_rr_keep', 'rr_keep')], replay: true });
      await store.createOperation(operation('op_keep'), []);
      store = await handle.reopen();
      if (handle.durable) {
        expect(await store.getRunByIdempotencyKey('keep')).toEqual(kept);
        expect((await store.getOperation('op_keep'))?.status).toBe('PENDING');
        expect((await store.listLineageEdges('rr_keep', { limit: 5 })).items.map((e) => e.edge_id)).toEqual(['e_keep']);
        expect((await store.recordRun({ run: run('rr_again', { idempotency_key: 'keep', request_hash: kept.request_hash }), lineage: [], replay: true })).outcome).toBe('replayed');
      } else {
        expect(await store.getRun('rr_keep')).toBeNull();
        expect((await store.summary()).run_count).toBe(0);
      }
    });
  });
}
