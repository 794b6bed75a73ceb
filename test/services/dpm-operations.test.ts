/**
 * Takeover of a half-done operation: worker A recorded one scenario run and then stalled (as
 * if its process died); once A's lease has expired, worker B claims the operation, reuses A's
 * recorded run instead of recording the scenario again, and completes it. A's late outcome is
 * refused because it no longer holds the lease.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createDpmAnalyzeService, OPERATION_TO_RUN } from '../../src/services/dpm/analyze.ts';
import { createDpmOperationService } from '../../src/services/dpm/operations.ts';
import type { DpmRunStore } from '../../src/stores/dpm-runs/port.ts';
import { validateBatchRebalanceRequest, type BatchRebalanceRequest } from '../../src/domain/dpm/index.ts';
import { freshStoreLocation, openStoreAt, WHAT_IF_BATCH } from '../support/dpm-api.ts';

const LEASE_MS = 30_000;
let clock = Date.parse('2026-03-01T09:00:00.000Z');
const now = (): Date => new Date(clock);

let store: DpmRunStore;
let closeStore: () => Promise<void>;

beforeEach(async () => {
  ({ store, close: closeStore } = await openStoreAt(await freshStoreLocation('IN_MEMORY')));
});
afterEach(() => closeStore());

function twoScenarioBatch(): BatchRebalanceRequest {
  const validated = validateBatchRebalanceRequest({ ...WHAT_IF_BATCH, scenarios: { alpha: { options: {} }, beta: { options: { max_turnover_pct: '0.5' } } } });
  if (!validated.ok) throw new Error('fixture invalid');
  return validated.value;
}

const settings = { executionMode: 'ACCEPT_ONLY' as const, ttlSeconds: 86_400, leaseMs: LEASE_MS };

it('B reuses the scenario run A recorded before it stalled, records the rest once, and A cannot complete afterwards', async () => {
  // Worker A: the second recordRun never returns until the test releases it.
  let recorded = 0;
  let releaseA: (error: Error) => void = () => {};
  const stalling: DpmRunStore = Object.create(store) as DpmRunStore;
  stalling.recordRun = (input) => {
    recorded += 1;
    if (recorded === 1) return store.recordRun(input);
    return new Promise((_, reject) => (releaseA = reject));
  };
  const serviceA = createDpmOperationService({ store: stalling, analyze: createDpmAnalyzeService({ store: stalling, now }), settings, now });
  const operation = await serviceA.submit({ request: twoScenarioBatch(), correlationId: 'corr-half' });
  const claimedByA = await store.claimOperation({ operationId: operation.operation_id, workerId: 'worker-a', now: now().toISOString(), leaseMs: LEASE_MS });
  if (!claimedByA) throw new Error('A could not claim');
  const runA = serviceA.runClaimed(claimedByA);
  await expect.poll(() => recorded).toBe(2);
  const [firstByA] = (await store.listLineageEdges(operation.operation_id, { edge_type: OPERATION_TO_RUN, limit: 10 })).items;
  expect(firstByA?.metadata_json).toEqual({ scenario: 'alpha' });

  // While A's lease is live nobody can take the operation.
  expect(await store.claimRunnable({ workerId: 'worker-b', now: now().toISOString(), leaseMs: LEASE_MS })).toBeNull();
  clock += LEASE_MS + 1;
  const claimedByB = await store.claimRunnable({ workerId: 'worker-b', now: now().toISOString(), leaseMs: LEASE_MS });
  expect(claimedByB?.operation_id).toBe(operation.operation_id);
  const serviceB = createDpmOperationService({ store, analyze: createDpmAnalyzeService({ store, now }), settings, now });
  await serviceB.runClaimed(claimedByB as NonNullable<typeof claimedByB>);

  const finished = await serviceB.get(operation.operation_id);
  expect(finished?.status).toBe('SUCCEEDED');
  const results = (finished?.result_json as { results: Record<string, { rebalance_run_id: string }> }).results;
  expect(results['alpha']?.rebalance_run_id).toBe(firstByA?.target_entity_id);
  const edges = (await store.listLineageEdges(operation.operation_id, { edge_type: OPERATION_TO_RUN, limit: 10 })).items;
  expect(edges.map((e) => [(e.metadata_json as { scenario: string }).scenario, e.target_entity_id]).sort()).toEqual([
    ['alpha', results['alpha']?.rebalance_run_id],
    ['beta', results['beta']?.rebalance_run_id],
  ]);
  for (const scenario of ['alpha', 'beta']) {
    expect((await store.listRuns({ limit: 10 })).items.filter((r) => r.correlation_id === `corr-half:${scenario}`)).toHaveLength(1);
  }

  // A wakes up: its failure is refused (it lost the lease), the operation stays SUCCEEDED.
  releaseA(new Error('A was gone'));
  await runA;
  expect((await store.getOperation(operation.operation_id))?.status).toBe('SUCCEEDED');
});
