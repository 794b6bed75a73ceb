/**
 * The exact text of every engine result, pinned: a SHA-256 of the JSON text (key order included)
 * of each conformance result, batch result, advisory result and artifact, each request hash, and
 * generated 200-position requests under several option sets. The conformance suites compare
 * decimals numerically; this test catches any change of the bytes a client receives — e.g. from
 * a change of the decimal arithmetic or its formatting ("3737.000" instead of "3737").
 *
 * The digests live in `__snapshots__/result-text.test.ts.snap`. A deliberate change of the
 * output is recorded with `npx vitest run test/domain/result-text.test.ts -u` (review the diff).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  buildProposalArtifact,
  proposalRequestHash,
  simulateProposal,
  validateProposalSimulateRequest,
} from '../../src/domain/advisory/index.ts';
import {
  analyzeBatch,
  rebalanceRequestHash,
  simulateRebalance,
  validateBatchRebalanceRequest,
  validateRebalanceRequest,
} from '../../src/domain/dpm/index.ts';
import { loadConformanceCases } from '../support/conformance.ts';
import { generatedRequest } from './dpm/generated-request.ts';

const digest = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex');

function simulateDpm(body: unknown) {
  const validated = validateRebalanceRequest(body);
  if (!validated.ok) throw new Error(JSON.stringify(validated.problems));
  return {
    hash: rebalanceRequestHash(validated.value),
    result: digest(simulateRebalance(validated.value, { runId: 'rr_00000001', requestHash: 'text' })),
  };
}

/** The generated request with some options replaced. */
function generated(options: Record<string, unknown>): unknown {
  const body = generatedRequest(200) as { options: Record<string, unknown> };
  return { ...body, options: { ...body.options, ...options } };
}

describe('result text', () => {
  it('is unchanged for every DPM conformance vector, batch and large vector', () => {
    const digests: Record<string, unknown> = {};
    for (const c of [...loadConformanceCases('dpm'), ...loadConformanceCases('dpm-large')]) {
      digests[c.name] = simulateDpm(c.request);
      if (c.batchRequest === undefined) continue;
      const validated = validateBatchRebalanceRequest(c.batchRequest);
      if (!validated.ok) throw new Error(JSON.stringify(validated.problems));
      let runs = 0;
      const batch = analyzeBatch(validated.value, {
        batchRunId: 'batch_00000001',
        runAtUtc: '2026-02-18T10:00:00.123456+00:00',
        newRunId: () => `rr_${String((runs += 1)).padStart(8, '0')}`,
      });
      digests[`${c.name} (batch)`] = digest(batch);
    }
    expect(digests).toMatchSnapshot();
  });

  it('is unchanged for every advisory conformance vector and its artifact', () => {
    const digests: Record<string, unknown> = {};
    for (const c of loadConformanceCases('advisory')) {
      const validated = validateProposalSimulateRequest(c.request);
      if (!validated.ok) throw new Error(JSON.stringify(validated.problems));
      const requestHash = proposalRequestHash(validated.value);
      const result = simulateProposal(validated.value, { runId: 'pr_00000001', requestHash });
      const artifact = buildProposalArtifact(validated.value, result, { createdAt: '2026-01-01T00:00:00+00:00' });
      digests[c.name] = { hash: requestHash, result: digest(result), artifact: digest(artifact) };
    }
    expect(digests).toMatchSnapshot();
  });

  it('is unchanged for generated 200-position requests (FX in five currencies, caps, dust, turnover)', () => {
    const variants: Record<string, Record<string, unknown>> = {
      heuristic: {},
      solver: { target_method: 'SOLVER', compare_target_methods: true },
      settlement_and_tax: {
        enable_settlement_awareness: true,
        enable_tax_awareness: true,
        max_realized_capital_gains: '1000',
        max_turnover_pct: '0.25',
        fx_buffer_pct: '0.015',
      },
      no_caps: { single_position_max_weight: null, max_turnover_pct: null, group_constraints: {} },
    };
    const digests = Object.fromEntries(
      Object.entries(variants).map(([name, options]) => [name, simulateDpm(generated(options))]),
    );
    expect(digests).toMatchSnapshot();
  });
});
