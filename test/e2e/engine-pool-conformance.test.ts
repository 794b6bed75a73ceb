/**
 * Through the worker pool the service answers byte for byte what it answers inline: every DPM
 * conformance request (simulate, and analyze for the what-if vectors) and every advisory one
 * (simulate and artifact), sent to two real processes — one running every engine call inline,
 * one sending every call to a worker thread. Only what each process generates itself differs:
 * run and batch ids, and the clock readings of analyze and artifacts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConformanceCases } from '../support/conformance.ts';
import { metricValue } from '../support/metrics.ts';
import { startService, type RunningService } from '../support/service-process.ts';

/** The generated ids (`rr_`/`batch_` + 8 hex, also inside derived ids) and UTC timestamps, masked. */
const normalised = (text: string): string =>
  text.replace(/(rr|batch)_[0-9a-f]{24}(?![0-9a-f])/g, '$1_ID').replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|\+00:00)/g, 'AT');

interface Call {
  readonly name: string;
  readonly path: string;
  readonly body: unknown;
}

const dpm = loadConformanceCases('dpm').flatMap((vector): Call[] => {
  const batch = vector.batchRequest;
  const simulate = vector.request === undefined ? [] : [{ name: `simulate ${vector.name}`, path: '/rebalance/simulate', body: vector.request }];
  return batch === undefined ? simulate : [...simulate, { name: `analyze ${vector.name}`, path: '/rebalance/analyze', body: batch }];
});
const advisory = loadConformanceCases('advisory').flatMap((vector): Call[] => [
  { name: `proposal ${vector.name}`, path: '/rebalance/proposals/simulate', body: vector.request },
  { name: `artifact ${vector.name}`, path: '/rebalance/proposals/artifact', body: vector.request },
]);

describe('engine worker pool: the same bytes as inline', () => {
  let inline: RunningService;
  let pooled: RunningService;
  beforeAll(async () => {
    [inline, pooled] = await Promise.all([
      startService({ ENGINE_WORKER_THREADS: '0' }),
      startService({ ENGINE_WORKER_THREADS: '1', ENGINE_INLINE_MAX_ROWS: '0' }),
    ]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([inline?.stop(), pooled?.stop()]);
  });

  async function send(service: RunningService, call: Call): Promise<{ status: number; text: string }> {
    const response = await fetch(`${service.baseUrl}${call.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `pool-${call.name}`, 'x-correlation-id': `corr-${call.name.replace(/\s/g, '-')}` },
      body: JSON.stringify(call.body),
    });
    return { status: response.status, text: await response.text() };
  }

  it('has calls of every kind', () => {
    expect(dpm.filter((c) => c.path === '/rebalance/analyze').length).toBeGreaterThanOrEqual(2);
    expect(dpm.length + advisory.length).toBeGreaterThanOrEqual(40);
  });

  it.each([...dpm, ...advisory].map((call) => [call.name, call] as const))('%s', async (_name, call) => {
    const [viaInline, viaPool] = await Promise.all([send(inline, call), send(pooled, call)]);
    expect(viaInline.status).toBe(200);
    expect(viaPool.status).toBe(200);
    expect(normalised(viaPool.text)).toBe(normalised(viaInline.text));
  });

  it('every engine call of the pooled process ran in a worker thread', async () => {
    expect(await metricValue(pooled.baseUrl, 'dpm_rebalance_engine_calls_total{path="pool",outcome="ok"}')).toBe(dpm.length + advisory.length);
    expect(await metricValue(pooled.baseUrl, 'dpm_rebalance_engine_calls_total{path="inline",outcome="ok"}')).toBe(0);
  });
});
