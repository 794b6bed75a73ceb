/**
 * The engine worker pool with real worker threads: routing by size, outputs byte-identical to
 * the inline path for every job, engine errors keeping their names, the bounded queue, the call
 * time limit (the worker is replaced and the pool recovers by itself), shutdown, and inline
 * analyze letting other work in between scenarios.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ReasonError } from '../../src/config/reason-codes.ts';
import { validateProposalSimulateRequest } from '../../src/domain/advisory/index.ts';
import { validateBatchRebalanceRequest, validateRebalanceRequest } from '../../src/domain/dpm/index.ts';
import { createEnginePool, INLINE_ENGINE, type EngineOutcome, type EnginePath, type EnginePool, type EnginePoolSettings } from '../../src/services/engine/engine-pool.ts';
import type { EngineInput } from '../../src/services/engine/jobs.ts';
import { conformanceVector, loadConformanceCases } from '../support/conformance.ts';
import { largeVector, whatIfBatch } from '../support/what-if.ts';

function valid<T>(result: { ok: true; value: T } | { ok: false; problems: unknown }): T {
  if (!result.ok) throw new Error(`invalid fixture: ${JSON.stringify(result.problems)}`);
  return result.value;
}

const CONTEXT = { runId: 'rr_0000test', correlationId: 'corr_test', requestHash: 'sha256:test' };
const AT = '2026-02-01T09:30:00.000000+00:00';

function rebalanceInput(body: unknown): EngineInput<'rebalance'> {
  return { request: valid(validateRebalanceRequest(body)), context: CONTEXT };
}

function analyzeInput(body: Record<string, unknown>, scenarios: number): EngineInput<'analyze'> {
  return {
    request: valid(validateBatchRebalanceRequest(whatIfBatch(body, scenarios))),
    context: { batchRunId: 'batch_0000test', runAtUtc: AT, correlationId: null, runIds: Array.from({ length: scenarios }, (_, i) => `rr_${String(i).padStart(8, '0')}`), policyPack: null, engineVersion: 'test' },
  };
}

const proposalInputs = loadConformanceCases('advisory').map((c) => ({
  name: c.name,
  input: { request: valid(validateProposalSimulateRequest(c.request)), context: CONTEXT, createdAt: AT },
}));

const SMALL = rebalanceInput(conformanceVector<{ request: unknown }>('dpm', 'scenario_01_cash_inflow').request);
/** Hundreds of milliseconds of engine work (20 runs of 692 positions) on any machine. */
const SLOW = analyzeInput(largeVector('large_1000'), 20);

describe('engine worker pool', () => {
  const pools: EnginePool[] = [];
  const calls: [EnginePath, EngineOutcome][] = [];
  function pool(settings: Partial<EnginePoolSettings>): EnginePool {
    const created = createEnginePool(
      { threads: 1, queueMax: 8, callTimeoutMs: 120_000, inlineMaxRows: 0, ...settings },
      { settled: (path, outcome) => calls.push([path, outcome]) },
    );
    pools.push(created);
    return created;
  }
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.close()));
    calls.length = 0;
  });

  it('runs requests up to the threshold inline and larger ones in the pool', async () => {
    const engines = pool({ inlineMaxRows: 10 });
    await engines.run('rebalance', SMALL);
    expect(calls).toEqual([['inline', 'ok']]);
    await engines.run('rebalance', rebalanceInput(largeVector('large_200')));
    expect(calls).toEqual([
      ['inline', 'ok'],
      ['pool', 'ok'],
    ]);
  });

  it('answers byte for byte what the inline path answers, for every job', async () => {
    const engines = pool({});
    const same = async (job: Parameters<EnginePool['run']>[0], input: never): Promise<void> => {
      const [pooled, inline] = await Promise.all([engines.run(job, input), INLINE_ENGINE.run(job, input)]);
      expect(JSON.stringify(pooled)).toBe(JSON.stringify(inline));
    };
    for (const vector of loadConformanceCases('dpm')) {
      const validated = validateRebalanceRequest(vector.request);
      if (validated.ok) await same('rebalance', rebalanceInput(vector.request) as never);
    }
    await same('rebalance', rebalanceInput(largeVector('large_200')) as never);
    await same('analyze', analyzeInput(largeVector('large_200'), 3) as never);
    for (const { input } of proposalInputs) {
      await same('proposal', input as never);
      await same('proposalArtifact', input as never);
      await same('proposalVersion', input as never);
    }
    expect(calls.filter(([path]) => path === 'pool').length).toBeGreaterThan(40);
    expect(calls.every(([, outcome]) => outcome === 'ok')).toBe(true);
  });

  it('an engine error keeps its class name and message across the thread', async () => {
    // A zero price with no cash: the valuation divides 0 by 0, which the engine refuses.
    const body = structuredClone(conformanceVector<{ request: Record<string, Record<string, unknown>> }>('dpm', 'scenario_01_cash_inflow').request);
    body['portfolio_snapshot'] = { ...body['portfolio_snapshot'], cash_balances: [{ currency: 'SGD', amount: '0' }], positions: [{ instrument_id: 'EQ_1', quantity: '10' }] };
    const input = rebalanceInput(body);
    (input.request.market_data_snapshot.prices[0] as { price: string }).price = '0';
    const failure = (call: Promise<unknown>): Promise<Error> => call.then(() => new Error('no error'), (error: unknown) => error as Error);
    const inline = await failure(INLINE_ENGINE.run('rebalance', input));
    const pooled = await failure(pool({}).run('rebalance', input));
    expect(inline).toMatchObject({ name: 'InvalidOperation' });
    expect([pooled.name, pooled.message]).toEqual([inline.name, inline.message]);
    expect(calls).toEqual([['pool', 'error']]);
  });

  it('refuses a call at once when every thread is busy and the queue is full', async () => {
    const engines = pool({ threads: 1, queueMax: 1 });
    const first = engines.run('analyze', analyzeInput(largeVector('large_200'), 2));
    const second = engines.run('analyze', analyzeInput(largeVector('large_200'), 2));
    const third = engines.run('rebalance', SMALL);
    await expect(third).rejects.toMatchObject({ code: 'ENGINE_QUEUE_FULL' });
    expect(engines.inFlight).toBe(2);
    await expect(Promise.all([first, second])).resolves.toHaveLength(2);
    // Capacity is back once they are answered.
    await expect(engines.run('rebalance', SMALL)).resolves.toMatchObject({ status: 'READY' });
    expect(calls.map(([, outcome]) => outcome).sort()).toEqual(['ok', 'ok', 'ok', 'queue_full']);
  });

  it('cancels a call over the time limit, replaces its worker, and keeps serving', { timeout: 90_000 }, async () => {
    const engines = pool({ threads: 1, callTimeoutMs: 150 });
    const refused = await engines.run('analyze', SLOW).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ReasonError);
    expect(refused).toMatchObject({ code: 'ENGINE_CALL_TIMEOUT' });
    expect(engines.inFlight).toBe(0);
    // The replacement worker starts on its own; calls that reach it succeed (earlier ones may time out while it loads).
    const deadline = Date.now() + 60_000;
    let answered: unknown;
    while (answered === undefined && Date.now() < deadline) {
      answered = await engines.run('rebalance', SMALL).catch((error: unknown) => {
        expect(error).toMatchObject({ code: 'ENGINE_CALL_TIMEOUT' });
        return undefined;
      });
    }
    expect(answered).toMatchObject({ status: 'READY' });
  });

  it('cancelAll cancels calls in the pool and refuses new ones; small calls still run inline', async () => {
    const engines = pool({ threads: 1, inlineMaxRows: 100 });
    const running = engines.run('analyze', SLOW).catch((error: unknown) => error);
    engines.cancelAll();
    expect(await running).toMatchObject({ code: 'ENGINE_SHUTTING_DOWN' });
    await expect(engines.run('rebalance', rebalanceInput(largeVector('large_200')))).rejects.toMatchObject({ code: 'ENGINE_SHUTTING_DOWN' });
    await expect(engines.run('rebalance', SMALL)).resolves.toMatchObject({ status: 'READY' });
    await engines.close();
  });

  it('inline, an analyze lets other work run between its scenarios', async () => {
    const engines = pool({ threads: 0 });
    let turns = 0;
    let counting = true;
    const count = (): void => {
      turns += 1;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    const batch = await engines.run('analyze', analyzeInput(largeVector('large_200'), 4));
    counting = false;
    expect(Object.keys(batch.results)).toHaveLength(4);
    expect(turns).toBeGreaterThanOrEqual(3);
    expect(calls).toEqual([['inline', 'ok']]);
  });
});
