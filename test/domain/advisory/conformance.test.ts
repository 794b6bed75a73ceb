/**
 * Every advisory conformance vector (test/fixtures/conformance/advisory) through validation and the
 * engine, compared with the README's rules: all fields, decimals numerically, the run id and
 * caller-supplied values (correlation id, request hash) ignored, warnings as a set — and the
 * reference's JSON key order.
 */
import { describe, expect, it } from 'vitest';
import { simulateProposal, validateProposalSimulateRequest } from '../../../src/domain/advisory/index.ts';
import { compareToExpected, loadConformanceCases } from '../../support/conformance.ts';
import { PROPOSAL_RESULT_RULES } from './support.ts';

const cases = loadConformanceCases('advisory');

describe('advisory conformance vectors', () => {
  it('finds the vectors in test/fixtures/conformance', () => {
    expect(cases.length).toBeGreaterThanOrEqual(8);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const validated = validateProposalSimulateRequest(c.request);
    if (!validated.ok) throw new Error(`${c.name}: ${JSON.stringify(validated.problems)}`);
    const result = simulateProposal(validated.value, { runId: 'pr_test0001', requestHash: 'conformance' });
    expect(compareToExpected(result, c.expected, { ...PROPOSAL_RESULT_RULES, keyOrder: true })).toEqual([]);
  });
});
