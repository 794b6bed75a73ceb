/** Advisory proposal reads: detail, versions, list, audit trail (with refused attempts), lineage, idempotency lookup. */
import type { Static } from '@sinclair/typebox';
import type { ProposalFilter, ProposalRecord, ProposalStore } from '../../stores/proposals/port.ts';
import { ReasonError } from '../../config/reason-codes.ts';
import { approvalRecord, proposalSummary, versionDetail, workflowEvent, type VersionDetailView } from './wire.ts';
import { refusedAttemptView } from '../access.ts';
import type { ProposalRefusedAttemptsSchema } from '../refused-attempt-schema.ts';
import type {
  ApprovalsResponseSchema,
  DetailResponseSchema,
  IdempotencyLookupSchema,
  LineageResponseSchema,
  ListResponseSchema,
  TimelineResponseSchema,
} from './wire-schemas.ts';

export type ListQuery = Omit<ProposalFilter, 'limit'> & { readonly limit: number };

export interface ProposalQueries {
  get(proposalId: string, includeEvidence: boolean): Promise<Static<typeof DetailResponseSchema>>;
  getVersion(proposalId: string, versionNo: number, includeEvidence: boolean): Promise<VersionDetailView>;
  list(query: ListQuery): Promise<Static<typeof ListResponseSchema>>;
  events(proposalId: string): Promise<Static<typeof TimelineResponseSchema>>;
  approvals(proposalId: string): Promise<Static<typeof ApprovalsResponseSchema>>;
  refusedAttempts(proposalId: string): Promise<Static<typeof ProposalRefusedAttemptsSchema>>;
  lineage(proposalId: string): Promise<Static<typeof LineageResponseSchema>>;
  idempotency(key: string): Promise<Static<typeof IdempotencyLookupSchema>>;
}

export function createProposalQueries(store: ProposalStore): ProposalQueries {
  async function existing(proposalId: string): Promise<ProposalRecord> {
    const proposal = await store.getProposal(proposalId);
    if (!proposal) throw new ReasonError('PROPOSAL_NOT_FOUND', 'The proposal does not exist.');
    return proposal;
  }

  return {
    async get(proposalId, includeEvidence) {
      const proposal = await existing(proposalId);
      // The row's version pointer, not "the highest version": both are committed together.
      const version = await store.getVersion(proposalId, proposal.current_version_no);
      if (!version) throw new ReasonError('PROPOSAL_VERSION_NOT_FOUND', `Version ${proposal.current_version_no} of the proposal does not exist.`);
      const current = versionDetail(version, includeEvidence);
      return { proposal: proposalSummary(proposal), current_version: current, last_gate_decision: current.gate_decision };
    },

    async getVersion(proposalId, versionNo, includeEvidence) {
      const version = await store.getVersion(proposalId, versionNo);
      if (!version) throw new ReasonError('PROPOSAL_VERSION_NOT_FOUND', `The proposal has no version ${versionNo}.`);
      return versionDetail(version, includeEvidence);
    },

    async list(query) {
      const page = await store.listProposals(query);
      return { items: page.items.map(proposalSummary), next_cursor: page.nextCursor };
    },

    async events(proposalId) {
      const proposal = await existing(proposalId);
      const events = await store.listEvents(proposalId);
      return { proposal_id: proposalId, current_state: proposal.current_state, events: events.map(workflowEvent) };
    },

    async approvals(proposalId) {
      await existing(proposalId);
      return { proposal_id: proposalId, approvals: (await store.listApprovals(proposalId)).map(approvalRecord) };
    },

    async refusedAttempts(proposalId) {
      await existing(proposalId);
      return { proposal_id: proposalId, refused_attempts: (await store.listRefusedAttempts(proposalId)).map(refusedAttemptView) };
    },

    async lineage(proposalId) {
      const lineage = await store.getLineage(proposalId);
      if (!lineage) throw new ReasonError('PROPOSAL_NOT_FOUND', 'The proposal does not exist.');
      return { proposal: proposalSummary(lineage.proposal), versions: [...lineage.versions] };
    },

    async idempotency(key) {
      const record = await store.getIdempotency(key);
      if (!record) throw new ReasonError('PROPOSAL_IDEMPOTENCY_KEY_NOT_FOUND', 'No proposal or version was created with this key.');
      return {
        idempotency_key: record.idempotency_key,
        request_hash: record.request_hash,
        proposal_id: record.proposal_id,
        proposal_version_no: record.proposal_version_no,
        created_at: record.created_at,
      };
    },
  };
}
