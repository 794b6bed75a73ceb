/**
 * The DPM supportability store: everything operations need to investigate a rebalance run
 * months later. One port, three backends (IN_MEMORY = SQLite `:memory:`, SQL = SQLite file,
 * POSTGRES), one contract suite. Times are ISO-8601 strings given by the caller; payloads are
 * JSON values stored as given.
 */
import type { LeasedOperation, LeaseRequest, RunnableCount } from '../sql/operation-leases.ts';
import type { Page } from '../sql/keyset-cursor.ts';
import type { RefusedAttempt } from '../sql/refused-attempts.ts';

export type { Page } from '../sql/keyset-cursor.ts';
export type { RefusedAttempt } from '../sql/refused-attempts.ts';
export type { LeaseRequest } from '../sql/operation-leases.ts';

export interface RunRecord {
  readonly rebalance_run_id: string;
  readonly correlation_id: string;
  readonly request_hash: string;
  readonly idempotency_key: string | null;
  readonly portfolio_id: string;
  /** The result's status (READY, PENDING_REVIEW, BLOCKED …), kept as a column so lists filter on an index. */
  readonly status: string;
  readonly created_at: string;
  readonly result_json: unknown;
  /**
   * The verified subject who asked for the run (docs/security.md#four-eyes); absent when it was
   * recorded without authentication.
   */
  readonly requested_by?: string;
}

/**
 * What a run was computed from, recorded with it so it can be computed again
 * (docs/dpm-api.md#reproducing-a-run). Runs recorded before these were kept have none.
 */
export interface RunInputs {
  /** The validated request (defaults filled in) as canonical JSON text, kept byte for byte. */
  readonly request_canonical: string;
  /** The options the engine ran with: the request's, after any policy-pack override. */
  readonly effective_options_json: unknown;
  readonly policy_pack_id: string | null;
  readonly policy_pack_version: string | null;
  /** `<package version>+<git commit>` of the build that computed the run. */
  readonly engine_version: string;
}

export interface IdempotencyMapping {
  readonly idempotency_key: string;
  readonly request_hash: string;
  readonly rebalance_run_id: string;
  readonly created_at: string;
}

export interface IdempotencyHistoryEntry {
  readonly idempotency_key: string;
  readonly rebalance_run_id: string;
  readonly correlation_id: string;
  readonly request_hash: string;
  readonly created_at: string;
}

export interface LineageEdge {
  readonly edge_id: string;
  readonly source_entity_id: string;
  readonly edge_type: string;
  readonly target_entity_id: string;
  readonly created_at: string;
  readonly metadata_json: unknown;
}

export type { OperationStatus } from '../sql/operation-leases.ts';

export interface AsyncOperation extends LeasedOperation {
  readonly operation_type: string;
}

export interface WorkflowDecision {
  readonly decision_id: string;
  readonly run_id: string;
  readonly action: string;
  readonly reason_code: string;
  readonly comment: string | null;
  readonly actor_id: string;
  readonly decided_at: string;
  readonly correlation_id: string;
}

/**
 * What `recordRun` did. With an idempotency key: the first writer records; a later call with
 * the same request hash gets the stored run back (`replayed`); with another hash it gets
 * `conflict` and nothing is written. Racing writers can never create two mappings.
 * `resultText` is the run's result as the JSON text the store keeps — what was written, or what a
 * replay read back — so a replay answers the first answer's bytes without serialising it again.
 */
export type RecordRunOutcome =
  | { readonly outcome: 'recorded'; readonly run: RunRecord; readonly resultText: string }
  | { readonly outcome: 'replayed'; readonly run: RunRecord; readonly resultText: string }
  | { readonly outcome: 'conflict'; readonly existingRequestHash: string; readonly existingRunId: string };

export interface RecordRunInput {
  readonly run: RunRecord;
  /** Edges written in the same transaction as the run. */
  readonly lineage: readonly LineageEdge[];
  /**
   * false: the key is not used for replay or conflict detection — every call records a new run
   * and the mapping points at the latest (the reference's replay-disabled behaviour); the
   * history still keeps every attempt.
   */
  readonly replay: boolean;
  /**
   * What the key's mapping stores and compares instead of `run.request_hash` (default: the request
   * hash). Simulate puts the applied policy pack in it, so a key replays only a run computed under
   * the same pack, while the run keeps the engine's request hash.
   */
  readonly idempotencyHash?: string;
  /** Written into the run's row; absent, the run is recorded without them (as older releases did). */
  readonly inputs?: RunInputs;
  /** `JSON.stringify(run.result_json)` when the caller already made it (simulate answers with the same text); the store writes it as given. */
  readonly resultText?: string;
}

export interface ListPage {
  readonly limit: number;
  readonly cursor?: string | undefined;
}

export interface RunFilter extends ListPage {
  readonly created_from?: string | undefined;
  readonly created_to?: string | undefined;
  readonly status?: string | undefined;
  readonly request_hash?: string | undefined;
  readonly portfolio_id?: string | undefined;
}

export interface OperationFilter extends ListPage {
  readonly created_from?: string | undefined;
  readonly created_to?: string | undefined;
  readonly operation_type?: string | undefined;
  readonly status?: string | undefined;
  readonly correlation_id?: string | undefined;
}

export interface DecisionFilter extends ListPage {
  readonly rebalance_run_id?: string | undefined;
  readonly action?: string | undefined;
  readonly actor_id?: string | undefined;
  readonly reason_code?: string | undefined;
  readonly decided_from?: string | undefined;
  readonly decided_to?: string | undefined;
}

export interface LineageFilter extends ListPage {
  readonly edge_type?: string | undefined;
  readonly created_from?: string | undefined;
  readonly created_to?: string | undefined;
}

export interface OperationSuccess {
  readonly finished_at: string;
  readonly result_json: unknown;
}

export interface OperationFailure {
  readonly finished_at: string;
  /** `{code, message}` in the service's shape. */
  readonly error_json: unknown;
}

/**
 * What `appendWorkflowDecision` did. With `expectedLatestDecisionId` the append happens only if
 * the run's latest decision is still that one (optimistic concurrency: of two reviewers acting
 * from the same state, one wins and the other learns the state it lost to).
 */
export type AppendDecisionOutcome =
  | { readonly outcome: 'appended'; readonly decision: WorkflowDecision }
  | { readonly outcome: 'stale'; readonly latest: WorkflowDecision | null };

export interface SupportabilitySummary {
  readonly run_count: number;
  readonly operation_count: number;
  readonly operation_status_counts: Record<string, number>;
  readonly run_status_counts: Record<string, number>;
  readonly workflow_decision_count: number;
  readonly workflow_action_counts: Record<string, number>;
  readonly workflow_reason_code_counts: Record<string, number>;
  readonly lineage_edge_count: number;
  readonly oldest_run_created_at: string | null;
  readonly newest_run_created_at: string | null;
  readonly oldest_operation_created_at: string | null;
  readonly newest_operation_created_at: string | null;
}

export interface DpmRunStore {
  /** Run + idempotency mapping + history entry + lineage edges, atomically. */
  recordRun(input: RecordRunInput): Promise<RecordRunOutcome>;
  /**
   * `recordRun`'s replay, for a caller that has not computed the run yet: when the key maps to
   * `idempotencyHash`, appends `entry` to the key's history (with the mapped run) and returns that
   * run with its result as stored; otherwise writes nothing and returns null — `recordRun` decides.
   */
  replayRun(entry: Omit<IdempotencyHistoryEntry, 'rebalance_run_id'>, idempotencyHash: string): Promise<{ readonly run: RunRecord; readonly resultText: string } | null>;
  getRun(runId: string): Promise<RunRecord | null>;
  /** The latest run of a correlation id (several runs may share one). */
  getRunByCorrelation(correlationId: string): Promise<RunRecord | null>;
  getRunByRequestHash(requestHash: string): Promise<RunRecord | null>;
  getRunByIdempotencyKey(key: string): Promise<RunRecord | null>;
  /**
   * The inputs recorded with a run; null when the run does not exist or was recorded without them.
   * Kept apart from `RunRecord` because a request can be megabytes and no other read needs it.
   */
  getRunInputs(runId: string): Promise<RunInputs | null>;
  /** Newest first: `created_at DESC, rebalance_run_id DESC`; bounds inclusive. */
  listRuns(filter: RunFilter): Promise<Page<RunRecord>>;

  saveArtifact(runId: string, artifact: unknown, createdAt: string): Promise<void>;
  getArtifact(runId: string): Promise<unknown>;

  getIdempotencyMapping(key: string): Promise<IdempotencyMapping | null>;
  /** Oldest first. */
  listIdempotencyHistory(key: string): Promise<IdempotencyHistoryEntry[]>;

  /** Creates an operation — PENDING, or RUNNING already leased to its creator — with its lineage edges, atomically. */
  createOperation(operation: AsyncOperation, lineage: readonly LineageEdge[]): Promise<void>;
  getOperation(operationId: string): Promise<AsyncOperation | null>;
  getOperationByCorrelation(correlationId: string): Promise<AsyncOperation | null>;
  listOperations(filter: OperationFilter): Promise<Page<AsyncOperation>>;
  /**
   * The worker loop's claim: atomically moves the oldest runnable operation — PENDING, or
   * RUNNING whose lease expired (its worker died) — to RUNNING under `workerId`'s lease and
   * returns it; null when nothing is runnable. Of any number of concurrent claimers (replicas
   * included) exactly one gets a given operation, so an accepted operation is neither lost nor
   * run twice. Only operations with a request payload are runnable. With `abandonedOnly`, only
   * the expired RUNNING ones: PENDING operations are left for their explicit execute.
   */
  claimRunnable(request: LeaseRequest & { readonly abandonedOnly?: boolean }): Promise<AsyncOperation | null>;
  /** What `claimRunnable` could take at `now`, counted (the async queue depth at /metrics); reads only. */
  countRunnableOperations(now: string): Promise<RunnableCount>;
  /** Manual execute: claims this operation if it is PENDING (null otherwise: missing, running or finished). */
  claimOperation(request: LeaseRequest & { readonly operationId: string }): Promise<AsyncOperation | null>;
  /** Heartbeat of a long run: pushes the lease to `now + leaseMs`; false when the lease was lost. */
  extendLease(request: LeaseRequest & { readonly operationId: string }): Promise<boolean>;
  /** RUNNING → SUCCEEDED, only by the lease holder; false when the lease was lost to another worker. */
  completeOperation(operationId: string, workerId: string, success: OperationSuccess): Promise<boolean>;
  /** RUNNING → FAILED, only by the lease holder; false when the lease was lost to another worker. */
  failOperation(operationId: string, workerId: string, failure: OperationFailure): Promise<boolean>;
  /**
   * TTL purge: deletes operations whose `finished_at ?? created_at` is before `cutoff`, with
   * their lineage edges — except RUNNING ones whose lease is still live at `now` (a long run is
   * never purged mid-flight). Returns how many operations went.
   */
  purgeExpiredOperations(purge: { readonly cutoff: string; readonly now: string }): Promise<number>;

  /**
   * Appends a decision. With `expectedLatestDecisionId` (null = "no decision yet") it is appended
   * only if that is still the run's latest decision; otherwise `stale` with the actual latest.
   * The run must exist (foreign key).
   */
  appendWorkflowDecision(decision: WorkflowDecision, guard?: { readonly expectedLatestDecisionId: string | null }): Promise<AppendDecisionOutcome>;
  /** The run's decisions in the order they were appended (the last one is the latest). */
  listWorkflowDecisions(runId: string): Promise<WorkflowDecision[]>;
  /** Records a refused workflow action on a run (`entity_id`); the run must exist, and the attempt is purged with it. */
  recordRefusedAttempt(attempt: RefusedAttempt): Promise<void>;
  /** The run's refused attempts, oldest first. */
  listRefusedAttempts(runId: string): Promise<RefusedAttempt[]>;
  /** Newest first: `decided_at DESC, decision_id DESC`. */
  listWorkflowDecisionsFiltered(filter: DecisionFilter): Promise<Page<WorkflowDecision>>;

  appendLineageEdges(edges: readonly LineageEdge[]): Promise<void>;
  /** Edges touching the entity as source or target, oldest first: `created_at, edge_id`. */
  listLineageEdges(entityId: string, filter: LineageFilter): Promise<Page<LineageEdge>>;

  summary(): Promise<SupportabilitySummary>;
  /**
   * Retention: deletes runs created before `cutoff` with their artifacts, idempotency mappings and
   * history, workflow decisions and the lineage edges that touch the run ids — never edges of
   * live runs that share a correlation id or key. Returns how many runs went. Runs go in batches
   * of 500, oldest first, each batch atomic: a purge interrupted (a crash, a lost connection)
   * has removed whole runs only, and the next one carries on.
   */
  purgeRunsBefore(cutoff: string): Promise<number>;

  /** Cheap round trip for readiness. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
