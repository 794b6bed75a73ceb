/**
 * Typed settings: the only module that reads `process.env`.
 *
 * `loadSettings` never throws and never falls back silently: every invalid value becomes a
 * violation with its own reason code, and all of them are returned together. The returned
 * settings are still complete (invalid values replaced by defaults) so the guardrails can be
 * evaluated on top and every problem reported in one go; a caller must not start anything
 * while `ok` is false.
 */
import { availableParallelism } from 'node:os';
import {
  dsnVariable,
  enumVariable,
  flagVariable,
  integerVariable,
  textVariable,
  type Env,
  type Variable,
  type VariableDoc,
  type Violation,
} from './variables.ts';
import { TRACING_VARIABLES, tracingSettings, type TracingSettings } from './tracing.ts';
import { AUTH_VARIABLES, authSettings, type AuthSettings } from './auth.ts';
import { DPM_FEATURE_VARIABLES, dpmFeatureFlags, PROPOSAL_FEATURE_VARIABLES, type DpmFeatureFlags } from './feature-flags.ts';
import { HTTP_LIMIT_VARIABLES, httpLimits, httpLimitViolations, type HttpLimits } from './http-limits.ts';

export const PROFILES = ['LOCAL', 'PRODUCTION'] as const;
export type PersistenceProfile = (typeof PROFILES)[number];
export type DpmStoreBackend = 'IN_MEMORY' | 'SQL' | 'POSTGRES';
export type ProposalStoreBackend = 'IN_MEMORY' | 'SQLITE' | 'POSTGRES';
export type PolicyPackCatalogBackend = 'ENV_JSON' | 'SQLITE' | 'POSTGRES';
export type DpmAsyncExecutionMode = 'INLINE' | 'ACCEPT_ONLY';
export type DpmArtifactStoreMode = 'DERIVED' | 'PERSISTED';

export interface Settings {
  readonly profile: PersistenceProfile;
  /**
   * Server processes sharing the port (docs/deployment.md#processes-per-instance): WEB_CONCURRENCY,
   * or one per core when unset and every store can be shared between processes, else 1.
   */
  readonly webConcurrency: number;
  readonly http: {
    readonly host: string;
    readonly port: number;
    readonly logLevel: string;
    readonly shutdownGraceMs: number;
    /** Largest request body accepted (413 FST_ERR_CTP_BODY_TOO_LARGE above it). */
    readonly bodyLimitBytes: number;
    /** Timeouts and connection limits of the HTTP server (docs/operations.md#http-server-limits). */
    readonly limits: HttpLimits;
  };
  /** OpenTelemetry tracing (the standard OTEL_* variables; off unless they ask for it). */
  readonly tracing: TracingSettings;
  /** Who may call what (API_AUTH_*; docs/security.md). */
  readonly auth: AuthSettings;
  /** LOCAL migrates its own stores on start; PRODUCTION only verifies unless APP_MIGRATE_ON_STARTUP=true. */
  readonly migrateOnStartup: boolean;
  readonly postgres: {
    /** Connections per pool of this process: POSTGRES_POOL_MAX shared out among the WEB_CONCURRENCY processes (at least 1). */
    readonly poolMax: number;
    readonly statementTimeoutMs: number;
    readonly lockTimeoutMs: number;
    readonly idleInTransactionTimeoutMs: number;
    readonly queryTimeoutMs: number;
    readonly transactionTimeoutMs: number;
    readonly connectTimeoutMs: number;
    readonly applicationName: string;
    readonly migrationLockTimeoutMs: number;
  };
  /** How background loops and the outage log behave while a store is unavailable (docs/operations.md). */
  readonly resilience: { readonly retryMaxBackoffMs: number; readonly outageLogIntervalMs: number };
  readonly dpm: {
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
  };
  readonly proposals: { readonly backend: ProposalStoreBackend; readonly postgresDsn: string; readonly sqlitePath: string };
  /** Where engine calls run (docs/operations.md#engine-worker-pool). */
  readonly engine: { readonly threads: number; readonly queueMax: number; readonly callTimeoutMs: number; readonly inlineMaxRows: number };
  /** The advisory proposal lifecycle API, read once at startup (docs/advisory.md#flags). */
  readonly proposalLifecycle: ProposalLifecycleSettings;
  readonly policyPacks: {
    readonly catalogBackend: PolicyPackCatalogBackend;
    /** DPM_POLICY_PACK_POSTGRES_DSN exactly as given: the guardrail accepts no fallback. */
    readonly explicitPostgresDsn: string;
    /** The DSN the catalog connects to: the explicit one, or the DPM DSN when the variable is unset. */
    readonly postgresDsn: string;
    readonly sqlitePath: string;
    readonly catalogJson: string;
    readonly enabled: boolean;
    readonly adminApisEnabled: boolean;
    readonly adminToken: string;
    readonly defaultPolicyPackId: string;
    readonly tenantResolutionEnabled: boolean;
    /** Raw JSON; parsed and validated by the policy-pack domain at startup. */
    readonly tenantMapJson: string;
    readonly cacheTtlMs: number;
    /** Packs or their admin APIs are on, so the catalog is part of the persistence contract. */
    readonly catalogRequired: boolean;
  };
}

export interface ProposalLifecycleSettings {
  readonly lifecycleEnabled: boolean;
  readonly supportApisEnabled: boolean;
  readonly asyncOperationsEnabled: boolean;
  readonly storeEvidenceBundle: boolean;
  readonly requireExpectedState: boolean;
  readonly allowPortfolioChangeOnNewVersion: boolean;
  readonly requireSimulationFlag: boolean;
  readonly asyncWorkerEnabled: boolean;
  readonly asyncPollMs: number;
  readonly asyncLeaseMs: number;
}

export const VARIABLES = {
  profile: enumVariable({
    name: 'APP_PERSISTENCE_PROFILE',
    description: 'Persistence profile. PRODUCTION refuses to start unless every store runs on PostgreSQL (RFC-0025).',
    values: PROFILES,
    defaultValue: 'LOCAL',
    invalidCode: 'APP_PERSISTENCE_PROFILE_INVALID',
  }),
  host: textVariable({ name: 'HOST', description: 'Address the HTTP server binds to.', defaultValue: '127.0.0.1', allowed: 'IP address or host name' }),
  port: integerVariable({ name: 'PORT', description: 'TCP port of the HTTP server (0 picks a free port).', defaultValue: 8000, min: 0, max: 65535 }),
  bodyLimitBytes: integerVariable({
    name: 'HTTP_BODY_LIMIT_BYTES',
    description:
      'Largest request body accepted; a larger one is refused with 413 FST_ERR_CTP_BODY_TOO_LARGE before it is parsed. The default holds a simulate of ~40,000 positions (10,000 positions with their prices and shelf entries are ~3.7 MB).',
    defaultValue: 16 * 1024 * 1024,
    min: 1024,
    max: 256 * 1024 * 1024,
  }),
  ...HTTP_LIMIT_VARIABLES,
  logLevel: enumVariable({
    name: 'LOG_LEVEL',
    description: 'Minimum level of the JSON log lines on stdout.',
    values: ['FATAL', 'ERROR', 'WARN', 'INFO', 'DEBUG', 'TRACE', 'SILENT'],
    defaultValue: 'INFO',
    invalidCode: 'CONFIG_ENUM_INVALID',
  }),
  ...TRACING_VARIABLES,
  ...AUTH_VARIABLES,
  shutdownGraceMs: integerVariable({
    name: 'APP_SHUTDOWN_GRACE_MS',
    description: 'On SIGTERM/SIGINT, how long in-flight requests may take before the process exits anyway.',
    defaultValue: 10_000,
    min: 0,
    max: 600_000,
  }),
  migrateOnStartup: flagVariable({
    name: 'APP_MIGRATE_ON_STARTUP',
    description: 'Apply pending migrations when the service starts. PRODUCTION otherwise only verifies them (run `npm run migrate` instead).',
    defaultValue: false,
    defaultText: 'true in LOCAL, false in PRODUCTION',
  }),
  webConcurrency: {
    ...integerVariable({
      name: 'WEB_CONCURRENCY',
      description:
        'Server processes sharing the HTTP port (node:cluster); 1 serves from one process. Above 1, every store must be shared between processes (SQLite files or PostgreSQL), and POSTGRES_POOL_MAX and the engine threads are shared out among the processes.',
      defaultValue: availableParallelism(),
      defaultText: 'os.availableParallelism() when no store is IN_MEMORY, else 1',
      min: 1,
      max: 256,
    }),
    codes: ['CONFIG_INTEGER_INVALID', 'WEB_CONCURRENCY_REQUIRES_SHARED_STORES'],
  },
  poolMax: integerVariable({
    name: 'POSTGRES_POOL_MAX',
    description:
      'Connections per PostgreSQL DSN of one service instance, shared out among its WEB_CONCURRENCY processes: each process pools POSTGRES_POOL_MAX ÷ WEB_CONCURRENCY (rounded down, at least 1), so replicas × POSTGRES_POOL_MAX bounds the connections a database sees.',
    defaultValue: 10,
    min: 1,
    max: 1000,
  }),
  statementTimeoutMs: integerVariable({
    name: 'POSTGRES_STATEMENT_TIMEOUT_MS',
    description: 'Server-side statement_timeout of service connections: a longer statement is cancelled (503 <STORE>_POSTGRES_TIMEOUT).',
    defaultValue: 15_000,
    min: 1,
    max: 3_600_000,
  }),
  lockTimeoutMs: integerVariable({
    name: 'POSTGRES_LOCK_TIMEOUT_MS',
    description: 'Server-side lock_timeout: a statement waiting longer for a row or table lock is cancelled (503 <STORE>_POSTGRES_TIMEOUT).',
    defaultValue: 5_000,
    min: 1,
    max: 3_600_000,
  }),
  idleInTransactionTimeoutMs: integerVariable({
    name: 'POSTGRES_IDLE_IN_TRANSACTION_TIMEOUT_MS',
    description: 'Server-side idle_in_transaction_session_timeout: the server ends a session that sits in an open transaction this long, releasing its locks.',
    defaultValue: 30_000,
    min: 1,
    max: 3_600_000,
  }),
  queryTimeoutMs: integerVariable({
    name: 'POSTGRES_QUERY_TIMEOUT_MS',
    description:
      'Client-side limit on waiting for the answer to one query, for a server that stopped answering (frozen, partitioned); the connection is discarded (503 <STORE>_POSTGRES_TIMEOUT). Keep it above POSTGRES_STATEMENT_TIMEOUT_MS.',
    defaultValue: 20_000,
    min: 1,
    max: 3_600_000,
  }),
  transactionTimeoutMs: integerVariable({
    name: 'POSTGRES_TRANSACTION_TIMEOUT_MS',
    description: 'Client-side limit on one whole transaction; past it the connection is discarded, which rolls the transaction back (503 <STORE>_POSTGRES_TIMEOUT).',
    defaultValue: 30_000,
    min: 1,
    max: 3_600_000,
  }),
  connectTimeoutMs: integerVariable({
    name: 'POSTGRES_CONNECT_TIMEOUT_MS',
    description:
      'How long to wait for a PostgreSQL connection: a new one, or a free one from a full pool (503 <STORE>_POSTGRES_UNAVAILABLE). Also bounds a readiness probe.',
    defaultValue: 5_000,
    min: 1,
    max: 600_000,
  }),
  applicationName: textVariable({
    name: 'POSTGRES_APPLICATION_NAME',
    description: 'application_name of every service connection (pg_stat_activity); migration sessions add `:migrate`. An application_name in the DSN wins.',
    defaultValue: 'dpm-rebalance-service',
    allowed: 'text (at most 63 bytes are kept by PostgreSQL)',
  }),
  migrationLockTimeoutMs: integerVariable({
    name: 'POSTGRES_MIGRATION_LOCK_TIMEOUT_MS',
    description: 'How long a migrator waits for the namespace advisory lock before failing.',
    defaultValue: 60_000,
    min: 1,
    max: 3_600_000,
  }),
  retryMaxBackoffMs: integerVariable({
    name: 'STORE_RETRY_MAX_BACKOFF_MS',
    description: 'Longest wait between two attempts of a background loop (async workers) whose store calls fail; waits double from the poll interval up to this, with jitter.',
    defaultValue: 30_000,
    min: 10,
    max: 3_600_000,
  }),
  outageLogIntervalMs: integerVariable({
    name: 'STORE_OUTAGE_LOG_INTERVAL_MS',
    description: 'While a store is unavailable (or its statements time out), one summary log line per interval instead of one per failure.',
    defaultValue: 60_000,
    min: 100,
    max: 86_400_000,
  }),
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
  engineThreads: integerVariable({
    name: 'ENGINE_WORKER_THREADS',
    description:
      'Worker threads of each server process that run large engine calls (DPM simulate/analyze, proposal simulate/artifact/versions) off the serving thread; 0 runs every call inline.',
    defaultValue: availableParallelism(),
    defaultText: 'os.availableParallelism() ÷ WEB_CONCURRENCY (at least 1)',
    min: 0,
    max: 256,
  }),
  engineQueueMax: integerVariable({
    name: 'ENGINE_QUEUE_MAX',
    description: 'Engine calls that may wait while every worker thread is busy; the next one is refused with 503 ENGINE_QUEUE_FULL and Retry-After.',
    defaultValue: 32,
    min: 0,
    max: 100_000,
  }),
  engineCallTimeoutMs: integerVariable({
    name: 'ENGINE_CALL_TIMEOUT_MS',
    description: 'Longest an engine call may take in the pool, waiting included; then it is cancelled, its worker replaced, and the request answered 503 ENGINE_CALL_TIMEOUT.',
    defaultValue: 30_000,
    min: 10,
    max: 3_600_000,
  }),
  engineInlineMaxRows: integerVariable({
    name: 'ENGINE_INLINE_MAX_ROWS',
    description:
      'Engine calls on requests of at most this many rows (positions + prices + model targets + shelf entries + proposed trades and cash flows, times the scenarios of an analyze) run on the serving thread; larger ones go to the worker pool.',
    defaultValue: 2_000,
    min: 0,
    max: 100_000_000,
  }),
  proposalBackend: enumVariable({
    name: 'PROPOSAL_STORE_BACKEND',
    description: 'Where advisory proposals, versions, events and approvals are kept.',
    values: ['IN_MEMORY', 'SQLITE', 'POSTGRES'],
    defaultValue: 'IN_MEMORY',
    invalidCode: 'PROPOSAL_STORE_BACKEND_INVALID',
  }),
  proposalDsn: dsnVariable({
    name: 'PROPOSAL_POSTGRES_DSN',
    description: 'PostgreSQL DSN of the proposal store (required with POSTGRES).',
    invalidCode: 'PROPOSAL_POSTGRES_DSN_INVALID',
    requiredCode: 'PROPOSAL_POSTGRES_DSN_REQUIRED',
  }),
  proposalSqlitePath: textVariable({
    name: 'PROPOSAL_SQLITE_PATH',
    description: 'SQLite file of the proposal store (backend SQLITE).',
    defaultValue: '.data/proposals.db',
    allowed: 'file path (parent folder is created)',
  }),
  ...PROPOSAL_FEATURE_VARIABLES,
  proposalStoreEvidence: flagVariable({
    name: 'PROPOSAL_STORE_EVIDENCE_BUNDLE',
    description: 'Keep the artifact evidence bundle (inputs and engine outputs) with each proposal version; off stores `{}` and an artifact without it.',
    defaultValue: true,
  }),
  proposalRequireExpectedState: flagVariable({
    name: 'PROPOSAL_REQUIRE_EXPECTED_STATE',
    description: 'Transitions and approvals must carry expected_state (409 STATE_CONFLICT without it).',
    defaultValue: true,
  }),
  proposalAllowPortfolioChange: flagVariable({
    name: 'PROPOSAL_ALLOW_PORTFOLIO_CHANGE_ON_NEW_VERSION',
    description: 'Allow a new proposal version for another portfolio_id (otherwise 422 PORTFOLIO_CONTEXT_MISMATCH).',
    defaultValue: false,
  }),
  proposalRequireSimulationFlag: flagVariable({
    name: 'PROPOSAL_REQUIRE_SIMULATION_FLAG',
    description: 'Proposal creates and versions require options.enable_proposal_simulation=true (otherwise 422 PROPOSAL_SIMULATION_DISABLED).',
    defaultValue: true,
  }),
  proposalAsyncWorkerEnabled: flagVariable({
    name: 'PROPOSAL_ASYNC_WORKER_ENABLED',
    description:
      'Run accepted async proposal operations in this process. Off: the process only accepts them and another replica (or a restart) runs them.',
    defaultValue: true,
  }),
  proposalAsyncPollMs: integerVariable({
    name: 'PROPOSAL_ASYNC_POLL_MS',
    description: 'How often an idle async worker looks for operations accepted by any replica (or left behind by a dead one).',
    defaultValue: 500,
    min: 10,
    max: 60_000,
  }),
  proposalAsyncLeaseMs: integerVariable({
    name: 'PROPOSAL_ASYNC_LEASE_MS',
    description: 'Lease of a running async proposal operation; renewed while it runs, taken over by another worker once it lapses (its worker died).',
    defaultValue: 30_000,
    min: 100,
    max: 3_600_000,
  }),
  catalogBackend: enumVariable({
    name: 'DPM_POLICY_PACK_CATALOG_BACKEND',
    description: 'Where the policy-pack catalog is read from. ENV_JSON is read-only.',
    values: ['ENV_JSON', 'SQLITE', 'POSTGRES'],
    defaultValue: 'ENV_JSON',
    invalidCode: 'DPM_POLICY_PACK_CATALOG_BACKEND_INVALID',
  }),
  catalogDsn: dsnVariable({
    name: 'DPM_POLICY_PACK_POSTGRES_DSN',
    description:
      'PostgreSQL DSN of the policy-pack catalog. When unset the catalog uses DPM_SUPPORTABILITY_POSTGRES_DSN, but PRODUCTION with packs enabled requires it explicitly.',
    invalidCode: 'DPM_POLICY_PACK_POSTGRES_DSN_INVALID',
    requiredCode: 'DPM_POLICY_PACK_POSTGRES_DSN_REQUIRED',
  }),
  catalogSqlitePath: textVariable({
    name: 'DPM_POLICY_PACK_SQLITE_PATH',
    description: 'SQLite file of the policy-pack catalog (backend SQLITE).',
    defaultValue: '.data/dpm_policy_packs.db',
    allowed: 'file path (parent folder is created)',
  }),
  catalogJson: textVariable({
    name: 'DPM_POLICY_PACK_CATALOG_JSON',
    description: 'The ENV_JSON catalog: a JSON object {policy_pack_id: definition}.',
    defaultValue: '',
    defaultText: '(empty catalog)',
    allowed: 'JSON object',
  }),
  packsEnabled: flagVariable({
    name: 'DPM_POLICY_PACKS_ENABLED',
    description: 'Apply policy packs to simulations. Makes the catalog part of the PRODUCTION contract.',
    defaultValue: false,
  }),
  adminApisEnabled: flagVariable({
    name: 'DPM_POLICY_PACK_ADMIN_APIS_ENABLED',
    description: 'Enable PUT/DELETE on the policy-pack catalog. Makes the catalog part of the PRODUCTION contract.',
    defaultValue: false,
  }),
  adminToken: textVariable({
    name: 'DPM_POLICY_PACK_ADMIN_TOKEN',
    description: 'Bearer token required by the policy-pack admin APIs (required in PRODUCTION when they are enabled). Never logged.',
    defaultValue: '',
    allowed: 'secret text',
    secret: true,
  }),
  defaultPolicyPackId: textVariable({
    name: 'DPM_DEFAULT_POLICY_PACK_ID',
    description: 'Policy pack applied when the request names none (and no tenant mapping applies).',
    defaultValue: '',
    defaultText: '(none)',
    allowed: 'policy pack id',
  }),
  tenantResolutionEnabled: flagVariable({
    name: 'DPM_TENANT_POLICY_PACK_RESOLUTION_ENABLED',
    description: 'Resolve the policy pack from X-Tenant-Id through DPM_TENANT_POLICY_PACK_MAP_JSON.',
    defaultValue: false,
  }),
  tenantMapJson: textVariable({
    name: 'DPM_TENANT_POLICY_PACK_MAP_JSON',
    description: 'Tenant → policy pack id map, a JSON object {"tenant": "pack"}. Invalid JSON or entries refuse to start.',
    defaultValue: '',
    defaultText: '(empty map)',
    allowed: 'JSON object',
  }),
  catalogCacheTtlMs: integerVariable({
    name: 'DPM_POLICY_PACK_CACHE_TTL_MS',
    description: 'Longest a replica serves its cached catalog before checking the database for another replica\'s change.',
    defaultValue: 1_000,
    min: 0,
    max: 60_000,
  }),
} as const satisfies Record<string, Variable<unknown>>;

/** Every variable, in documentation order. */
export const VARIABLE_DOCS: readonly VariableDoc[] = Object.values(VARIABLES);

export type SettingsResult =
  | { readonly ok: true; readonly settings: Settings; readonly violations: readonly [] }
  | { readonly ok: false; readonly settings: Settings; readonly violations: readonly Violation[] };

type Values = { readonly [K in keyof typeof VARIABLES]: (typeof VARIABLES)[K] extends Variable<infer T> ? T : never };

/** Reads every variable in documentation order, so violations come out in that order too. */
function readAll(env: Env, violations: Violation[]): Values {
  const values: Record<string, unknown> = {};
  for (const [key, variable] of Object.entries(VARIABLES) as [string, Variable<unknown>][]) {
    const result = variable.read(env);
    if (result.ok) values[key] = result.value;
    else violations.push(result.violation);
  }
  // Invalid values fall back to their defaults only so the guardrails can still be evaluated.
  for (const [key, variable] of Object.entries(VARIABLES) as [string, Variable<unknown>][]) {
    if (!(key in values)) values[key] = (variable.read({}) as { value: unknown }).value;
  }
  return values as Values;
}

/** Items trimmed, empty ones dropped; nothing left → the fallback (as the reference's `env_csv_set`). */
function csvItems(raw: string, fallback: readonly string[]): readonly string[] {
  const items = raw.split(',').map((item) => item.trim()).filter((item) => item !== '');
  return items.length > 0 ? items : fallback;
}

const isSet = (env: Env, name: string): boolean => (env[name]?.trim() ?? '') !== '';

/**
 * How many server processes: WEB_CONCURRENCY, or one per core when unset. An IN_MEMORY store lives
 * in one process's memory, so with one the default is 1, and an explicit value above 1 is refused.
 */
function webConcurrencyOf(env: Env, v: Values, violations: Violation[]): number {
  const inMemory = [v.dpmBackend === 'IN_MEMORY' && 'DPM_SUPPORTABILITY_STORE_BACKEND', v.proposalBackend === 'IN_MEMORY' && 'PROPOSAL_STORE_BACKEND'].filter(
    (name): name is string => name !== false,
  );
  if (inMemory.length === 0) return v.webConcurrency;
  if (isSet(env, VARIABLES.webConcurrency.name) && v.webConcurrency > 1) {
    violations.push({
      code: 'WEB_CONCURRENCY_REQUIRES_SHARED_STORES',
      variable: VARIABLES.webConcurrency.name,
      message: `WEB_CONCURRENCY=${v.webConcurrency} needs stores every process shares, but ${inMemory.join(' and ')} ${inMemory.length > 1 ? 'are' : 'is'} IN_MEMORY (one copy per process). Use SQL/SQLITE or POSTGRES, or WEB_CONCURRENCY=1.`,
    });
  }
  return 1;
}

export function loadSettings(env: Env = process.env): SettingsResult {
  const violations: Violation[] = [];
  const v = readAll(env, violations);
  const migrateOnStartupSet = env[VARIABLES.migrateOnStartup.name]?.trim();
  // The runtime fallback applies only when the variable is absent, as in the reference.
  const catalogDsnUnset = env[VARIABLES.catalogDsn.name] === undefined;
  const auth = authSettings(v);
  // A variable whose value was already refused (and defaulted) is not reported again as missing.
  violations.push(...auth.violations.filter((violation) => !violations.some((reported) => reported.variable === violation.variable)));

  const processes = webConcurrencyOf(env, v, violations);

  const settings: Settings = {
    profile: v.profile,
    webConcurrency: processes,
    http: { host: v.host, port: v.port, logLevel: v.logLevel.toLowerCase(), shutdownGraceMs: v.shutdownGraceMs, bodyLimitBytes: v.bodyLimitBytes, limits: httpLimits(v) },
    tracing: tracingSettings(env, v),
    auth: auth.settings,
    // The default depends on the profile: LOCAL owns its schema, PRODUCTION leaves DDL to `npm run migrate`.
    migrateOnStartup: migrateOnStartupSet ? v.migrateOnStartup : v.profile === 'LOCAL',
    postgres: {
      poolMax: Math.max(1, Math.floor(v.poolMax / processes)),
      statementTimeoutMs: v.statementTimeoutMs,
      lockTimeoutMs: v.lockTimeoutMs,
      idleInTransactionTimeoutMs: v.idleInTransactionTimeoutMs,
      queryTimeoutMs: v.queryTimeoutMs,
      transactionTimeoutMs: v.transactionTimeoutMs,
      connectTimeoutMs: v.connectTimeoutMs,
      applicationName: v.applicationName,
      migrationLockTimeoutMs: v.migrationLockTimeoutMs,
    },
    resilience: { retryMaxBackoffMs: v.retryMaxBackoffMs, outageLogIntervalMs: v.outageLogIntervalMs },
    dpm: {
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
    },
    proposals: { backend: v.proposalBackend, postgresDsn: v.proposalDsn, sqlitePath: v.proposalSqlitePath },
    engine: {
      // Unset, the machine's cores are shared out among the processes, so the group runs one engine thread per core.
      threads: isSet(env, VARIABLES.engineThreads.name) ? v.engineThreads : Math.max(1, Math.floor(v.engineThreads / processes)),
      queueMax: v.engineQueueMax,
      callTimeoutMs: v.engineCallTimeoutMs,
      inlineMaxRows: v.engineInlineMaxRows,
    },
    proposalLifecycle: {
      lifecycleEnabled: v['proposalFeature.lifecycle'],
      supportApisEnabled: v['proposalFeature.support'],
      asyncOperationsEnabled: v['proposalFeature.async'],
      storeEvidenceBundle: v.proposalStoreEvidence,
      requireExpectedState: v.proposalRequireExpectedState,
      allowPortfolioChangeOnNewVersion: v.proposalAllowPortfolioChange,
      requireSimulationFlag: v.proposalRequireSimulationFlag,
      asyncWorkerEnabled: v.proposalAsyncWorkerEnabled,
      asyncPollMs: v.proposalAsyncPollMs,
      asyncLeaseMs: v.proposalAsyncLeaseMs,
    },
    policyPacks: {
      catalogBackend: v.catalogBackend,
      explicitPostgresDsn: v.catalogDsn,
      postgresDsn: catalogDsnUnset ? v.dpmDsn : v.catalogDsn,
      sqlitePath: v.catalogSqlitePath,
      catalogJson: v.catalogJson,
      enabled: v.packsEnabled,
      adminApisEnabled: v.adminApisEnabled,
      adminToken: v.adminToken,
      defaultPolicyPackId: v.defaultPolicyPackId,
      tenantResolutionEnabled: v.tenantResolutionEnabled,
      tenantMapJson: v.tenantMapJson,
      cacheTtlMs: v.catalogCacheTtlMs,
      catalogRequired: v.packsEnabled || v.adminApisEnabled,
    },
  };
  violations.push(...httpLimitViolations(settings.http.limits));
  return violations.length === 0 ? { ok: true, settings, violations: [] } : { ok: false, settings, violations };
}

/**
 * A POSTGRES backend without a DSN refuses to start in every profile (the driver would
 * otherwise connect to its default, localhost:5432). In PRODUCTION the guardrails already
 * report the DPM and proposal DSNs; the caller drops what they cover.
 */
export function missingDsnViolations(settings: Settings): Violation[] {
  const rules: { backend: boolean; dsn: string; code: Violation['code']; variable: string; message: string }[] = [
    {
      backend: settings.dpm.backend === 'POSTGRES',
      dsn: settings.dpm.postgresDsn,
      code: 'DPM_SUPPORTABILITY_POSTGRES_DSN_REQUIRED',
      variable: VARIABLES.dpmDsn.name,
      message: 'DPM_SUPPORTABILITY_STORE_BACKEND=POSTGRES needs DPM_SUPPORTABILITY_POSTGRES_DSN.',
    },
    {
      backend: settings.proposals.backend === 'POSTGRES',
      dsn: settings.proposals.postgresDsn,
      code: 'PROPOSAL_POSTGRES_DSN_REQUIRED',
      variable: VARIABLES.proposalDsn.name,
      message: 'PROPOSAL_STORE_BACKEND=POSTGRES needs PROPOSAL_POSTGRES_DSN.',
    },
    {
      backend: settings.policyPacks.catalogBackend === 'POSTGRES',
      dsn: settings.policyPacks.postgresDsn,
      code: 'DPM_POLICY_PACK_POSTGRES_DSN_REQUIRED',
      variable: VARIABLES.catalogDsn.name,
      message: 'DPM_POLICY_PACK_CATALOG_BACKEND=POSTGRES needs DPM_POLICY_PACK_POSTGRES_DSN (or DPM_SUPPORTABILITY_POSTGRES_DSN when that is unset).',
    },
  ];
  return rules.filter((rule) => rule.backend && rule.dsn === '').map(({ code, variable, message }) => ({ code, variable, message }));
}
