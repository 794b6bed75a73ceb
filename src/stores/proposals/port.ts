/**
 * The advisory proposal store: proposals, their immutable versions, the workflow events and
 * approvals that form the audit trail, create-idempotency mappings and async operations.
 * Every multi-record write is one transaction; transitions compare-and-set on the proposal's
 * state and row version, so a concurrent change is a conflict, never a lost update.
 */
import type { LeaseClaim, LeaseCompletion } from '../sql/operation-leases.ts';
import type { Page } from '../sql/keyset-cursor.ts';

export type { Page } from '../sql/keyset-cursor.ts';

export interface ProposalRecord {
  readonly proposal_id: string;
  readonly portfolio_id: string;
  readonly mandate_id: string | null;
  readonly jurisdiction: string | null;
  readonly created_by: string;
  readonly created_at: string;
  readonly last_event_at: string;
  readonly current_state: string;
  readonly current_version_no: number;
  readonly title: string | null;
  readonly advisor_notes: string | null;
  /** Bumped by every change; the optimistic-concurrency token. */
  readonly row_version: number;
}

export interface ProposalVersion {
  readonly proposal_version_id: string;
  readonly proposal_id: string;
  readonly version_no: number;
  readonly created_at: string;
  readonly request_hash: string;
  readonly artifact_hash: string;
  readonly simulation_hash: string;
  readonly status_at_creation: string;
  readonly proposal_result_json: unknown;
  readonly artifact_json: unknown;
  readonly evidence_bundle_json: unknown;
  readonly gate_decision_json: unknown;
}

export interface WorkflowEvent {
  readonly event_id: string;
  readonly proposal_id: string;
  readonly event_type: string;
  readonly from_state: string | null;
  readonly to_state: string;
  readonly actor_id: string;
  readonly occurred_at: string;
  readonly reason_json: unknown;
  readonly related_version_no: number | null;
}

export interface Approval {
  readonly approval_id: string;
  readonly proposal_id: string;
  readonly approval_type: 'RISK' | 'COMPLIANCE' | 'CLIENT_CONSENT';
  readonly approved: boolean;
  readonly actor_id: string;
  readonly occurred_at: string;
  readonly details_json: unknown;
  readonly related_version_no: number | null;
}

export interface IdempotencyRecord {
  readonly idempotency_key: string;
  readonly request_hash: string;
  readonly proposal_id: string;
  readonly proposal_version_no: number;
  readonly created_at: string;
}

export interface ProposalOperation {
  readonly operation_id: string;
  readonly operation_type: 'CREATE_PROPOSAL' | 'CREATE_PROPOSAL_VERSION';
  readonly status: 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  readonly correlation_id: string;
  readonly idempotency_key: string | null;
  readonly proposal_id: string | null;
  readonly created_by: string;
  readonly created_at: string;
  readonly started_at: string | null;
  readonly finished_at: string | null;
  readonly result_json: unknown;
  readonly error_json: unknown;
  readonly request_json: unknown;
  readonly lease_owner: string | null;
  readonly lease_expires_at: string | null;
}

export interface IdempotencyClaim {
  readonly key: string;
  readonly request_hash: string;
}

/** A retried or racing write with an idempotency key gets the original back; another body is a conflict. */
export type IdempotentOutcome<T> =
  | ({ readonly outcome: 'created' } & T)
  | { readonly outcome: 'existing'; readonly idempotency: IdempotencyRecord }
  | { readonly outcome: 'idempotency_conflict'; readonly idempotency: IdempotencyRecord };

export interface CreateProposalInput {
  readonly proposal: Omit<ProposalRecord, 'row_version'>;
  readonly version: ProposalVersion;
  readonly event: WorkflowEvent;
  readonly idempotency?: IdempotencyClaim;
}

export interface CreateVersionInput {
  readonly proposalId: string;
  /** Compare-and-set token: the row version the caller read. */
  readonly expectedRowVersion: number;
  readonly version: ProposalVersion;
  readonly event: WorkflowEvent;
  /** The state after the new version (the lifecycle service decides it). */
  readonly newState: string;
  readonly portfolioId?: string;
  readonly idempotency?: IdempotencyClaim;
}

export interface TransitionInput {
  readonly proposalId: string;
  readonly expectedState: string;
  /** When given, the proposal must also still be at this row version. */
  readonly expectedRowVersion?: number;
  readonly newState: string;
  readonly event: WorkflowEvent;
  readonly approval?: Approval;
}

/** Why a guarded write did not happen. The codes are catalogued; the HTTP layer maps them to 404/409. */
export type GuardFailure =
  | { readonly outcome: 'not_found' }
  | { readonly outcome: 'state_conflict'; readonly current: ProposalRecord }
  | { readonly outcome: 'version_conflict'; readonly current: ProposalRecord };

export type TransitionOutcome = { readonly outcome: 'applied'; readonly proposal: ProposalRecord } | GuardFailure;

export interface ProposalFilter {
  readonly portfolio_id?: string | undefined;
  readonly state?: string | undefined;
  readonly created_by?: string | undefined;
  readonly created_from?: string | undefined;
  readonly created_to?: string | undefined;
  readonly limit: number;
  readonly cursor?: string | undefined;
}

export interface ProposalStore {
  createProposal(input: CreateProposalInput): Promise<IdempotentOutcome<{ proposal: ProposalRecord }>>;
  createVersion(input: CreateVersionInput): Promise<IdempotentOutcome<{ proposal: ProposalRecord }> | GuardFailure>;
  transition(input: TransitionInput): Promise<TransitionOutcome>;

  getProposal(proposalId: string): Promise<ProposalRecord | null>;
  /** Newest first: `created_at DESC, proposal_id DESC`. */
  listProposals(filter: ProposalFilter): Promise<Page<ProposalRecord>>;
  getVersion(proposalId: string, versionNo: number): Promise<ProposalVersion | null>;
  getCurrentVersion(proposalId: string): Promise<ProposalVersion | null>;
  /** Oldest first. */
  listVersions(proposalId: string): Promise<ProposalVersion[]>;
  /** In the order they happened. */
  listEvents(proposalId: string): Promise<WorkflowEvent[]>;
  listApprovals(proposalId: string): Promise<Approval[]>;
  getIdempotency(key: string): Promise<IdempotencyRecord | null>;

  createOperation(operation: ProposalOperation): Promise<void>;
  getOperation(operationId: string): Promise<ProposalOperation | null>;
  getOperationByCorrelation(correlationId: string): Promise<ProposalOperation | null>;
  claimOperation(claim: LeaseClaim): Promise<ProposalOperation | null>;
  completeOperation(operationId: string, workerId: string, completion: LeaseCompletion & { proposal_id: string | null }): Promise<boolean>;

  ping(): Promise<void>;
  close(): Promise<void>;
}
