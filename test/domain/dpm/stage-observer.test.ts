/**
 * The pipeline's stage observer (docs/engine.md#pipeline): it hears the stage groups in order,
 * a run that stops early names only the groups it reached, and observing never changes a result.
 * The caller's engine version lands in `lineage.engine_version` (null without one, as the reference).
 */
import { describe, expect, it } from 'vitest';
import {
  analyzeBatch,
  simulateRebalance,
  validateBatchRebalanceRequest,
  validateRebalanceRequest,
  type StageGroup,
} from '../../../src/domain/dpm/index.ts';
import { conformanceVector } from '../../support/conformance.ts';

function validRequest(name: string) {
  const validated = validateRebalanceRequest(conformanceVector<{ request: unknown }>('dpm', name).request);
  if (!validated.ok) throw new Error(JSON.stringify(validated.problems));
  return validated.value;
}

function observed(run: (observer: { enter(group: StageGroup): void }) => unknown): { groups: StageGroup[]; result: unknown } {
  const groups: StageGroup[] = [];
  const result = run({ enter: (group) => groups.push(group) });
  return { groups, result };
}

describe('stage observer', () => {
  it('hears every stage group of a completed run, in order, without changing the result', () => {
    const request = validRequest('scenario_11_settlement_fx_timing_ladder');
    const context = { runId: 'rr_observed', requestHash: 'test' };
    const { groups, result } = observed((observer) => simulateRebalance(request, context, observer));
    expect(groups).toEqual(['input', 'valuation', 'targets', 'intents', 'settlement', 'rules', 'serialize']);
    expect(result).toEqual(simulateRebalance(request, context));
  });

  it('names only the groups an early-blocked run reached', () => {
    const { groups, result } = observed((observer) => simulateRebalance(validRequest('scenario_04_dq_failure'), { runId: 'rr_blocked' }, observer));
    expect((result as { status: string }).status).toBe('BLOCKED');
    // Blocked by data quality found while sizing intents: settlement and rules never run.
    expect(groups).toEqual(['input', 'valuation', 'targets', 'intents', 'serialize']);
  });

  it('hears each scenario of a batch in turn', () => {
    const batch = validateBatchRebalanceRequest(conformanceVector<{ batch_request: unknown }>('dpm', 'scenario_13_what_if_analysis').batch_request);
    if (!batch.ok) throw new Error('invalid batch');
    let n = 0;
    const context = { batchRunId: 'batch_t', runAtUtc: '2026-01-01T00:00:00+00:00', newRunId: () => `rr_${(n += 1)}` };
    const { groups } = observed((observer) => analyzeBatch(batch.value, context, observer));
    // One scenario succeeds, the other fails its option validation before any stage runs.
    expect(groups).toEqual(['valuation', 'targets', 'intents', 'rules', 'serialize']);
  });

  it('stamps the caller’s engine version into the lineage, null without one', () => {
    const request = validRequest('scenario_01_cash_inflow');
    expect(simulateRebalance(request, { runId: 'rr_v', engineVersion: '0.1.0+abc' }).lineage.engine_version).toBe('0.1.0+abc');
    expect(simulateRebalance(request, { runId: 'rr_v' }).lineage.engine_version).toBeNull();
  });
});
