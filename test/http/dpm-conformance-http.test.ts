/**
 * The DPM conformance requests through the real service's HTTP API give the same results as the
 * `simulate` CLI (apart from the run id and correlation id each one generates, and the engine version
 * the service stamps), and both conform.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareToExpected, loadConformanceCases, REBALANCE_RESULT_RULES } from '../support/conformance.ts';
import { runCli, startService, type RunningService } from '../support/service-process.ts';

const cases = loadConformanceCases('dpm').filter((c) => c.request !== undefined);
// Ids each side generates: the run id, the correlation id and the ids derived from the run id.
const GENERATED = ['rebalance_run_id', 'correlation_id', 'universe.universe_id', 'target.target_id'];
// The service states the build that computed each run; the offline CLI, like the reference, leaves it null.
const STAMPED = ['lineage.engine_version'];

describe('DPM conformance: HTTP equals the CLI', () => {
  let service: RunningService;
  const cli = new Map<string, unknown>();

  beforeAll(async () => {
    service = await startService({});
    // The CLI runs a few files at a time: each is its own process.
    for (let i = 0; i < cases.length; i += 4) {
      await Promise.all(
        cases.slice(i, i + 4).map(async (vector) => {
          const run = await runCli(['simulate', vector.file], {});
          expect(run.code, run.stderr).toBe(0);
          cli.set(vector.name, JSON.parse(run.stdout));
        }),
      );
    }
  });
  afterAll(() => service.stop());

  it('has cases to run', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (name, vector) => {
    const response = await fetch(`${service.baseUrl}/rebalance/simulate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `conformance-${name}`, 'x-correlation-id': `corr-${name}` },
      body: JSON.stringify(vector.request),
    });
    expect(response.status).toBe(200);
    const viaHttp = (await response.json()) as Record<string, unknown>;
    expect(viaHttp['correlation_id']).toBe(`corr-${name}`);
    expect(compareToExpected(viaHttp, cli.get(name), { ignore: [...GENERATED, ...STAMPED] })).toEqual([]);
    expect(compareToExpected(viaHttp, vector.expected, { ...REBALANCE_RESULT_RULES, ignore: [...(REBALANCE_RESULT_RULES.ignore ?? []), ...STAMPED], partial: vector.partial })).toEqual([]);
    expect((viaHttp['lineage'] as { engine_version: unknown }).engine_version).toMatch(/^\d+\.\d+\.\d+(\+[0-9a-f]{40})?$/);
  });
});
