/**
 * The proposal artifact (docs/advisory.md#artifact) and its evidence hash
 * (docs/advisory.md#evidence-hash-of-the-artifact): the hash depends only on the proposal's inputs
 * and outputs — stable across calls and processes, unchanged when only the run id, correlation id,
 * idempotency key or creation time differ.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildProposalArtifact,
  proposalArtifactHash,
  proposalRequestHash,
  simulateProposal,
  type ProposalContext,
  type ProposalSimulateRequest,
} from '../../../src/domain/advisory/index.ts';
import { conformanceRoot, loadConformanceCases } from '../../support/conformance.ts';
import { REPO_ROOT } from '../../support/paths.ts';
import { buy, proposalBody, validated } from './support.ts';

const vectors = new Map(loadConformanceCases('advisory').map((c) => [c.name, c] as const));
const requestOf = (name: string): ProposalSimulateRequest => validated(vectors.get(name)?.request);

function artifactOf(request: ProposalSimulateRequest, ctx: Partial<ProposalContext> = {}, createdAt = '2026-02-19T12:00:00.123456+00:00') {
  const requestHash = proposalRequestHash(request);
  const result = simulateProposal(request, { runId: 'pr_00000001', correlationId: 'corr-1', requestHash, ...ctx });
  return buildProposalArtifact(request, result, { createdAt });
}

describe('proposal artifact', () => {
  it('packages a ready proposal with a deposit (14E basic)', () => {
    const artifact = artifactOf(requestOf('scenario_14E_artifact_basic'));
    expect(artifact.artifact_id).toBe('pa_00000001');
    expect(artifact.status).toBe('READY');
    expect(artifact.summary).toMatchObject({
      title: 'Proposal for pf_14e_basic',
      objective_tags: ['RISK_ALIGNMENT', 'CASH_DEPLOYMENT'],
      advisor_notes: [],
      recommended_next_step: 'CLIENT_CONSENT',
    });
    expect(artifact.summary.key_takeaways.map((t) => t.code)).toEqual(['STATUS', 'INTENTS', 'CASH', 'SUITABILITY']);
    expect(artifact.summary.key_takeaways[2]?.value).toBe('Cash weight changed from 0.5000 to 0.4545.');
    expect(artifact.trades_and_funding.trade_list.map((t) => t.instrument_id)).toEqual(['EQ_NEW']);
    expect(artifact.trades_and_funding.fx_list).toEqual([]);
    expect(artifact.trades_and_funding.ordering_policy).toBe('CASH_FLOW->SELL->FX->BUY');
    expect(artifact.suitability_summary.status).toBe('AVAILABLE');
    expect(artifact.portfolio_impact.delta.total_value_delta).toEqual({ amount: '200', currency: 'USD' });
    expect(artifact.portfolio_impact.delta.largest_weight_changes).toEqual([
      { bucket_type: 'INSTRUMENT', bucket_id: 'EQ_NEW', weight_before: '0.0000', weight_after: '0.0909', delta: '0.0909' },
      { bucket_type: 'INSTRUMENT', bucket_id: 'EQ_OLD', weight_before: '0.5000', weight_after: '0.4545', delta: '-0.0455' },
    ]);
    expect(artifact.portfolio_impact.after.allocation_by_instrument.map((r) => r.key)).toEqual(['EQ_OLD', 'EQ_NEW']);
    expect(artifact.disclosures.product_docs).toEqual([{ instrument_id: 'EQ_NEW', doc_ref: 'KID/FactSheet placeholder' }]);
    expect(artifact.evidence_bundle.inputs).toEqual(JSON.parse(JSON.stringify(requestOf('scenario_14E_artifact_basic'))));
    expect(artifact.evidence_bundle.engine_version).toBe('0.1.0');
  });

  it('sends a blocked SELL_ONLY purchase to compliance review (14E with suitability)', () => {
    const artifact = artifactOf(requestOf('scenario_14E_artifact_with_suitability'));
    expect(artifact.status).toBe('BLOCKED');
    expect(artifact.summary.recommended_next_step).toBe('COMPLIANCE_REVIEW');
    expect(artifact.summary.objective_tags).toEqual(['PORTFOLIO_MAINTENANCE']);
    expect(artifact.trades_and_funding.trade_list).toEqual([]);
    expect(artifact.suitability_summary.highlights[0]).toEqual({
      code: 'NEW',
      text: 'New issue: SUIT_GOVERNANCE_SELL_ONLY_INCREASE.',
    });
  });

  it('lists FX with the quoted rate and notes the BUY dependency', () => {
    const artifact = artifactOf(requestOf('scenario_14B_auto_funding_single_ccy'));
    expect(artifact.trades_and_funding.fx_list).toEqual([
      { intent_id: 'oi_fx_1', pair: 'USD/SGD', buy_amount: '5000', sell_amount_estimated: '6750', rate: '1.3500' },
    ]);
    expect(artifact.trades_and_funding.trade_list[0]).toMatchObject({ quantity: '50', dependencies: ['oi_fx_1'] });
    expect(artifact.trades_and_funding.execution_notes).toEqual([
      { code: 'DEPENDENCY', text: 'One or more BUY intents depend on generated FX intents.' },
    ]);
    expect(artifact.summary.recommended_next_step).toBe('COMPLIANCE_REVIEW');
  });

  it('adds DRIFT_REDUCTION and the drift takeaway when the asset-class drift falls', () => {
    const body = proposalBody({
      cash: { USD: '1000' },
      instruments: [{ id: 'EQ', price: '100' }],
      trades: [buy('EQ', '5')],
      model: { model_id: 'm', as_of: 'd', base_currency: 'USD', asset_class_targets: [{ asset_class: 'EQUITY', weight: '0.6' }] },
    });
    const artifact = artifactOf(validated(body));
    expect(artifact.summary.objective_tags).toEqual(['RISK_ALIGNMENT', 'DRIFT_REDUCTION']);
    expect(artifact.summary.key_takeaways.find((t) => t.code === 'DRIFT')?.value).toBe(
      'Asset-class drift changed from 0.8000 to 0.3000.',
    );
  });

  it('evaluates a gate for the artifact when the run had gates off', () => {
    const body = proposalBody({ cash: { USD: '1000' }, options: { enable_workflow_gates: false } });
    const artifact = artifactOf(validated(body));
    expect(artifact.gate_decision.gate).toBe('CLIENT_CONSENT_REQUIRED');
    expect(artifact.evidence_bundle.engine_outputs.proposal_result.gate_decision).toBeNull();
  });

  it('reports NOT_AVAILABLE suitability when the scanner is off', () => {
    const artifact = artifactOf(validated(proposalBody({ cash: { USD: '1' }, options: { enable_suitability_scanner: false } })));
    expect(artifact.suitability_summary).toEqual({
      status: 'NOT_AVAILABLE',
      new_issues: 0,
      resolved_issues: 0,
      persistent_issues: 0,
      highest_severity_new: null,
      highlights: [],
      issues: [],
    });
  });
});

describe('artifact evidence hash', () => {
  const request = requestOf('scenario_14B_auto_funding_single_ccy');
  const reference = artifactOf(request);

  it('is a sha256 over the content, reproducible from the artifact', () => {
    expect(reference.evidence_bundle.hashes.artifact_hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(proposalArtifactHash(reference)).toBe(reference.evidence_bundle.hashes.artifact_hash);
    expect(artifactOf(request).evidence_bundle.hashes.artifact_hash).toBe(reference.evidence_bundle.hashes.artifact_hash);
  });

  it('ignores run id, correlation id, idempotency key, request hash and creation time', () => {
    const other = artifactOf(
      request,
      { runId: 'pr_ffffffff', correlationId: 'corr-2', idempotencyKey: 'key-9', requestHash: 'no_hash' },
      '2030-01-01T00:00:00+00:00',
    );
    expect(other.correlation_id).toBe('corr-2');
    expect(other.evidence_bundle.hashes.artifact_hash).toBe(reference.evidence_bundle.hashes.artifact_hash);
  });

  it('changes with any input or output', () => {
    const changedInput = validated({ ...(vectors.get('scenario_14B_auto_funding_single_ccy')?.request as object), proposed_cash_flows: [{ currency: 'SGD', amount: '1' }] });
    expect(artifactOf(changedInput).evidence_bundle.hashes.artifact_hash).not.toBe(reference.evidence_bundle.hashes.artifact_hash);
    const tampered = JSON.parse(JSON.stringify(reference)) as typeof reference;
    tampered.evidence_bundle.engine_outputs.proposal_result.status = 'BLOCKED';
    expect(proposalArtifactHash(tampered)).not.toBe(reference.evidence_bundle.hashes.artifact_hash);
  });

  it('is the same in another process, under other ids', () => {
    const script = path.join(REPO_ROOT, 'test/domain/advisory/artifact-hash.script.ts');
    const vector = path.join(conformanceRoot, 'advisory', 'scenario_14B_auto_funding_single_ccy.json');
    const run = spawnSync(process.execPath, ['--import', 'tsx', script, vector, 'pr_12345678', 'corr-elsewhere', '2027-05-05T05:05:05+00:00'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe(reference.evidence_bundle.hashes.artifact_hash);
  });
});
