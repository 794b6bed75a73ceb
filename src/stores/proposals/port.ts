/**
 * The advisory proposal store: proposals, their immutable versions, the workflow events and
 * approvals that form the audit trail, create-idempotency mappings, async operations, and the
 * stored responses of the idempotent simulate and artifact endpoints.
 *
 * The proposal row is a projection of its history. Every write that changes it appends, in the
 * same transaction, the event that explains the change, and the row's state, `last_event_at`
 * and version pointer are taken from that event and version — so the row and its audit trail
 * cannot disagree. Every such write compare-and-sets the state the event starts from
 * (`event.from_state`) and the row version the caller read: a concurrent change makes it a
 * conflict with nothing written, never a lost update. Which transitions are allowed is the
 * domain's business; the store only guarantees that each one is applied to what the caller saw.
 *
 * Times are ISO-8601 strings from the caller (the store has no clock) and come back as
 * `toISOString()`; payloads (`*_json`) are arbitrary JSON.
 */
import type { ApprovalType, ProposalEventType, ProposalState } from '../../domain/workflow/proposal-state-machine.ts';
import type { LeasedOperation, LeaseRequest, RunnableCount } from '../sql/operation-leases.ts';
import type { Page } from '../sql/keyset-cursor.ts';
import type { RefusedAttempt } from '../sql/refused-attempts.ts';

export type { Page } from '../sql/keyset-cursor.ts';
export type { RefusedAttempt } from '../sql/refused-attempts.ts';
export type { LeaseRequest } from '../sql/operation-leases.ts';

export interface ProposalRecord {
  readonly proposal_id: string;
  readonly portfolio_id: string;
  readonly mandate_id: string | null;
  readonly jurisdiction: string | null;
  readonly created_by: string;
  readonly created_at: string;
  readonly last_event_at: string;
  readonly current_state: ProposalState;
  readonly current_version_no: number;
  readonly title: string | null;
  readonly advisor_notes: string | null;
  /** Bumped by every change; the optimistic-concurrency token a guarded write compares. */
  readonly row_version: number;
}

/** What a caller supplies for a new proposal; state, `last_event_at` and version pointer follow from its CREATED event and version 1. */
export type NewProposal = Omit<ProposalRecord, 'row_version' | 'current_state' | 'last_event_at' | 'current_version_no'>;

/**
 * What a version was simulated from, written with it so it can be simulated again
 * (docs/advisory.md#reproducing-a-version). Versions written before these were kept have none.
 */
export interface VersionInputs {
  /** The validated simulate request (defaults filled in) as canonical JSON text, kept byte for byte. */
  readonly request_canonical: string;
  /** The correlation id and idempotency key the engine was given (they are echoed in its result). */
  readonly correlation_id: string;
  readonly idempotency_key: string | null;
  /** `<package version>+<git commit>` of the build that simulated the version. */
  readonly engine_version: string;
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
  /** `{}` when evidence is not stored. */
  readonly evidence_bundle_json: unknown;
  readonly gate_decision_json: unknown;
  /** Absent when the version was written without them (as older releases did). */
  readonly inputs?: VersionInputs;
}

/** A version without its payloads: what the lineage endpoint shows. */
export type VersionLineage = Pick<
  ProposalVersion,
  'proposal_version_id' | 'version_no' | 'created_at' | 'status_at_creation' | 'request_hash' | 'simulation_hash' | 'artifact_hash'
>;

/** What the lineage endpoint returns: the proposal and its versions 1..current, oldest first, without payloads. */
export interface ProposalLineage {
  readonly proposal: ProposalRecord;
  readonly versions: readonly VersionLineage[];
}

export interface WorkflowEvent {
  readonly event_id: string;
  readonly proposal_id: string;
  readonly event_type: ProposalEventType;
  /** Null only for CREATED. */
  readonly from_state: ProposalState | null;
  readonly to_state: ProposalState;
  readonly actor_id: string;
  readonly occurred_at: string;
  readonly reason_json: Readonly<Record<string, unknown>>;
  readonly related_version_no: number | null;
}

/** An event that moves an existing proposal: it must still be in `from_state`. */
export type TransitionEvent = WorkflowEvent & { readonly from_state: ProposalState };

export interface Approval {
  readonly approval_id: string;
  readonly proposal_id: string;
  readonly approval_type: ApprovalType;
  readonly approved: boolean;
  readonly actor_id: string;
  readonly occurred_at: string;
  readonly details_json: Readonly<Record<string, unknown>>;
  readonly related_version_no: number | null;
}

export interface IdempotencyRecord {
  readonly idempotency_key: string;
  readonly request_hash: string;
  readonly proposal_id: string;
  readonly proposal_version_no: number;
  readonly created_at: string;
}

export interface IdempotencyClaim {
  readonly key: string;
  readonly request_hash: string;
}

export interface ProposalOperation extends LeasedOperation {
  readonly operation_type: 'CREATE_PROPOSAL' | 'CREATE_PROPOSAL_VERSION';
  readonly idempotency_key: string | null;
  readonly proposal_id: string | null;
  readonly created_by: string;
}

/**
 * A write with an idempotency key. The first transaction to insert the key wins and writes;
 * a retry or a racing writer (any replica) waits for the winner's commit and gets `existing`
 * with the winner's proposal (same request hash) or `idempotency_conflict` (another request
 * hash). Either way it writes nothing, so one key never yields two proposals or versions.
 */
export type IdempotentWrite =
  | { readonly outcome: 'created'; readonly proposal: ProposalRecord }
  | { readonly outcome: 'existing'; readonly proposal: ProposalRecord; readonly idempotency: IdempotencyRecord }
  | { readonly outcome: 'idempotency_conflict'; readonly code: 'PROPOSAL_IDEMPOTENCY_KEY_CONFLICT'; readonly idempotency: IdempotencyRecord };

/** The Idempotency-Key of an async submission and the canonical hash of the request it came with. */
export interface OperationIdempotency {
  readonly key: string;
  readonly request_hash: string;
}

/**
 * What `createOperation` decided. Without a key, or with a new one, the operation is stored
 * (`created`). With a key already taken — a retry, or a submission racing the first one on any
 * replica — nothing is written and the key's operation comes back: `existing` for the same request
 * hash, `idempotency_conflict` for another.
 */
export type OperationSubmission =
  | { readonly outcome: 'created'; readonly operation: ProposalOperation }
  | { readonly outcome: 'existing'; readonly operation: ProposalOperation }
  | { readonly outcome: 'idempotency_conflict'; readonly code: 'PROPOSAL_IDEMPOTENCY_KEY_CONFLICT'; readonly operation: ProposalOperation };

/** The advisory endpoints whose responses are idempotent; a key is scoped to one of them. */
export type SimulationEndpoint = 'SIMULATE' | 'ARTIFACT';

/** A response of /rebalance/proposals/simulate or /artifact, stored under the caller's Idempotency-Key. */
export interface SimulationResponseRecord {
  readonly endpoint: SimulationEndpoint;
  readonly idempotency_key: string;
  /** The canonical hash of the validated request the response answers. */
  readonly request_hash: string;
  /** The response body, replayed verbatim (key order included). */
  readonly response_json: unknown;
  readonly created_at: string;
}

/**
 * What `recordSimulationResponse` decided. Every outcome carries the STORED record: the caller's
 * own (`recorded`), the earlier one for the same request (`replayed`), or the earlier one for
 * another request (`conflict`, nothing written).
 */
export type SimulationRecordOutcome = {
  readonly outcome: 'recorded' | 'replayed' | 'conflict';
  readonly record: SimulationResponseRecord;
};

/** Why a guarded write did not happen (nothing was written). Codes are catalogued; HTTP maps `_CONFLICT` to 409. */
export type GuardFailure =
  | { readonly outcome: 'not_found' }
  | { readonly outcome: 'state_conflict'; readonly code: 'PROPOSAL_STATE_CONFLICT'; readonly current: ProposalRecord }
  | { readonly outcome: 'version_conflict'; readonly code: 'PROPOSAL_VERSION_CONFLICT'; readonly current: ProposalRecord };

export interface CreateProposalInput {
  readonly proposal: NewProposal;
  /** Version 1. */
  readonly version: ProposalVersion;
  /** The CREATED event; its `to_state` becomes the proposal's state. */
  readonly event: WorkflowEvent;
  readonly idempotency?: IdempotencyClaim;
}

export interface CreateVersionInput {
  /** The row version the caller read. */
  readonly expectedRowVersion: number;
  /** Must be the proposal's `current_version_no + 1`. */
  readonly version: ProposalVersion;
  /** NEW_VERSION_CREATED: the proposal must be in `from_state` and moves to `to_state` (the domain decides; the reference keeps the state). */
  readonly event: TransitionEvent;
  /** A changed portfolio, when the service allows one. */
  readonly portfolioId?: string;
  /** Makes the version retry-safe, e.g. keyed by the async operation id. */
  readonly idempotency?: IdempotencyClaim;
}

export interface TransitionInput {
  /** The row version the caller read. */
  readonly expectedRowVersion: number;
  /** The proposal must be in `event.from_state`; it moves to `event.to_state`. */
  readonly event: TransitionEvent;
  /** Recorded in the same transaction (the approvals endpoint). */
  readonly approval?: Approval;
}

export type TransitionOutcome = { readonly outcome: 'applied'; readonly proposal: ProposalRecord } | GuardFailure;

/** Descriptive fields a caller may change without an event; state and version pointer only move through `transition` / `createVersion`. */
export type ProposalChanges = Partial<Pick<ProposalRecord, 'title' | 'advisor_notes' | 'mandate_id' | 'jurisdiction'>>;

export interface UpdateProposalInput {
  readonly proposalId: string;
  /** The row version the caller read. */
  readonly expectedRowVersion: number;
  readonly changes: ProposalChanges;
}

export type UpdateOutcome =
  | { readonly outcome: 'updated'; readonly proposal: ProposalRecord }
  | Exclude<GuardFailure, { outcome: 'state_conflict' }>;

export interface ProposalFilter {
  readonly portfolio_id?: string | undefined;
  readonly state?: string | undefined;
  readonly created_by?: string | undefined;
  /** Inclusive. */
  readonly created_from?: string | undefined;
  /** Inclusive. */
  readonly created_to?: string | undefined;
  readonly limit: number;
  /** From a previous page; a cursor this service did not issue throws `PROPOSAL_INVALID_CURSOR`. */
  readonly cursor?: string | undefined;
}

export interface OperationSuccess {
  readonly finished_at: string;
  /** The CreateResponse JSON. */
  readonly result_json: unknown;
  readonly proposal_id: string;
}

export interface OperationFailure {
  readonly finished_at: string;
  /** `{code, message}`. */
  readonly error_json: unknown;
}

/** Fields `updateOperation` may set. Leaving RUNNING clears the lease. */
export type OperationChanges = Partial<
  Pick<ProposalOperation, 'status' | 'proposal_id' | 'started_at' | 'finished_at' | 'result_json' | 'error_json'>
>;

export interface UpdateOperationInput {
  readonly operationId: string;
  /** Compare-and-set: applied only while the operation is still in this status. */
  readonly expectedStatus: ProposalOperation['status'];
  readonly changes: OperationChanges;
}

export interface ProposalStore {
  /** Proposal + version 1 + CREATED event (+ idempotency key), atomically; with a used key, `existing` (or `idempotency_conflict`) and nothing written. */
  createProposal(input: CreateProposalInput): Promise<IdempotentWrite>;
  /** Version + event + proposal update (+ idempotency key), atomically, compare-and-set on state and row version. */
  createVersion(input: CreateVersionInput): Promise<IdempotentWrite | GuardFailure>;
  /** State change + event (+ approval), atomically, compare-and-set on state and row version. */
  transition(input: TransitionInput): Promise<TransitionOutcome>;
  /** Descriptive fields only, compare-and-set on the row version (bumps it). */
  updateProposal(input: UpdateProposalInput): Promise<UpdateOutcome>;

  getProposal(proposalId: string): Promise<ProposalRecord | null>;
  /** Newest first: `created_at DESC, proposal_id DESC`, keyset-paged; throws `ReasonError('PROPOSAL_INVALID_CURSOR')` for a foreign cursor. */
  listProposals(filter: ProposalFilter): Promise<Page<ProposalRecord>>;
  getVersion(proposalId: string, versionNo: number): Promise<ProposalVersion | null>;
  /** The highest version number. */
  getCurrentVersion(proposalId: string): Promise<ProposalVersion | null>;
  /** The proposal and versions 1..current_version_no (oldest first); null when the proposal does not exist. */
  getLineage(proposalId: string): Promise<ProposalLineage | null>;
  /** In the order they were written (events are only appended by create / createVersion / transition). */
  listEvents(proposalId: string): Promise<WorkflowEvent[]>;
  /** In the order they were written (approvals are only created by `transition({ approval })`). */
  listApprovals(proposalId: string): Promise<Approval[]>;
  /** Appends a refused decision on a proposal (`entity_id`, which must exist); append-only like the events. */
  recordRefusedAttempt(attempt: RefusedAttempt): Promise<void>;
  /** The proposal's refused attempts, oldest first. */
  listRefusedAttempts(proposalId: string): Promise<RefusedAttempt[]>;
  getIdempotency(key: string): Promise<IdempotencyRecord | null>;

  /**
   * Stores a simulate/artifact response under its (endpoint, key) unless the key is taken; the
   * database decides between concurrent callers (any replica), so one key keeps one response.
   */
  recordSimulationResponse(record: SimulationResponseRecord): Promise<SimulationRecordOutcome>;
  getSimulationResponse(endpoint: SimulationEndpoint, key: string): Promise<SimulationResponseRecord | null>;

  /**
   * Stores an accepted operation; with an idempotency key, only if the key is new. The key is
   * claimed in the same transaction as the operation, so concurrent submissions with one key
   * (any replica) store exactly one operation and every other one receives it.
   */
  createOperation(operation: ProposalOperation, idempotency?: OperationIdempotency): Promise<OperationSubmission>;
  /** Compare-and-set on status; the updated operation, or null when it is missing or its status moved. */
  updateOperation(input: UpdateOperationInput): Promise<ProposalOperation | null>;
  getOperation(operationId: string): Promise<ProposalOperation | null>;
  /** The latest operation with this correlation id (correlation ids are not unique). */
  getOperationByCorrelation(correlationId: string): Promise<ProposalOperation | null>;
  /**
   * The worker loop's claim: atomically moves the oldest runnable operation — PENDING, or
   * RUNNING whose lease expired (its worker died) — to RUNNING under `workerId`'s lease until
   * `now + leaseMs`. Of concurrent claimers (replicas included) exactly one gets a given
   * operation; null when nothing is runnable. Only operations with `request_json` are runnable.
   */
  claimRunnable(request: LeaseRequest): Promise<ProposalOperation | null>;
  /** What `claimRunnable` could take at `now`, counted (the async queue depth at /metrics); reads only. */
  countRunnableOperations(now: string): Promise<RunnableCount>;
  /** Claims this operation if it is PENDING and has a request (null otherwise). */
  claimOperation(request: LeaseRequest & { readonly operationId: string }): Promise<ProposalOperation | null>;
  /** Heartbeat: pushes the lease to `now + leaseMs`; false when the lease was lost. */
  extendLease(request: LeaseRequest & { readonly operationId: string }): Promise<boolean>;
  /** RUNNING → SUCCEEDED, only by the lease holder; false otherwise (lease lost, already finished). */
  completeOperation(operationId: string, workerId: string, success: OperationSuccess): Promise<boolean>;
  /** RUNNING → FAILED, only by the lease holder; false otherwise. */
  failOperation(operationId: string, workerId: string, failure: OperationFailure): Promise<boolean>;

  close(): Promise<void>;
}
