/**
 * The run artifact (docs/dpm-api.md#artifacts): a self-contained, hash-sealed package of one
 * recorded run, built from the run record and the result JSON exactly as stored — never by
 * recomputing the engine or re-serialising through the current result model, so a later model
 * change cannot alter the hash of an old run (as the reference's could).
 *
 * Hash rule (the reference's): every key named `artifact_hash` is removed at any depth, then
 * `"sha256:" + SHA-256(canonical JSON)` of what remains.
 */
import { canonicalHash } from '../canonical-json.ts';

export const RUN_ARTIFACT_VERSION = '1.0';

/** The run fields an artifact needs (a subset of the store's record, so the domain does not import the store). */
export interface ArtifactSourceRun {
  readonly rebalance_run_id: string;
  readonly correlation_id: string;
  readonly idempotency_key: string | null;
  readonly portfolio_id: string;
  readonly request_hash: string;
  readonly created_at: string;
  readonly result_json: unknown;
}

type Json = Record<string, unknown>;

const objectOr = (value: unknown): Json => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {});
const orNull = (value: unknown): unknown => (value === undefined ? null : value);

/** The value with every `artifact_hash` key removed at any depth (deleted, not emptied). */
function withoutArtifactHash(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutArtifactHash);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Json)
      .filter(([key]) => key !== 'artifact_hash')
      .map(([key, inner]) => [key, withoutArtifactHash(inner)]),
  );
}

export function runArtifactHash(artifact: unknown): string {
  return canonicalHash(withoutArtifactHash(artifact));
}

/** `rr_…` → `dra_…` (the first occurrence only, as the reference). */
export function artifactIdOf(runId: string): string {
  return runId.replace('rr_', 'dra_');
}

export function buildRunArtifact(run: ArtifactSourceRun): Json {
  const result = objectOr(run.result_json);
  const lineage = objectOr(result['lineage']);
  const artifact = {
    artifact_id: artifactIdOf(run.rebalance_run_id),
    artifact_version: RUN_ARTIFACT_VERSION,
    rebalance_run_id: run.rebalance_run_id,
    correlation_id: run.correlation_id,
    idempotency_key: run.idempotency_key,
    portfolio_id: run.portfolio_id,
    status: orNull(result['status']),
    request_snapshot: { portfolio_id: run.portfolio_id, request_hash: run.request_hash },
    before_summary: orNull(result['before']),
    after_summary: orNull(result['after_simulated']),
    order_intents: orNull(result['intents']),
    rule_outcomes: orNull(result['rule_results']),
    diagnostics: orNull(result['diagnostics']),
    result: run.result_json,
    evidence: {
      engine_version: lineage['engine_version'] ?? 'unknown',
      run_created_at: run.created_at,
      hashes: { request_hash: run.request_hash, artifact_hash: '' },
    },
  };
  artifact.evidence.hashes.artifact_hash = runArtifactHash(artifact);
  return artifact;
}
