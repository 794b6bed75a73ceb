/**
 * The behaviour every DPM supportability backend must show. Run unchanged against IN_MEMORY,
 * SQLITE and POSTGRES by dpm-supportability.test.ts: a difference between backends is a bug.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AsyncOperation, DpmSupportabilityStore, LineageEdge, RunRecord } from '../../src/stores/dpm-supportability/port.ts';

export interface StoreHandle {
  readonly store: DpmSupportabilityStore;
  /** Closes this handle and opens the same data again (a process restart). Absent for IN_MEMORY. */
  readonly reopen?: () => Promise<DpmSupportabilityStore>;
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

export function dpmSupportabilityContract(backend: string, open: () => Promise<StoreHandle>): void {
  describe(`DPM supportability store contract: ${backend}`, () => {
    let handle: StoreHandle;
    let store: DpmSupportabilityStore;

    beforeEach(async () => {
      handle = await open();
      store = handle.store;
    });

    afterEach(async () => {
      await handle.close();
    });

    it('records a run with its lineage and finds it by id, correlation and request hash', async () => {
      const outcome = await store.recordRun({ run: run('rr_1'), lineage: [edge('e1', 'rr_1', 'corr_rr_1')], replay: true });
      expect(outcome).toEqual({ outcome: 'recorded', run: run('rr_1') });
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
      expect(retry).toEqual({ outcome: 'replayed', run: first });
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

    it('with replay off every call records a new run and the mapping follows the latest', async () => {
      await store.recordRun({ run: run('rr_1', { idempotency_key: 'k' }), lineage: [], replay: false });
      const second = await store.recordRun({ run: run('rr_2', { idempotency_key: 'k', request_hash: 'sha256:rr_1', created_at: at(3) }), lineage: [], replay: false });
      expect(second.outcome).toBe('recorded');
      expect((await store.getIdempotencyMapping('k'))?.rebalance_run_id).toBe('rr_2');
      expect((await store.listIdempotencyHistory('k')).map((h) => h.rebalance_run_id)).toEqual(['rr_1', 'rr_2']);
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
      const ids = async (filter: Parameters<DpmSupportabilityStore['listRuns']>[0]) => (await store.listRuns(filter)).items.map((r) => r.rebalance_run_id);
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

    it('async operations: create, look up, filter, page, claim under a lease, complete and purge', async () => {
      await store.createOperation(operation('op_1', { created_at: at(1) }), [edge('e_op1', 'op_1', 'corr_op_1', at(1), 'OPERATION_TO_CORRELATION')]);
      await store.createOperation(operation('op_2', { created_at: at(2), correlation_id: 'corr_op_1' }), []);
      await store.createOperation(operation('op_3', { created_at: at(3), operation_type: 'OTHER' }), []);
      expect((await store.getOperation('op_1'))?.status).toBe('PENDING');
      expect((await store.getOperationByCorrelation('corr_op_1'))?.operation_id).toBe('op_2');
      expect(await store.getOperation('missing')).toBeNull();
      const pages = await allPages((cursor) => store.listOperations({ limit: 2, cursor }));
      expect(pages.map((p) => p.map((o) => o.operation_id))).toEqual([['op_3', 'op_2'], ['op_1']]);
      expect((await store.listOperations({ limit: 5, operation_type: 'OTHER' })).items.map((o) => o.operation_id)).toEqual(['op_3']);
      expect((await store.listOperations({ limit: 5, correlation_id: 'corr_op_1' })).items.map((o) => o.operation_id)).toEqual(['op_2', 'op_1']);

      const claimed = await store.claimOperation({ operationId: 'op_1', workerId: 'w1', now: at(10), leaseUntil: at(40) });
      expect(claimed).toMatchObject({ status: 'RUNNING', lease_owner: 'w1', started_at: at(10), lease_expires_at: at(40) });
      expect(await store.claimOperation({ operationId: 'op_1', workerId: 'w2', now: at(11), leaseUntil: at(41) })).toBeNull();
      // The oldest claimable is op_2 now; after its lease expires, op_1 can be taken over.
      expect((await store.claimOperation({ workerId: 'w2', now: at(12), leaseUntil: at(42) }))?.operation_id).toBe('op_2');
      expect((await store.claimOperation({ workerId: 'w3', now: at(50), leaseUntil: at(80) }))?.operation_id).toBe('op_1');
      expect(await store.completeOperation('op_1', 'w1', { status: 'SUCCEEDED', finished_at: at(51), result_json: { ok: 1 }, error_json: null })).toBe(false);
      expect(await store.completeOperation('op_1', 'w3', { status: 'SUCCEEDED', finished_at: at(51), result_json: { ok: 1 }, error_json: null })).toBe(true);
      expect(await store.getOperation('op_1')).toMatchObject({ status: 'SUCCEEDED', finished_at: at(51), result_json: { ok: 1 }, lease_owner: null });

      expect(await store.purgeOperationsBefore(at(2))).toBe(0);
      expect(await store.purgeOperationsBefore(at(60))).toBe(3);
      expect(await store.getOperation('op_3')).toBeNull();
      expect((await store.listLineageEdges('op_1', { limit: 5 })).items).toHaveLength(1);
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
      await store.appendWorkflowDecision(decision('dwd_1', 'rr_1', 1, 'REQUEST_CHANGES'));
      await store.appendWorkflowDecision(decision('dwd_2', 'rr_1', 2));
      await store.appendWorkflowDecision(decision('dwd_3', 'rr_2', 2));
      expect((await store.listWorkflowDecisions('rr_1')).map((d) => d.decision_id)).toEqual(['dwd_1', 'dwd_2']);
      const pages = await allPages((cursor) => store.listWorkflowDecisionsFiltered({ limit: 2, cursor }));
      expect(pages.map((p) => p.map((d) => d.decision_id))).toEqual([['dwd_3', 'dwd_2'], ['dwd_1']]);
      expect((await store.listWorkflowDecisionsFiltered({ limit: 5, action: 'APPROVE', rebalance_run_id: 'rr_1' })).items.map((d) => d.decision_id)).toEqual(['dwd_2']);
      expect((await store.listWorkflowDecisionsFiltered({ limit: 5, reason_code: 'NEEDS_CHANGES' })).items).toHaveLength(1);
      expect((await store.listWorkflowDecisionsFiltered({ limit: 5, decided_from: at(2), actor_id: 'ops_1' })).items).toHaveLength(2);
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
      await store.saveArtifact('rr_old', { a: 1 }, at(1));
      await store.appendWorkflowDecision({ decision_id: 'd_old', run_id: 'rr_old', action: 'APPROVE', reason_code: 'OK', comment: null, actor_id: 'a', decided_at: at(1), correlation_id: 'corr_rr_old' });
      expect(await store.purgeRunsBefore(at(50))).toBe(1);
      expect(await store.getRun('rr_old')).toBeNull();
      expect(await store.getArtifact('rr_old')).toBeNull();
      expect(await store.getIdempotencyMapping('k_old')).toBeNull();
      expect(await store.listIdempotencyHistory('k_old')).toEqual([]);
      expect(await store.listWorkflowDecisions('rr_old')).toEqual([]);
      expect((await store.listLineageEdges('rr_old', { limit: 10 })).items).toEqual([]);
      expect(await store.getRun('rr_new')).not.toBeNull();
      expect((await store.listLineageEdges('rr_new', { limit: 10 })).items).toHaveLength(1);
      expect(await store.purgeRunsBefore(at(50))).toBe(0);
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

    it('10 concurrent claimers of one operation: exactly one wins', async () => {
      await store.createOperation(operation('op_race'), []);
      const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => store.claimOperation({ workerId: `w${i}`, now: at(1), leaseUntil: at(30) })));
      expect(claims.filter((c) => c !== null)).toHaveLength(1);
    });

    it('keeps everything across a restart (durable backends)', async () => {
      if (!handle.reopen) {
        expect(backend).toBe('IN_MEMORY');
        return;
      }
      await store.recordRun({ run: run('rr_keep', { idempotency_key: 'keep' }), lineage: [], replay: true });
      store = await handle.reopen();
      expect(await store.getRunByIdempotencyKey('keep')).toEqual(run('rr_keep', { idempotency_key: 'keep' }));
    });
  });
}
