/**
 * Every conformance vector (test/fixtures/conformance/dpm and dpm-large) through validation and the
 * engine, compared with the README's rules: all fields, decimals numerically, random ids and
 * caller-supplied values ignored, warnings as a set, SOLVER files on their pinned subset. Full
 * expectations are also checked for the reference's JSON key order
 * (docs/engine.md#request-and-result).
 */
import { describe, expect, it } from 'vitest';
import {
  analyzeBatch,
  simulateRebalance,
  validateBatchRebalanceRequest,
  validateRebalanceRequest,
} from '../../../src/domain/dpm/index.ts';
import {
  compareToExpected,
  loadConformanceCases,
  REBALANCE_RESULT_RULES,
  type ConformanceCase,
} from '../../support/conformance.ts';

const dpmCases = loadConformanceCases('dpm');
const largeCases = loadConformanceCases('dpm-large');

function simulate(c: ConformanceCase) {
  const validated = validateRebalanceRequest(c.request);
  if (!validated.ok) throw new Error(`${c.name}: ${JSON.stringify(validated.problems)}`);
  return simulateRebalance(validated.value, { runId: 'rr_TEST0001', requestHash: 'test' });
}

describe('DPM conformance vectors', () => {
  it('finds the vectors in test/fixtures/conformance', () => {
    expect(dpmCases.length).toBeGreaterThanOrEqual(22);
    expect(largeCases.map((c) => c.name).sort()).toEqual(['large_1000', 'large_200']);
  });

  it.each([...dpmCases, ...largeCases].map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const differences = compareToExpected(simulate(c), c.expected, {
      ...REBALANCE_RESULT_RULES,
      partial: c.partial,
      keyOrder: !c.partial,
    });
    expect(differences).toEqual([]);
  });
});

describe('batch what-if vectors (/rebalance/analyze)', () => {
  const batchCases = dpmCases.filter((c) => c.batchRequest !== undefined);

  it('has the two batch files', () => {
    expect(batchCases.map((c) => c.name).sort()).toEqual([
      'scenario_13_what_if_analysis',
      'scenario_13_zero_turnover_batch',
    ]);
  });

  it.each(batchCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const validated = validateBatchRebalanceRequest(c.batchRequest);
    if (!validated.ok) throw new Error(JSON.stringify(validated.problems));
    let runs = 0;
    const batch = analyzeBatch(validated.value, {
      batchRunId: 'batch_0000abcd',
      runAtUtc: '2026-02-18T10:00:00.123456+00:00',
      newRunId: () => `rr_${String((runs += 1)).padStart(8, '0')}`,
    });
    const request = c.request as { portfolio_snapshot: { portfolio_id: string } };
    expect(batch.batch_run_id).toBe('batch_0000abcd');
    expect(batch.base_snapshot_ids).toEqual({
      portfolio_snapshot_id: request.portfolio_snapshot.portfolio_id,
      market_data_snapshot_id: 'md',
    });
    // Each batch scenario with empty options is the single run of the same file.
    for (const [name, result] of Object.entries(batch.results)) {
      expect(result.correlation_id).toBe(`batch_0000abcd:${name}`);
      expect(result.lineage.request_hash).toBe(`batch_0000abcd:${name}`);
      expect(compareToExpected(result, c.expected, REBALANCE_RESULT_RULES)).toEqual([]);
      const trades = result.intents.filter((i) => i.intent_type === 'SECURITY_TRADE');
      const metric = batch.comparison_metrics[name];
      expect(metric?.security_intent_count).toBe(trades.length);
      expect(metric?.status).toBe(result.status);
    }
    if (c.name === 'scenario_13_what_if_analysis') {
      expect(Object.keys(batch.results)).toEqual(['ignore_checks']);
      expect(batch.comparison_metrics.ignore_checks?.gross_turnover_notional_base).toEqual({
        amount: '20000',
        currency: 'USD',
      });
      expect(batch.failed_scenarios.invalid_case).toMatch(/^INVALID_OPTIONS: /);
      expect(batch.warnings).toEqual(['PARTIAL_BATCH_FAILURE']);
    } else {
      expect(batch.comparison_metrics.steady).toEqual({
        status: 'READY',
        security_intent_count: 0,
        gross_turnover_notional_base: { amount: '0', currency: 'USD' },
      });
      expect(batch.failed_scenarios).toEqual({});
      expect(batch.warnings).toEqual([]);
    }
  });
});
