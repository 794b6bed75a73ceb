/**
 * The metrics registry on its own (docs/operations.md#metrics): the previous release's names
 * exported from the same samples, scrape-time counts that never hold a scrape up, the engine
 * pool's utilisation from a real pool, and the documentation listing every family there is.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { repoPath } from '../support/paths.ts';
import { validateBatchRebalanceRequest } from '../../src/domain/dpm/index.ts';
import { createEnginePool, type EnginePool } from '../../src/services/engine/engine-pool.ts';
import { createServiceMetrics, METRIC_PREFIX, RENAMED_FAMILIES } from '../../src/services/observability/metrics.ts';
import type { RunnableCount } from '../../src/stores/sql/operation-leases.ts';
import { parseMetrics, valueOf } from '../support/metrics.ts';
import { largeVector, whatIfBatch } from '../support/what-if.ts';

const scrape = async (metrics: ReturnType<typeof createServiceMetrics>) => parseMetrics(await metrics.registry.metrics());

describe('metrics registry', () => {
  it('exports each family of the previous release under its old name too, from the same samples, marked deprecated', async () => {
    const metrics = createServiceMetrics({ version: '1.2.3', commit: null });
    metrics.storeErrors.inc({ code: 'PROPOSAL_POSTGRES_UNAVAILABLE' }, 2);
    metrics.httpRequestDuration.observe({ method: 'GET', route: '/health/live', status_code: '200' }, 0.003);
    metrics.proposalCreates.inc({ mode: 'sync', outcome: 'created' });
    const families = await scrape(metrics);

    for (const name of RENAMED_FAMILIES) {
      const current = families.get(METRIC_PREFIX + name);
      const former = families.get(name);
      expect(former?.help).toMatch(new RegExp(`^Deprecated: renamed ${METRIC_PREFIX}${name}; `));
      expect(former?.type).toBe(current?.type);
      expect(former?.samples).toEqual(current?.samples.map((s) => ({ ...s, name: s.name.slice(METRIC_PREFIX.length) })));
    }
    expect(valueOf(families, 'store_errors_total', { code: 'PROPOSAL_POSTGRES_UNAVAILABLE' })).toBe(2);
    const buckets = families.get('http_request_duration_seconds')?.samples.map((s) => s.name);
    expect(new Set(buckets)).toEqual(new Set(['http_request_duration_seconds_bucket', 'http_request_duration_seconds_sum', 'http_request_duration_seconds_count']));
    // The runtime metrics were unprefixed too; families new in this release have only the new name.
    expect(families.get('process_cpu_seconds_total')?.type).toBe('counter');
    expect(families.has('proposal_creates_total')).toBe(false);
    expect(families.has('build_info')).toBe(false);
    expect(valueOf(families, `${METRIC_PREFIX}build_info`, { version: '1.2.3', commit: 'unknown', node_version: process.version })).toBe(1);
  });

  it('a queue-depth count that hangs or fails leaves its kind without samples, never the scrape waiting; one count runs at a time', { timeout: 30_000 }, async () => {
    const metrics = createServiceMetrics();
    const calls = { dpm: 0, proposal: 0 };
    metrics.observe({
      runnable: {
        dpm: () => {
          calls.dpm += 1;
          return new Promise<RunnableCount>(() => undefined);
        },
        proposal: async () => {
          calls.proposal += 1;
          if (calls.proposal === 1) throw new Error('PROPOSAL_POSTGRES_UNAVAILABLE');
          return { pending: 4, leaseExpired: 1 };
        },
      },
    });
    const first = await scrape(metrics);
    expect(first.get(`${METRIC_PREFIX}async_runnable_operations`)?.samples).toEqual([]);
    const second = await scrape(metrics);
    expect(second.get(`${METRIC_PREFIX}async_runnable_operations`)?.samples.map((s) => [s.labels, s.value])).toEqual([
      [{ kind: 'proposal', state: 'PENDING' }, 4],
      [{ kind: 'proposal', state: 'LEASE_EXPIRED' }, 1],
    ]);
    // The hanging count was joined, not started again.
    expect(calls).toEqual({ dpm: 1, proposal: 2 });
  });

  it('reads pools and outages at scrape time, one series per pool with every store it serves', async () => {
    const metrics = createServiceMetrics();
    let down = false;
    metrics.observe({
      pools: () => [{ stores: ['dpm_supportability', 'proposals'], total: 3, idle: 2, waiting: 0, max: 10 }],
      outages: () => [
        { store: 'dpm_supportability', down: false },
        { store: 'proposals', down },
      ],
    });
    let families = await scrape(metrics);
    const store = 'dpm_supportability,proposals';
    expect(valueOf(families, `${METRIC_PREFIX}postgres_pool_connections`, { store })).toBe(3);
    expect(valueOf(families, `${METRIC_PREFIX}postgres_pool_idle_connections`, { store })).toBe(2);
    expect(valueOf(families, `${METRIC_PREFIX}postgres_pool_waiting_requests`, { store })).toBe(0);
    expect(valueOf(families, `${METRIC_PREFIX}postgres_pool_max_connections`, { store })).toBe(10);
    expect(valueOf(families, `${METRIC_PREFIX}store_unavailable`, { store: 'proposals' })).toBe(0);
    down = true;
    families = await scrape(metrics);
    expect(valueOf(families, `${METRIC_PREFIX}store_unavailable`, { store: 'proposals' })).toBe(1);
    expect(valueOf(families, `${METRIC_PREFIX}store_unavailable`, { store: 'dpm_supportability' })).toBe(0);
  });

  describe('engine pool utilisation (a real pool of one thread)', () => {
    let engine: EnginePool | undefined;
    afterEach(async () => engine?.close());

    it('threads busy and calls queued while two calls are in the pool; all back to 0 once they are answered', { timeout: 120_000 }, async () => {
      const metrics = createServiceMetrics();
      const settings = { threads: 1, queueMax: 3, callTimeoutMs: 120_000, inlineMaxRows: 0 };
      engine = createEnginePool(settings, { inFlight: (count) => metrics.engineInFlight(count) });
      metrics.engineLimits(settings);
      const validated = validateBatchRebalanceRequest(whatIfBatch(largeVector('large_200'), 2));
      if (!validated.ok) throw new Error('invalid fixture');
      const input = {
        request: validated.value,
        context: { batchRunId: 'batch_0000test', runAtUtc: '2026-02-01T09:30:00.000000+00:00', correlationId: null, runIds: ['rr_0', 'rr_1'], policyPack: null, engineVersion: 'test' },
      };
      const calls = [engine.run('analyze', input), engine.run('analyze', input)];
      const gauges = (families: Awaited<ReturnType<typeof scrape>>) =>
        ['threads', 'queue_max_calls', 'in_flight', 'busy_threads', 'queued_calls'].map((name) => valueOf(families, `${METRIC_PREFIX}engine_pool_${name}`));
      expect(gauges(await scrape(metrics))).toEqual([1, 3, 2, 1, 1]);
      await Promise.all(calls);
      expect(gauges(await scrape(metrics))).toEqual([1, 3, 0, 0, 0]);
    });
  });

  it('docs/operations.md lists every family the service exports, and only those', async () => {
    const metrics = createServiceMetrics();
    const exported = [...(await scrape(metrics)).keys()].filter((name) => name.startsWith(METRIC_PREFIX));
    const ours = exported.filter((name) => !/^dpm_rebalance_(process|nodejs)_/.test(name));
    const docs = readFileSync(repoPath('docs', 'operations.md'), 'utf8');
    const section = docs.slice(docs.indexOf('\n## Metrics\n'), docs.indexOf('\n## ', docs.indexOf('\n## Metrics\n') + 1));
    const documented = [...section.matchAll(/^\| `(dpm_rebalance_[a-z0-9_]+)`/gm)].map((m) => m[1]);
    expect(new Set(documented)).toEqual(new Set(ours));
    // The migration table names every renamed family, old → new.
    for (const name of RENAMED_FAMILIES) expect(section).toContain(`| \`${name}\` | \`${METRIC_PREFIX}${name}\` |`);
  });
});
