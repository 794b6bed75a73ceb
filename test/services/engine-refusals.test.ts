/**
 * What async operations make of the engine pool's refusals: a full pool (or a stopping process)
 * says nothing about the work, so the operation stays RUNNING for its lease to lapse and another
 * attempt to run it; a call over the time limit would time out again, so the operation fails
 * with ENGINE_CALL_TIMEOUT. Same rule for DPM analyze operations and proposal operations.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ReasonError, type ReasonCode } from '../../src/config/reason-codes.ts';
import { validateBatchRebalanceRequest } from '../../src/domain/dpm/index.ts';
import { createDpmAnalyzeService } from '../../src/services/dpm/analyze.ts';
import { createDpmOperationService } from '../../src/services/dpm/operations.ts';
import type { Engine } from '../../src/services/engine/engine-pool.ts';
import { createProposalLifecycleService } from '../../src/services/proposals/lifecycle.ts';
import { createProposalOperations } from '../../src/services/proposals/operations.ts';
import type { DpmRunStore } from '../../src/stores/dpm-runs/port.ts';
import { freshStoreLocation, openStoreAt, WHAT_IF_BATCH } from '../support/dpm-api.ts';
import { createBody, DEFAULT_SETTINGS, openBackend, readyRequest, type OpenedBackend } from '../support/proposal-api.ts';

const refusing = (code: ReasonCode): Engine => ({ run: () => Promise.reject(new ReasonError(code, `engine refused: ${code}`)) });

describe('DPM analyze operations', () => {
  let store: DpmRunStore;
  let closeStore: () => Promise<void>;
  beforeEach(async () => {
    ({ store, close: closeStore } = await openStoreAt(await freshStoreLocation('IN_MEMORY')));
  });
  afterEach(() => closeStore());

  async function runWith(code: ReasonCode): Promise<{ thrown: unknown; status: string | undefined; error: unknown }> {
    const settings = { executionMode: 'ACCEPT_ONLY' as const, ttlSeconds: 86_400, leaseMs: 30_000 };
    const operations = createDpmOperationService({ store, analyze: createDpmAnalyzeService({ store, engine: refusing(code) }), settings });
    const validated = validateBatchRebalanceRequest(WHAT_IF_BATCH);
    if (!validated.ok) throw new Error('fixture invalid');
    const accepted = await operations.submit({ request: validated.value, correlationId: `corr-${code}` });
    const claimed = await store.claimOperation({ operationId: accepted.operation_id, workerId: 'worker-1', now: new Date().toISOString(), leaseMs: 30_000 });
    if (!claimed) throw new Error('not claimed');
    const thrown = await operations.runClaimed(claimed).then(() => undefined, (error: unknown) => error);
    const stored = await store.getOperation(accepted.operation_id);
    return { thrown, status: stored?.status, error: stored?.error_json };
  }

  it.each(['ENGINE_QUEUE_FULL', 'ENGINE_SHUTTING_DOWN'] as const)('%s leaves the operation RUNNING for a later attempt', async (code) => {
    const outcome = await runWith(code);
    expect(outcome.thrown).toMatchObject({ code });
    expect(outcome.status).toBe('RUNNING');
  });

  it('ENGINE_CALL_TIMEOUT fails the operation with that code', async () => {
    const outcome = await runWith('ENGINE_CALL_TIMEOUT');
    expect(outcome.thrown).toBeUndefined();
    expect([outcome.status, outcome.error]).toEqual(['FAILED', { code: 'ENGINE_CALL_TIMEOUT', message: 'engine refused: ENGINE_CALL_TIMEOUT' }]);
  });
});

describe('proposal operations', () => {
  let opened: OpenedBackend;
  beforeAll(async () => {
    opened = await openBackend('IN_MEMORY');
  });
  afterAll(() => opened.close());

  async function runWith(code: ReasonCode): Promise<{ thrown: unknown; status: unknown; error: unknown }> {
    const lifecycle = createProposalLifecycleService({ store: opened.store, config: DEFAULT_SETTINGS, engine: refusing(code) });
    const operations = createProposalOperations({ store: opened.store, lifecycle, leaseMs: 30_000, workerId: `worker-${code}` });
    const accepted = await operations.submitCreate({ body: createBody(readyRequest(`pf_${code}`)) as never, idempotencyKey: `key-${code}`, correlationId: `corr-${code}` });
    const claimed = await operations.claim();
    expect(claimed?.operation_id).toBe(accepted.response['operation_id']);
    const thrown = await operations.run(claimed as NonNullable<typeof claimed>).then(() => undefined, (error: unknown) => error);
    const status = await operations.get(accepted.response['operation_id'] as string);
    return { thrown, status: status['status'], error: status['error'] };
  }

  it.each(['ENGINE_QUEUE_FULL', 'ENGINE_SHUTTING_DOWN'] as const)('%s leaves the operation RUNNING for a later attempt', async (code) => {
    const outcome = await runWith(code);
    expect(outcome.thrown).toMatchObject({ code });
    expect(outcome.status).toBe('RUNNING');
  });

  it('ENGINE_CALL_TIMEOUT fails the operation with that code', async () => {
    const outcome = await runWith('ENGINE_CALL_TIMEOUT');
    expect(outcome.thrown).toBeUndefined();
    expect(outcome.status).toBe('FAILED');
    expect(outcome.error).toMatchObject({ code: 'ENGINE_CALL_TIMEOUT' });
  });
});
