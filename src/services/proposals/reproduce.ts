/**
 * Reproducing a proposal version (docs/advisory.md#reproducing-a-version): the version's recorded
 * simulate request is validated again and simulated by today's engine under the version's own
 * request hash, correlation id and idempotency key, its artifact rebuilt at the version's creation
 * time, and both compared with what the version holds — field by field when they differ (the
 * artifact in the form it was stored: with or without its evidence bundle). Nothing is written.
 */
import { ReasonError } from '../../config/reason-codes.ts';
import { validateProposalSimulateRequest } from '../../domain/advisory/index.ts';
import type { ProposalStore, ProposalVersion } from '../../stores/proposals/port.ts';
import { INLINE_ENGINE, type Engine } from '../engine/engine-pool.ts';
import { UNKNOWN_ENGINE_VERSION } from '../engine/version.ts';
import { simulateVersion } from './records.ts';
import { artifactWithoutEvidence } from './wire.ts';
import { compareReproduction, rejectedReproduction, type ReproduceComparison } from '../reproduction.ts';

export interface VersionReproduction extends ReproduceComparison {
  readonly proposal_id: string;
  readonly version_no: number;
  readonly proposal_version_id: string;
  readonly request_hash: string;
}

export interface ProposalReproduceService {
  /** Throws PROPOSAL_NOT_FOUND / PROPOSAL_VERSION_NOT_FOUND (404) or PROPOSAL_VERSION_REQUEST_NOT_STORED (409). */
  reproduce(proposalId: string, versionNo: number): Promise<VersionReproduction>;
}

/** A version written without evidence keeps `{}` as its bundle and an artifact holding only the hashes. */
const storedWithoutEvidence = (version: ProposalVersion): boolean =>
  typeof version.evidence_bundle_json === 'object' && version.evidence_bundle_json !== null && Object.keys(version.evidence_bundle_json).length === 0;

export interface ProposalReproduceDeps {
  readonly store: Pick<ProposalStore, 'getProposal' | 'getVersion'>;
  /** Today's build (app: version + commit). */
  readonly engineVersion?: string;
  /** Where today's engine runs (the app's worker pool). */
  readonly engine?: Engine;
}

export function createProposalReproduceService(deps: ProposalReproduceDeps): ProposalReproduceService {
  const current = deps.engineVersion ?? UNKNOWN_ENGINE_VERSION;
  const engine = deps.engine ?? INLINE_ENGINE;
  return {
    async reproduce(proposalId, versionNo) {
      const version = await deps.store.getVersion(proposalId, versionNo);
      if (!version) {
        if (!(await deps.store.getProposal(proposalId))) throw new ReasonError('PROPOSAL_NOT_FOUND', 'The proposal does not exist.');
        throw new ReasonError('PROPOSAL_VERSION_NOT_FOUND', `The proposal has no version ${versionNo}.`);
      }
      const { inputs } = version;
      if (!inputs) {
        throw new ReasonError(
          'PROPOSAL_VERSION_REQUEST_NOT_STORED',
          `Version ${versionNo} was written before versions kept their request, so it cannot be simulated again; its stored result and hashes stand as recorded.`,
        );
      }
      const identity = { proposal_id: proposalId, version_no: versionNo, proposal_version_id: version.proposal_version_id, request_hash: version.request_hash };
      const versions = { recorded: inputs.engine_version, current };
      const request = validateProposalSimulateRequest(JSON.parse(inputs.request_canonical) as unknown);
      if (!request.ok) return { ...identity, ...rejectedReproduction(request.problems, versions) };
      const { result, artifact } = await simulateVersion(
        request.value,
        { requestHash: version.request_hash, correlationId: inputs.correlation_id, idempotencyKey: inputs.idempotency_key, createdAt: version.created_at },
        engine,
      );
      const recorded = { proposal_result: version.proposal_result_json, artifact: version.artifact_json };
      const reproduced = { proposal_result: result, artifact: storedWithoutEvidence(version) ? artifactWithoutEvidence(artifact) : artifact };
      return { ...identity, ...compareReproduction(recorded, reproduced, versions) };
    },
  };
}
