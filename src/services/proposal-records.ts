/**
 * From a lifecycle request to the records a create or a new version writes: the simulate
 * request validated, the request hash, the simulation and artifact, and the version record —
 * with what it was simulated from, so it can be simulated again (docs/advisory.md#reproducing-a-version).
 */
import { canonicalHash, canonicalJson } from '../domain/canonical-json.ts';
import {
  buildProposalArtifact,
  proposalRunIdFor,
  simulateProposal,
  validateProposalSimulateRequest,
  type ProposalSimulateRequest,
} from '../domain/advisory/index.ts';
import type { ProposalVersion } from '../stores/proposals/port.ts';
import { newId as newRecordId } from './ids.ts';
import { tracedEngine } from './engine-tracing.ts';
import { invalid } from './proposal-errors.ts';
import { artifactWithoutEvidence } from './proposal-wire.ts';

/** Proposal record ids: the reference's prefixes, 96 random bits (docs/dpm-api.md#ids). */
export const newId = (prefix: 'pp' | 'ppv' | 'pwe' | 'pap' | 'pop'): string => newRecordId(prefix);

export interface ProposalMetadata {
  readonly title: string | null;
  readonly advisor_notes: string | null;
  readonly jurisdiction: string | null;
  readonly mandate_id: string | null;
}

/** `POST /rebalance/proposals` (schema-checked by the route). */
export interface CreateProposalBody {
  readonly created_by: string;
  readonly simulate_request: unknown;
  readonly metadata?: Partial<ProposalMetadata> | null;
}

/** `POST /rebalance/proposals/{id}/versions`. */
export interface CreateVersionBody {
  readonly created_by: string;
  readonly simulate_request: unknown;
}

export function metadataOf(body: CreateProposalBody): ProposalMetadata {
  const m = body.metadata ?? {};
  return { title: m.title ?? null, advisor_notes: m.advisor_notes ?? null, jurisdiction: m.jurisdiction ?? null, mandate_id: m.mandate_id ?? null };
}

/** Validates `simulate_request`: every problem, named from the lifecycle body. */
export function simulateRequestOf(body: { simulate_request: unknown }): ProposalSimulateRequest {
  const validated = validateProposalSimulateRequest(body.simulate_request);
  if (validated.ok) return validated.value;
  throw invalid(
    'VALIDATION_ERROR',
    'The request is invalid; see errors.',
    validated.problems.map((p) => ({ ...p, field: `simulate_request.${p.field}` })),
  );
}

/** PROPOSAL_REQUIRE_SIMULATION_FLAG: creates and versions need `options.enable_proposal_simulation`. */
export function checkSimulationFlag(request: ProposalSimulateRequest, required: boolean): void {
  if (required && !request.options.enable_proposal_simulation) {
    throw invalid('PROPOSAL_SIMULATION_DISABLED', 'PROPOSAL_SIMULATION_DISABLED: set simulate_request.options.enable_proposal_simulation=true.');
  }
}

/** Only the validated simulate request (defaults filled in) is hashed, so equivalent bodies share a hash. */
export const createRequestHash = (body: CreateProposalBody, request: ProposalSimulateRequest): string =>
  canonicalHash({ created_by: body.created_by, metadata: metadataOf(body), simulate_request: request });

/** The proposal id is part of it, so a version key reused on another proposal is a conflict, not a replay. */
export const versionRequestHash = (proposalId: string, body: CreateVersionBody, request: ProposalSimulateRequest): string =>
  canonicalHash({ proposal_id: proposalId, created_by: body.created_by, simulate_request: request });

export interface VersionInputs {
  readonly proposalId: string;
  readonly versionNo: number;
  readonly request: ProposalSimulateRequest;
  readonly requestHash: string;
  readonly correlationId: string;
  readonly idempotencyKey: string | null;
  readonly createdAt: string;
  readonly storeEvidence: boolean;
  /** The build simulating the version, recorded with it. */
  readonly engineVersion: string;
}

/** The engine calls of one version: simulation and artifact, each a span when tracing is on. */
export function simulateVersion(
  request: ProposalSimulateRequest,
  context: { readonly requestHash: string; readonly correlationId: string; readonly idempotencyKey: string | null; readonly createdAt: string },
) {
  const result = tracedEngine('advisory.simulate', {}, () =>
    simulateProposal(request, {
      runId: proposalRunIdFor(context.requestHash),
      correlationId: context.correlationId,
      requestHash: context.requestHash,
      idempotencyKey: context.idempotencyKey,
    }),
  );
  const artifact = tracedEngine('advisory.artifact', {}, () => buildProposalArtifact(request, result, { createdAt: context.createdAt }));
  return { result, artifact };
}

/** Simulates and packages one version. A BLOCKED simulation is still a version (the gate stops execution, not drafting). */
export function buildVersion(inputs: VersionInputs): ProposalVersion {
  const { result, artifact } = simulateVersion(inputs.request, inputs);
  return {
    proposal_version_id: newId('ppv'),
    proposal_id: inputs.proposalId,
    version_no: inputs.versionNo,
    created_at: inputs.createdAt,
    request_hash: inputs.requestHash,
    artifact_hash: artifact.evidence_bundle.hashes.artifact_hash,
    simulation_hash: canonicalHash(result),
    status_at_creation: result.status,
    proposal_result_json: result,
    artifact_json: inputs.storeEvidence ? artifact : artifactWithoutEvidence(artifact),
    evidence_bundle_json: inputs.storeEvidence ? artifact.evidence_bundle : {},
    gate_decision_json: result.gate_decision,
    inputs: {
      request_canonical: canonicalJson(inputs.request),
      correlation_id: inputs.correlationId,
      idempotency_key: inputs.idempotencyKey,
      engine_version: inputs.engineVersion,
    },
  };
}
