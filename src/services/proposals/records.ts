/**
 * From a lifecycle request to the records a create or a new version writes: the simulate
 * request validated, the request hash, the simulation and artifact, and the version record —
 * with what it was simulated from, so it can be simulated again (docs/advisory.md#reproducing-a-version).
 */
import { canonicalHash, canonicalJson } from '../../domain/canonical-json.ts';
import { proposalRunIdFor, validateProposalSimulateRequest, type ProposalSimulateRequest } from '../../domain/advisory/index.ts';
import type { ProposalVersion } from '../../stores/proposals/port.ts';
import { ReasonError } from '../../config/reason-codes.ts';
import type { Engine } from '../engine/engine-pool.ts';
import type { EngineOutput } from '../engine/jobs.ts';
import { tracedEngine } from '../engine/tracing.ts';
import { newId as newRecordId } from '../ids.ts';
import { artifactWithoutEvidence } from './wire.ts';

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
  throw new ReasonError('VALIDATION_ERROR', 'The request is invalid; see detail.', {
    problems: validated.problems.map((p) => ({ ...p, field: p.field === '' ? 'simulate_request' : `simulate_request.${p.field}` })),
  });
}

/** PROPOSAL_REQUIRE_SIMULATION_FLAG: creates and versions need `options.enable_proposal_simulation`. */
export function checkSimulationFlag(request: ProposalSimulateRequest, required: boolean): void {
  if (required && !request.options.enable_proposal_simulation) {
    throw new ReasonError('PROPOSAL_SIMULATION_DISABLED', 'Set simulate_request.options.enable_proposal_simulation=true to create a proposal or version.');
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

/** The engine call of one version — its simulation, artifact and simulation hash — as one span. */
export function simulateVersion(
  request: ProposalSimulateRequest,
  context: { readonly requestHash: string; readonly correlationId: string; readonly idempotencyKey: string | null; readonly createdAt: string },
  engine: Engine,
): Promise<EngineOutput<'proposalVersion'>> {
  return tracedEngine('advisory.version', {}, () =>
    engine.run('proposalVersion', {
      request,
      context: {
        runId: proposalRunIdFor(context.requestHash),
        correlationId: context.correlationId,
        requestHash: context.requestHash,
        idempotencyKey: context.idempotencyKey,
      },
      createdAt: context.createdAt,
    }),
  );
}

/** Simulates and packages one version. A BLOCKED simulation is still a version (the gate stops execution, not drafting). */
export async function buildVersion(inputs: VersionInputs, engine: Engine): Promise<ProposalVersion> {
  const { result, artifact, simulationHash } = await simulateVersion(inputs.request, inputs, engine);
  return {
    proposal_version_id: newId('ppv'),
    proposal_id: inputs.proposalId,
    version_no: inputs.versionNo,
    created_at: inputs.createdAt,
    request_hash: inputs.requestHash,
    artifact_hash: artifact.evidence_bundle.hashes.artifact_hash,
    simulation_hash: simulationHash,
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
