import { describe, expect, it } from 'vitest';
import { canonicalHash } from '../../../src/domain/canonical-json.ts';
import { artifactIdOf, buildRunArtifact, runArtifactHash } from '../../../src/domain/dpm/run-artifact.ts';

const run = {
  rebalance_run_id: 'rr_abcd1234',
  correlation_id: 'corr-1',
  idempotency_key: 'key-1',
  portfolio_id: 'pf_1',
  request_hash: 'sha256:req',
  created_at: '2026-02-21T09:30:00.000Z',
  result_json: {
    status: 'READY',
    before: { total_value: { amount: '100', currency: 'SGD' } },
    after_simulated: { total_value: { amount: '100', currency: 'SGD' } },
    intents: [{ intent_id: 'oi_1', notes: { artifact_hash: 'user data named like the hash' } }],
    rule_results: [],
    diagnostics: { warnings: [] },
    lineage: { engine_version: null },
  },
};

describe('run artifact', () => {
  it('maps the stored result into the reference fields, with dra_ id and version 1.0', () => {
    const artifact = buildRunArtifact(run);
    expect(Object.keys(artifact)).toEqual([
      'artifact_id',
      'artifact_version',
      'rebalance_run_id',
      'correlation_id',
      'idempotency_key',
      'portfolio_id',
      'status',
      'request_snapshot',
      'before_summary',
      'after_summary',
      'order_intents',
      'rule_outcomes',
      'diagnostics',
      'result',
      'evidence',
    ]);
    expect(artifact).toMatchObject({
      artifact_id: 'dra_abcd1234',
      artifact_version: '1.0',
      status: 'READY',
      request_snapshot: { portfolio_id: 'pf_1', request_hash: 'sha256:req' },
      order_intents: run.result_json.intents,
      result: run.result_json,
      evidence: { engine_version: 'unknown', run_created_at: run.created_at, hashes: { request_hash: 'sha256:req' } },
    });
    expect(artifactIdOf('rr_rr_1')).toBe('dra_rr_1');
  });

  it('hashes the canonical JSON with every artifact_hash key removed at any depth', () => {
    const artifact = buildRunArtifact(run) as { evidence: { hashes: { artifact_hash: string } } };
    const stripped = JSON.parse(JSON.stringify(artifact)) as { evidence: { hashes: Record<string, string> }; order_intents: { notes: Record<string, string> }[]; result: { intents: { notes: Record<string, string> }[] } };
    delete stripped.evidence.hashes['artifact_hash'];
    delete stripped.order_intents[0]?.notes['artifact_hash'];
    delete stripped.result.intents[0]?.notes['artifact_hash'];
    expect(artifact.evidence.hashes.artifact_hash).toBe(canonicalHash(stripped));
    expect(runArtifactHash(artifact)).toBe(artifact.evidence.hashes.artifact_hash);
  });

  it('is deterministic and independent of key order in the stored JSON', () => {
    const reordered = { ...run, result_json: Object.fromEntries(Object.entries(run.result_json).reverse()) };
    expect(buildRunArtifact(reordered)).toEqual(buildRunArtifact(run));
    const changed = { ...run, result_json: { ...run.result_json, status: 'BLOCKED' } };
    expect(buildRunArtifact(changed)['evidence']).not.toEqual(buildRunArtifact(run)['evidence']);
  });
});
