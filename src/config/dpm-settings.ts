/**
 * The DPM run store and API (docs/dpm-api.md, docs/configuration.md): backend and where it keeps
 * its data, idempotent replay, the feature switches, async operations, artifacts, run review and
 * retention.
 */
import { dsnVariable, enumVariable, flagVariable, integerVariable, textVariable, type ValuesOf } from './variables.ts';
import { DPM_FEATURE_VARIABLES, dpmFeatureFlags, type DpmFeatureFlags } from './feature-flags.ts';

export type DpmStoreBackend = 'IN_MEMORY' | 'SQL' | 'POSTGRES';
export type DpmAsyncExecutionMode = 'INLINE' | 'ACCEPT_ONLY';
export type DpmArtifactStoreMode = 'DERIVED' | 'PERSISTED';

export interface DpmSettings {
  readonly backend: DpmStoreBackend;
  readonly postgresDsn: string;
  readonly sqlitePath: string;
  /** DPM_IDEMPOTENCY_REPLAY_ENABLED; a policy pack's `idempotency_policy.replay_enabled` overrides it per request. */
  readonly replayEnabled: boolean;
  readonly features: DpmFeatureFlags;
  readonly asyncOperations: {
    readonly executionMode: DpmAsyncExecutionMode;
    readonly ttlSeconds: number;
    /** How long a worker holds a RUNNING operation without a heartbeat before another may take it over. */
    readonly leaseMs: number;
    readonly workerPollMs: number;
  };
  readonly artifactStoreMode: DpmArtifactStoreMode;
  /** Run statuses that need a workflow decision (DPM_WORKFLOW_REQUIRES_REVIEW_FOR_STATUSES). */
  readonly workflowReviewStatuses: readonly string[];
  readonly retention: { readonly days: number; readonly purgeIntervalMs: number };
}

export const DPM_VARIABLES = {
  dpmBackend: enumVariable({
    name: 'DPM_SUPPORTABILITY_STORE_BACKEND',
    description: 'Where DPM runs, idempotency, async operations, workflow and lineage are kept.',
    values: ['IN_MEMORY', 'SQL', 'POSTGRES'],
    aliases: { SQLITE: 'SQL' },
    defaultValue: 'IN_MEMORY',
    invalidCode: 'DPM_SUPPORTABILITY_STORE_BACKEND_INVALID',
  }),
  dpmDsn: dsnVariable({
    name: 'DPM_SUPPORTABILITY_POSTGRES_DSN',
    description: 'PostgreSQL DSN of the DPM supportability store (required with POSTGRES).',
    invalidCode: 'DPM_SUPPORTABILITY_POSTGRES_DSN_INVALID',
    requiredCode: 'DPM_SUPPORTABILITY_POSTGRES_DSN_REQUIRED',
  }),
  dpmSqlPath: textVariable({
    name: 'DPM_SUPPORTABILITY_SQL_PATH',
    description: 'SQLite file of the DPM store (backend SQL). Wins over the legacy DPM_SUPPORTABILITY_SQLITE_PATH.',
    defaultValue: '',
    defaultText: 'DPM_SUPPORTABILITY_SQLITE_PATH, else .data/dpm_supportability.db',
    allowed: 'file path (parent folder is created)',
  }),
  dpmSqliteLegacyPath: textVariable({
    name: 'DPM_SUPPORTABILITY_SQLITE_PATH',
    description: 'Legacy name of DPM_SUPPORTABILITY_SQL_PATH, used only when the new name is unset.',
    defaultValue: '',
    allowed: 'file path',
  }),
  dpmReplayEnabled: flagVariable({
    name: 'DPM_IDEMPOTENCY_REPLAY_ENABLED',
    description: 'Same Idempotency-Key + same request replays the stored run; off, every simulate records a new run. A policy pack may override it.',
    defaultValue: true,
  }),
  ...DPM_FEATURE_VARIABLES,
  dpmAsyncExecutionMode: enumVariable({
    name: 'DPM_ASYNC_EXECUTION_MODE',
    description: 'INLINE: the accepting request runs the operation before answering 202 (a worker finishes it elsewhere if that process dies). ACCEPT_ONLY: operations wait for POST /rebalance/operations/{id}/execute.',
    values: ['INLINE', 'ACCEPT_ONLY'],
    defaultValue: 'INLINE',
    invalidCode: 'CONFIG_ENUM_INVALID',
  }),
  dpmAsyncTtlSeconds: integerVariable({
    name: 'DPM_ASYNC_OPERATIONS_TTL_SECONDS',
    description: 'Finished (or never-started) async operations are purged this long after they finished (or were created).',
    defaultValue: 86_400,
    min: 1,
    max: 31_536_000,
  }),
  dpmAsyncLeaseMs: integerVariable({
    name: 'DPM_ASYNC_LEASE_MS',
    description: 'Lease of a RUNNING async operation; the worker renews it while working. If its process dies, another worker takes the operation over once the lease expires.',
    defaultValue: 30_000,
    min: 100,
    max: 3_600_000,
  }),
  dpmAsyncWorkerPollMs: integerVariable({
    name: 'DPM_ASYNC_WORKER_POLL_MS',
    description: 'How often the async worker looks for operations whose lease expired (their process died) and takes them over.',
    defaultValue: 1_000,
    min: 10,
    max: 600_000,
  }),
  dpmArtifactStoreMode: enumVariable({
    name: 'DPM_ARTIFACT_STORE_MODE',
    description: 'DERIVED: build the artifact from the stored run on each read. PERSISTED: store it with the run (backfilled on first read).',
    values: ['DERIVED', 'PERSISTED'],
    defaultValue: 'DERIVED',
    invalidCode: 'CONFIG_ENUM_INVALID',
  }),
  dpmWorkflowReviewStatuses: textVariable({
    name: 'DPM_WORKFLOW_REQUIRES_REVIEW_FOR_STATUSES',
    description: 'Comma-separated run statuses that need a review decision (case-sensitive; empty items are dropped).',
    defaultValue: 'PENDING_REVIEW',
    allowed: 'CSV of run statuses',
  }),
  dpmRetentionDays: integerVariable({
    name: 'DPM_SUPPORTABILITY_RETENTION_DAYS',
    description: 'Runs older than this many days are purged with everything that hangs off them; 0 keeps them forever.',
    defaultValue: 0,
    min: 0,
    max: 36_500,
  }),
  dpmRetentionPurgeIntervalMs: integerVariable({
    name: 'DPM_SUPPORTABILITY_PURGE_INTERVAL_MS',
    description: 'How often the retention and async-operation TTL purges run (on a schedule, never on the request path).',
    defaultValue: 60_000,
    min: 100,
    max: 86_400_000,
  }),
} as const;

/** Items trimmed, empty ones dropped; nothing left → the fallback (as the reference's `env_csv_set`). */
function csvItems(raw: string, fallback: readonly string[]): readonly string[] {
  const items = raw.split(',').map((item) => item.trim()).filter((item) => item !== '');
  return items.length > 0 ? items : fallback;
}

export function dpmSettings(v: ValuesOf<typeof DPM_VARIABLES>): DpmSettings {
  return {
    backend: v.dpmBackend,
    postgresDsn: v.dpmDsn,
    sqlitePath: v.dpmSqlPath || v.dpmSqliteLegacyPath || '.data/dpm_supportability.db',
    replayEnabled: v.dpmReplayEnabled,
    features: dpmFeatureFlags(v),
    asyncOperations: {
      executionMode: v.dpmAsyncExecutionMode,
      ttlSeconds: v.dpmAsyncTtlSeconds,
      leaseMs: v.dpmAsyncLeaseMs,
      workerPollMs: v.dpmAsyncWorkerPollMs,
    },
    artifactStoreMode: v.dpmArtifactStoreMode,
    workflowReviewStatuses: csvItems(v.dpmWorkflowReviewStatuses, ['PENDING_REVIEW']),
    retention: { days: v.dpmRetentionDays, purgeIntervalMs: v.dpmRetentionPurgeIntervalMs },
  };
}
