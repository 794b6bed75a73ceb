/**
 * The generic worker loop, and crash recovery of async proposal operations on every backend:
 * an operation whose worker died (before or after writing its proposal) is finished by another
 * worker once the lease lapses, exactly once.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ReasonError } from '../../src/config/reason-codes.ts';
import { backoffDelay } from '../../src/services/operations/backoff.ts';
import { createOperationWorker, withLeaseHeartbeat, workerFailureReporter } from '../../src/services/operations/worker.ts';
import { createProposalLifecycleService } from '../../src/services/proposals/lifecycle.ts';
import { createProposalOperations } from '../../src/services/proposals/operations.ts';
import { BACKENDS, createBody, DEFAULT_SETTINGS, openBackend, readyRequest, type Json, type OpenedBackend } from '../support/proposal-api.ts';

describe('createOperationWorker', () => {
  it('drains claimed work, waits when idle, wakes on demand, and stops after the operation in hand', async () => {
    const queue = ['a', 'b', 'c'];
    const ran: string[] = [];
    const errors: unknown[] = [];
    let release: (() => void) | undefined;
    const worker = createOperationWorker<string>({
      claim: async () => queue.shift() ?? null,
      run: async (op) => {
        if (op === 'boom') throw new Error('boom');
        if (op === 'slow') await new Promise<void>((resolve) => (release = resolve));
        ran.push(op);
      },
      // Long enough that only wake() can explain prompt progress below.
      pollMs: 60_000,
      onError: (error) => errors.push(error),
    });
    worker.start();
    await new Promise((resolve) => setImmediate(resolve));
    await waitFor(() => ran.length === 3);
    expect(ran).toEqual(['a', 'b', 'c']);

    // A failed operation is reported and the loop waits before trying again (no hot loop on an outage).
    queue.push('boom');
    worker.wake();
    await waitFor(() => errors.length === 1);
    queue.push('d');
    worker.wake();
    await waitFor(() => ran.length === 4);
    expect(ran[3]).toBe('d');

    queue.push('slow');
    worker.wake();
    await waitFor(() => release !== undefined);
    const stopped = worker.stop();
    let done = false;
    void stopped.then(() => (done = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toBe(false);
    release?.();
    await stopped;
    expect(ran).toEqual(['a', 'b', 'c', 'd', 'slow']);
  });

  it('stop() during an in-flight claim does not wait out the poll interval', async () => {
    let release: (value: null) => void = () => {};
    let claims = 0;
    const worker = createOperationWorker<string>({
      claim: () => {
        claims += 1;
        return new Promise<null>((resolve) => (release = resolve));
      },
      run: async () => {},
      pollMs: 600_000,
      onError: () => {},
    });
    worker.start();
    await waitFor(() => claims === 1);
    const stopped = worker.stop();
    release(null);
    await stopped;
    expect(claims).toBe(1);
  });

  it('renews the lease while work runs and aborts the work once the lease is lost', async () => {
    let renewals = 0;
    const aborted = await withLeaseHeartbeat(
      async () => ++renewals < 3,
      30,
      (signal) => new Promise<boolean>((resolve) => signal.addEventListener('abort', () => resolve(true))),
    );
    expect(aborted).toBe(true);
    expect(renewals).toBe(3);
  });
});

describe('backoff of failing background loops', () => {
  it('waits between half and all of min(cap, base·2ⁿ), so replicas spread out and a long outage costs one attempt per cap', () => {
    const backoff = { baseMs: 100, capMs: 1_000 };
    expect([0, 1, 2, 3, 4, 10, 80].map((n) => backoffDelay(n, backoff, () => 0))).toEqual([50, 100, 200, 400, 500, 500, 500]);
    expect([0, 1, 2, 3, 4, 10, 80].map((n) => backoffDelay(n, backoff, () => 1))).toEqual([100, 200, 400, 800, 1_000, 1_000, 1_000]);
  });

  it('a loop whose store is down backs off up to the cap, and polls at its interval again after a success', async () => {
    vi.useFakeTimers();
    try {
      let down = true;
      const attempts: number[] = [];
      const worker = createOperationWorker<string>({
        claim: async () => {
          attempts.push(Date.now());
          if (down) throw new ReasonError('PROPOSAL_POSTGRES_UNAVAILABLE', 'connect ECONNREFUSED');
          return null;
        },
        run: async () => {},
        pollMs: 100,
        maxBackoffMs: 1_000,
        onError: () => {},
      });
      worker.start();
      await vi.advanceTimersByTimeAsync(10_000);
      // Without backoff: 100 attempts. With it: four growing waits, then at least 500 ms each.
      expect(attempts.length).toBeGreaterThanOrEqual(10);
      expect(attempts.length).toBeLessThanOrEqual(25);
      const gaps = attempts.slice(1).map((at, i) => at - attempts[i]!);
      expect(Math.max(...gaps)).toBeLessThanOrEqual(1_000);
      expect(gaps.slice(4).every((gap) => gap >= 500)).toBe(true);

      down = false;
      await vi.advanceTimersByTimeAsync(1_000);
      const recovered = attempts.length;
      await vi.advanceTimersByTimeAsync(1_000);
      expect(attempts.length - recovered).toBe(10);
      await worker.stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it('reports a store outage as detail (the outage log warns once) and any other failure as a warning with its stack', () => {
    const lines: [string, Record<string, unknown>, string][] = [];
    const logger = {
      warn: (fields: Record<string, unknown>, msg: string) => void lines.push(['warn', fields, msg]),
      debug: (fields: Record<string, unknown>, msg: string) => void lines.push(['debug', fields, msg]),
    };
    const report = workerFailureReporter(logger as never, 'worker');
    report(new ReasonError('DPM_SUPPORTABILITY_POSTGRES_TIMEOUT', 'canceling statement due to statement timeout'));
    report(new Error('a bug'));
    expect(lines.map(([level, fields]) => [level, fields['code'] ?? (fields['err'] as { message: string }).message])).toEqual([
      ['debug', 'DPM_SUPPORTABILITY_POSTGRES_TIMEOUT'],
      ['warn', 'a bug'],
    ]);
    expect((lines[1]![1]['err'] as { stack: string }).stack).toContain('operation-worker.test.ts');
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe.each(BACKENDS)('async proposal operations after a worker dies, on %s', (backend) => {
  let opened: OpenedBackend;
  beforeAll(async () => {
    opened = await openBackend(backend);
  });
  afterAll(async () => {
    await opened.close();
  });

  /** Two replicas sharing the store, on one controllable clock. */
  function replicas() {
    const clock = { now: Date.parse('2026-05-01T09:00:00.000Z') };
    const now = () => new Date(clock.now);
    const lifecycle = createProposalLifecycleService({ store: opened.store, config: DEFAULT_SETTINGS, now });
    const make = (workerId: string) => createProposalOperations({ store: opened.store, lifecycle, leaseMs: 1_000, now, workerId });
    return { clock, lifecycle, dead: make('worker-dead'), alive: make('worker-alive') };
  }

  async function drain(ops: ReturnType<typeof replicas>['alive']): Promise<number> {
    let ran = 0;
    for (let op = await ops.claim(); op !== null; op = await ops.claim()) {
      await ops.run(op);
      ran += 1;
    }
    return ran;
  }

  it('takes over a create whose worker died after writing the proposal, and completes it with that proposal', async () => {
    const { clock, lifecycle, dead, alive } = replicas();
    const portfolio = `pf_crash_${backend}`;
    const { response: accepted } = await dead.submitCreate({ body: createBody(readyRequest(portfolio)) as never, idempotencyKey: `crash-${backend}`, correlationId: `corr-crash-${backend}` });
    const claimed = await dead.claim();
    expect(claimed?.operation_id).toBe(accepted['operation_id']);
    // The dead worker got as far as writing the proposal (what its run does first), then died.
    const written = await lifecycle.create({ body: createBody(readyRequest(portfolio)) as never, idempotencyKey: `crash-${backend}`, correlationId: `corr-crash-${backend}` });

    expect(await alive.claim()).toBeNull(); // the lease still holds
    clock.now += 1_001;
    expect(await drain(alive)).toBe(1);
    const status = await alive.get(accepted['operation_id'] as string);
    const proposal = (written.response['proposal'] as Json)['proposal_id'];
    expect(status).toMatchObject({ status: 'SUCCEEDED', proposal_id: proposal });

    // The dead worker's late completion is refused; nothing is written twice.
    expect(await opened.store.completeOperation(accepted['operation_id'] as string, 'worker-dead', { finished_at: now(clock), result_json: {}, proposal_id: 'pp_other' })).toBe(false);
    const page = await opened.store.listProposals({ portfolio_id: portfolio, limit: 10 });
    expect(page.items).toHaveLength(1);
    expect(await drain(alive)).toBe(0);
  });

  it('takes over a version whose worker died before finishing, and adds exactly one version', async () => {
    const { clock, lifecycle, dead, alive } = replicas();
    const created = await lifecycle.create({ body: createBody(readyRequest()) as never, idempotencyKey: `v-crash-${backend}`, correlationId: 'c' });
    const id = (created.response['proposal'] as Json)['proposal_id'] as string;
    const { response: accepted } = await dead.submitVersion({ proposalId: id, body: { created_by: 'advisor_1', simulate_request: readyRequest() }, correlationId: `corr-v-${backend}` });
    const claimed = await dead.claim();
    expect(claimed).not.toBeNull();
    // The dead worker ran the version and died before recording the outcome.
    if (claimed) await lifecycle.createVersion({ proposalId: id, body: { created_by: 'advisor_1', simulate_request: readyRequest() }, idempotencyKey: `pop:${claimed.operation_id}`, correlationId: 'c' });
    clock.now += 1_001;
    expect(await drain(alive)).toBe(1);
    expect(await alive.get(accepted['operation_id'] as string)).toMatchObject({ status: 'SUCCEEDED', result: { version: { version_no: 2 } } });
    expect((await opened.store.getLineage(id))?.versions.map((v) => v.version_no)).toEqual([1, 2]);
  });
});

const now = (clock: { now: number }): string => new Date(clock.now).toISOString();
