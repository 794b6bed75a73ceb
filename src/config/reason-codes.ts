/**
 * The one catalogue of reason codes the service can emit, as data: one row per code with its
 * area, a one-line meaning, and — when it can reach an HTTP client — its status, the exact
 * `detail` strings a client reads (the reference's wording, see docs/errors.md) and the
 * Retry-After it carries. `src/http/errors.ts` renders every row the same way; docs
 * (docs/configuration.md, docs/errors.md) and tests read this table, and no other module
 * decides a status.
 *
 * Codes that carry a suffix at run time (e.g. `CUTOVER_MIGRATION_MISSING:<ns>:<version>`) are
 * catalogued by their stem and built with `withDetail`. To add a code, add one row.
 */

export type ReasonArea =
  | 'configuration'
  | 'guardrail'
  | 'migration'
  | 'cutover'
  | 'store'
  | 'engine'
  | 'request'
  | 'auth'
  | 'warning'
  | 'http';

export interface ReasonCodeEntry {
  readonly area: ReasonArea;
  /** One line, for operators: what happened and what to change. */
  readonly meaning: string;
  /** The HTTP status when the code can reach a client; absent for startup-, CLI- and store-internal codes. */
  readonly status?: number;
  /**
   * The exact `detail` strings of the response, in the reference's wording; the first is the
   * default. Absent: `detail` is the bare code.
   */
  readonly detail?: readonly [string, ...string[]];
  /** Seconds sent as `Retry-After` (the condition is expected to pass by itself). */
  readonly retryAfter?: number;
  /** The `WWW-Authenticate` challenge sent with it (RFC 6750 for bearer tokens). */
  readonly challenge?: string;
}

/** Seconds a client should wait before retrying while a database is unavailable. */
const STORE_RETRY_AFTER_SECONDS = 5;
const STORE_OUTAGE = { status: 503, retryAfter: STORE_RETRY_AFTER_SECONDS } as const;
/** A busy engine pool drains within a second or so (docs/operations.md#engine-worker-pool). */
const ENGINE_BUSY = { status: 503, retryAfter: 1 } as const;
/** RFC 6750: a bearer token that is missing, malformed, expired or not ours. */
const INVALID_TOKEN = { status: 401, challenge: 'Bearer realm="dpm-rebalance", error="invalid_token"' } as const;

const entries = {
  // ── Configuration values (settings.ts) ────────────────────────────────────────────────
  APP_PERSISTENCE_PROFILE_INVALID: {
    area: 'configuration',
    meaning: 'APP_PERSISTENCE_PROFILE is neither LOCAL nor PRODUCTION.',
  },
  DPM_SUPPORTABILITY_STORE_BACKEND_INVALID: {
    area: 'configuration',
    meaning: 'DPM_SUPPORTABILITY_STORE_BACKEND is not IN_MEMORY, SQL (alias SQLITE) or POSTGRES.',
  },
  PROPOSAL_STORE_BACKEND_INVALID: {
    area: 'configuration',
    meaning: 'PROPOSAL_STORE_BACKEND is not IN_MEMORY, SQLITE or POSTGRES.',
  },
  DPM_POLICY_PACK_CATALOG_BACKEND_INVALID: {
    area: 'configuration',
    meaning: 'DPM_POLICY_PACK_CATALOG_BACKEND is not ENV_JSON, SQLITE or POSTGRES.',
  },
  DPM_SUPPORTABILITY_POSTGRES_DSN_INVALID: {
    area: 'configuration',
    meaning: 'DPM_SUPPORTABILITY_POSTGRES_DSN is neither a postgres:// URL nor a key=value DSN, or uses a key the driver would ignore (named in the message).',
  },
  PROPOSAL_POSTGRES_DSN_INVALID: {
    area: 'configuration',
    meaning: 'PROPOSAL_POSTGRES_DSN is neither a postgres:// URL nor a key=value DSN, or uses a key the driver would ignore (named in the message).',
  },
  DPM_POLICY_PACK_POSTGRES_DSN_INVALID: {
    area: 'configuration',
    meaning: 'DPM_POLICY_PACK_POSTGRES_DSN is neither a postgres:// URL nor a key=value DSN, or uses a key the driver would ignore (named in the message).',
  },
  CONFIG_FLAG_INVALID: {
    area: 'configuration',
    meaning: 'A boolean flag is not one of 1/true/yes/on or 0/false/no/off (the variable is named in the detail).',
  },
  CONFIG_INTEGER_INVALID: {
    area: 'configuration',
    meaning: 'A numeric setting is not an integer within its allowed range (the variable is named in the detail).',
  },
  HTTP_HEADERS_TIMEOUT_ABOVE_REQUEST_TIMEOUT: {
    area: 'configuration',
    meaning: 'HTTP_HEADERS_TIMEOUT_MS is above HTTP_REQUEST_TIMEOUT_MS; the headers are part of the request, so their limit must not be longer.',
  },
  DPM_TENANT_POLICY_PACK_MAP_JSON_INVALID: {
    area: 'configuration',
    meaning: 'DPM_TENANT_POLICY_PACK_MAP_JSON is not a JSON object of tenant id → policy pack id.',
  },
  WEB_CONCURRENCY_REQUIRES_SHARED_STORES: {
    area: 'configuration',
    meaning: 'WEB_CONCURRENCY above 1 with an IN_MEMORY store: each process would keep its own runs and proposals, so a retry on another process would not replay. Use SQLite files or PostgreSQL, or WEB_CONCURRENCY=1.',
  },
  CONFIG_ENUM_INVALID: {
    area: 'configuration',
    meaning: 'A setting with a fixed set of values has an unknown value (the variable is named in the detail).',
  },
  CONFIG_NUMBER_INVALID: {
    area: 'configuration',
    meaning: 'A numeric setting is not a number within its allowed range (the variable is named in the detail).',
  },
  CONFIG_URL_INVALID: {
    area: 'configuration',
    meaning: 'A URL setting is not an absolute http:// or https:// URL (the variable is named in the detail; the value is not echoed).',
  },
  OTEL_EXPORTER_OTLP_HEADERS_INVALID: {
    area: 'configuration',
    meaning: 'OTEL_EXPORTER_OTLP_HEADERS is not a comma-separated list of key=value pairs (values are never echoed).',
  },
  API_AUTH_ISSUER_REQUIRED: { area: 'configuration', meaning: 'API_AUTH_MODE=JWT without API_AUTH_ISSUER: tokens of any issuer would be accepted.' },
  API_AUTH_AUDIENCE_REQUIRED: {
    area: 'configuration',
    meaning: 'API_AUTH_MODE=JWT without API_AUTH_AUDIENCE: tokens the identity provider issued for other applications would be accepted.',
  },
  API_AUTH_KEY_SOURCE_INVALID: { area: 'configuration', meaning: 'API_AUTH_MODE=JWT needs exactly one of API_AUTH_JWKS_URL and API_AUTH_PUBLIC_KEY.' },
  API_AUTH_PUBLIC_KEY_INVALID: { area: 'configuration', meaning: 'API_AUTH_PUBLIC_KEY is neither a PEM public key (BEGIN PUBLIC KEY) nor a public JWK.' },
  API_AUTH_ALGORITHMS_INVALID: { area: 'configuration', meaning: 'API_AUTH_ALGORITHMS names an algorithm that is not an asymmetric JWS algorithm (HS* and none are never accepted).' },
  API_AUTH_OPEN_PATHS_INVALID: { area: 'configuration', meaning: 'An entry of API_AUTH_OPEN_PATHS is not a route path starting with / (use `none` to open nothing).' },
  API_AUTH_ROLE_MAP_INVALID: {
    area: 'configuration',
    meaning: 'API_AUTH_ROLE_MAP is not a JSON object {"<role>": ["<permission>", …]} of known permissions; every problem is listed.',
  },

  // ── RFC-0025 persistence-profile guardrails (profile.ts), in the RFC's order ─────────────
  PERSISTENCE_PROFILE_REQUIRES_DPM_POSTGRES: {
    area: 'guardrail',
    meaning: 'PRODUCTION requires DPM_SUPPORTABILITY_STORE_BACKEND=POSTGRES.',
  },
  PERSISTENCE_PROFILE_REQUIRES_DPM_POSTGRES_DSN: {
    area: 'guardrail',
    meaning: 'PRODUCTION requires a non-empty DPM_SUPPORTABILITY_POSTGRES_DSN.',
  },
  PERSISTENCE_PROFILE_REQUIRES_ADVISORY_POSTGRES: {
    area: 'guardrail',
    meaning: 'PRODUCTION requires PROPOSAL_STORE_BACKEND=POSTGRES.',
  },
  PERSISTENCE_PROFILE_REQUIRES_ADVISORY_POSTGRES_DSN: {
    area: 'guardrail',
    meaning: 'PRODUCTION requires a non-empty PROPOSAL_POSTGRES_DSN.',
  },
  PERSISTENCE_PROFILE_REQUIRES_POLICY_PACK_POSTGRES: {
    area: 'guardrail',
    meaning:
      'PRODUCTION with policy packs or their admin APIs enabled requires DPM_POLICY_PACK_CATALOG_BACKEND=POSTGRES.',
  },
  PERSISTENCE_PROFILE_REQUIRES_POLICY_PACK_POSTGRES_DSN: {
    area: 'guardrail',
    meaning:
      'PRODUCTION with policy packs or their admin APIs enabled requires an explicit DPM_POLICY_PACK_POSTGRES_DSN (no fallback to the DPM DSN).',
  },
  PERSISTENCE_PROFILE_REQUIRES_POLICY_PACK_ADMIN_TOKEN: {
    area: 'guardrail',
    meaning: 'PRODUCTION with DPM_POLICY_PACK_ADMIN_APIS_ENABLED requires DPM_POLICY_PACK_ADMIN_TOKEN.',
  },

  // ── PRODUCTION warnings (profile.ts): reported, never refused at startup ──────────────────
  PRODUCTION_AUTHENTICATION_DISABLED: {
    area: 'warning',
    meaning:
      'PRODUCTION with API_AUTH_MODE=NONE: anyone who reaches the service can read client data, approve proposals and record any actor name. Set API_AUTH_MODE=JWT (docs/security.md).',
  },

  // ── Migrations (stores/postgres, stores/sqlite) ────────────────────────────────────────
  POSTGRES_MIGRATIONS_NAMESPACE_NOT_FOUND: {
    area: 'migration',
    meaning: 'No PostgreSQL migration folder exists for the namespace (`…:<ns>`).',
  },
  POSTGRES_MIGRATION_INVALID_FILE_NAME: {
    area: 'migration',
    meaning: 'A migration file is not named NNNN_description.sql (`…:<ns>:<file>`).',
  },
  POSTGRES_MIGRATION_DUPLICATE_VERSION: {
    area: 'migration',
    meaning: 'Two migration files of a namespace share a version number, e.g. 0002_a and 0002_b (`…:<ns>:<version>`).',
  },
  POSTGRES_MIGRATION_CHECKSUM_MISMATCH: {
    area: 'migration',
    meaning: 'An applied migration file was edited after it ran (`…:<ns>:<version>`); see docs/migrations.md to recover.',
  },
  POSTGRES_MIGRATION_UNKNOWN_VERSION: {
    area: 'migration',
    meaning:
      'The database holds a migration this code does not have, at or below its newest file (`…:<ns>:<version>`): a deleted or renumbered file; see docs/migrations.md.',
  },
  POSTGRES_MIGRATION_GAP: {
    area: 'migration',
    meaning:
      'A migration file was never applied although the database has later versions (`…:<ns>:<version>`); applying it would run it out of order; see docs/migrations.md.',
  },
  POSTGRES_MIGRATION_FUTURE_VERSION: {
    area: 'migration',
    meaning:
      'Not a failure: the database holds a migration newer than every file of this release (`…:<ns>:<version>`), applied by a later release; allowed, reported, never applied, rolled back or checksum-checked.',
  },
  POSTGRES_MIGRATION_FAILED: {
    area: 'migration',
    meaning:
      'A migration file failed and was rolled back with its history row (`…:<ns>:<version>`); without a version, the runner itself failed (e.g. no right to create schema_migrations).',
  },
  SQLITE_MIGRATIONS_NAMESPACE_NOT_FOUND: {
    area: 'migration',
    meaning: 'No SQLite migration folder exists for the namespace (`…:<ns>`).',
  },
  SQLITE_MIGRATION_INVALID_FILE_NAME: {
    area: 'migration',
    meaning: 'A migration file is not named NNNN_description.sql (`…:<ns>:<file>`).',
  },
  SQLITE_MIGRATION_DUPLICATE_VERSION: {
    area: 'migration',
    meaning: 'Two migration files of a namespace share a version number, e.g. 0002_a and 0002_b (`…:<ns>:<version>`).',
  },
  SQLITE_MIGRATION_CHECKSUM_MISMATCH: {
    area: 'migration',
    meaning: 'An applied migration file was edited after it ran (`…:<ns>:<version>`); see docs/migrations.md to recover.',
  },
  SQLITE_MIGRATION_UNKNOWN_VERSION: {
    area: 'migration',
    meaning:
      'The database holds a migration this code does not have, at or below its newest file (`…:<ns>:<version>`): a deleted or renumbered file; see docs/migrations.md.',
  },
  SQLITE_MIGRATION_GAP: {
    area: 'migration',
    meaning:
      'A migration file was never applied although the database has later versions (`…:<ns>:<version>`); applying it would run it out of order; see docs/migrations.md.',
  },
  SQLITE_MIGRATION_FAILED: {
    area: 'migration',
    meaning: 'A migration file failed and was rolled back with its history row (`…:<ns>:<version>`).',
  },
  POSTGRES_MIGRATION_LOCK_TIMEOUT: {
    area: 'migration',
    meaning:
      'Another session held the namespace advisory lock longer than POSTGRES_MIGRATION_LOCK_TIMEOUT_MS (`…:<ns>`); the message names it (pid, application, client, since when).',
  },
  POSTGRES_MIGRATION_UNLOCK_FAILED: {
    area: 'migration',
    meaning:
      'The namespace advisory lock was no longer held when the run ended (`…:<ns>`), so the run may not have been serialised; check with `migrate --status`.',
  },
  POSTGRES_MIGRATION_DSN_REQUIRED: {
    area: 'migration',
    meaning: 'The migrate CLI was asked for a namespace whose DSN is not configured (`…:<ns>`).',
  },
  POSTGRES_MIGRATION_CONNECTION_FAILED: {
    area: 'migration',
    meaning: 'The migrate CLI could not connect to the database of a namespace (`…:<ns>`).',
  },

  CUTOVER_PROFILE_NOT_PRODUCTION: {
    area: 'cutover',
    meaning: 'APP_PERSISTENCE_PROFILE is not PRODUCTION (use --as-production to evaluate a LOCAL environment as if it were).',
  },
  CUTOVER_POSTGRES_UNREACHABLE: {
    area: 'cutover',
    meaning: 'The database of a namespace cannot be reached with its DSN (`…:<ns>`).',
  },
  CUTOVER_SCHEMA_MIGRATIONS_TABLE_MISSING: {
    area: 'cutover',
    meaning: 'The database of a namespace was never migrated: no schema_migrations table on its search_path (`…:<ns>`).',
  },
  CUTOVER_MIGRATION_MISSING: {
    area: 'cutover',
    meaning: 'A migration file is not applied to the database of its namespace (`…:<ns>:<version>`); every missing one is listed.',
  },
  CUTOVER_INVALID_INDEX: {
    area: 'cutover',
    meaning: 'An index is invalid, left by an interrupted CREATE INDEX CONCURRENTLY (`…:<ns>:<index>`).',
  },

  // ── Stores at run time ───────────────────────────────────────────────────────────────
  DPM_SUPPORTABILITY_POSTGRES_DSN_REQUIRED: {
    area: 'configuration',
    meaning: 'DPM_SUPPORTABILITY_STORE_BACKEND=POSTGRES without DPM_SUPPORTABILITY_POSTGRES_DSN; refused at startup in every profile (never a silent connect to localhost).',
  },
  PROPOSAL_POSTGRES_DSN_REQUIRED: {
    area: 'configuration',
    meaning: 'PROPOSAL_STORE_BACKEND=POSTGRES without PROPOSAL_POSTGRES_DSN; refused at startup in every profile.',
  },
  DPM_POLICY_PACK_POSTGRES_DSN_REQUIRED: {
    area: 'configuration',
    meaning: 'DPM_POLICY_PACK_CATALOG_BACKEND=POSTGRES without DPM_POLICY_PACK_POSTGRES_DSN (nor DPM_SUPPORTABILITY_POSTGRES_DSN when that is unset); refused at startup in every profile.',
  },
  DPM_SUPPORTABILITY_POSTGRES_CONNECTION_FAILED: {
    area: 'store',
    ...STORE_OUTAGE,
    meaning: 'The DPM supportability store cannot open a session on PostgreSQL (refused at startup; the DSN is redacted in the log).',
  },
  DPM_SUPPORTABILITY_POSTGRES_UNAVAILABLE: {
    area: 'store',
    ...STORE_OUTAGE,
    meaning: 'The DPM supportability store lost PostgreSQL while serving; retry later, the service recovers by itself.',
  },
  DPM_SUPPORTABILITY_POSTGRES_TIMEOUT: {
    area: 'store',
    ...STORE_OUTAGE,
    meaning: 'A PostgreSQL statement, lock wait, query or transaction of the DPM supportability store outlasted its limit (POSTGRES_*_TIMEOUT_MS); nothing half-written, retry later.',
  },
  PROPOSAL_POSTGRES_CONNECTION_FAILED: {
    area: 'store',
    ...STORE_OUTAGE,
    meaning: 'The proposal store cannot open a session on PostgreSQL (refused at startup; the DSN is redacted in the log).',
  },
  PROPOSAL_POSTGRES_UNAVAILABLE: {
    area: 'store',
    ...STORE_OUTAGE,
    meaning: 'The proposal store lost PostgreSQL while serving; retry later, the service recovers by itself.',
  },
  PROPOSAL_POSTGRES_TIMEOUT: {
    area: 'store',
    ...STORE_OUTAGE,
    meaning: 'A PostgreSQL statement, lock wait, query or transaction of the proposal store outlasted its limit (POSTGRES_*_TIMEOUT_MS); nothing half-written, retry later.',
  },
  DPM_POLICY_PACK_POSTGRES_CONNECTION_FAILED: {
    area: 'store',
    ...STORE_OUTAGE,
    meaning: 'The policy-pack catalog cannot open a session on PostgreSQL (refused at startup; the DSN is redacted in the log).',
  },
  DPM_POLICY_PACK_POSTGRES_UNAVAILABLE: {
    area: 'store',
    ...STORE_OUTAGE,
    meaning: 'The policy-pack catalog lost PostgreSQL while serving; retry later, the service recovers by itself.',
  },
  DPM_POLICY_PACK_POSTGRES_TIMEOUT: {
    area: 'store',
    ...STORE_OUTAGE,
    meaning: 'A PostgreSQL statement, lock wait, query or transaction of the policy-pack catalog outlasted its limit (POSTGRES_*_TIMEOUT_MS); nothing half-written, retry later.',
  },
  DPM_SUPPORTABILITY_INVALID_CURSOR: {
    area: 'store',
    status: 400,
    meaning: 'A list cursor of the DPM supportability APIs was not issued by this service (edited, truncated or from another list).',
  },
  PROPOSAL_INVALID_CURSOR: {
    area: 'store',
    status: 400,
    meaning: 'A proposal list cursor was not issued by this service (edited, truncated or from another list).',
  },
  // Store outcomes the lifecycle service turns into STATE_CONFLICT / IDEMPOTENCY_KEY_CONFLICT.
  PROPOSAL_STATE_CONFLICT: {
    area: 'store',
    meaning: 'The proposal is no longer in the state the change expected (another change landed first); nothing was written.',
  },
  PROPOSAL_IDEMPOTENCY_KEY_CONFLICT: {
    area: 'store',
    meaning: 'The idempotency key was already used for a different request (request hash differs); nothing was written.',
  },
  PROPOSAL_VERSION_CONFLICT: {
    area: 'store',
    status: 409,
    meaning: 'The proposal changed since it was read (its row version moved on, e.g. a new version); nothing was written — re-read and retry.',
  },
  DPM_POLICY_PACK_CATALOG_JSON_INVALID: {
    area: 'store',
    meaning: 'DPM_POLICY_PACK_CATALOG_JSON is not a JSON object {policy_pack_id: definition}; the service refuses to start.',
  },
  DPM_POLICY_PACK_DEFINITION_INVALID: {
    area: 'store',
    meaning: 'A policy-pack definition in the catalog fails validation (the pack id is in the detail, every bad field in the message); never dropped silently.',
  },
  DPM_POLICY_PACK_CATALOG_READ_ONLY: {
    area: 'http',
    status: 409,
    meaning: 'The ENV_JSON policy-pack catalog cannot be changed through the API; use the SQLITE or POSTGRES backend.',
  },
  DPM_POLICY_PACK_NOT_FOUND: { area: 'http', status: 404, meaning: 'No policy pack with this id is in the catalog.' },
  DPM_POLICY_PACK_ADMIN_APIS_DISABLED: {
    area: 'http',
    status: 404,
    meaning: 'PUT/DELETE on the policy-pack catalog are off; set DPM_POLICY_PACK_ADMIN_APIS_ENABLED=true.',
  },
  DPM_POLICY_PACK_ADMIN_UNAUTHORIZED: {
    area: 'http',
    status: 401,
    challenge: 'Bearer realm="dpm-policy-packs"',
    meaning: 'With API_AUTH_MODE=NONE, a policy-pack admin call lacks "Authorization: Bearer <DPM_POLICY_PACK_ADMIN_TOKEN>" or the token is wrong (with JWT the policy_packs.admin permission decides).',
  },

  // ── Authentication and authorization (docs/security.md) ───────────────────────────────
  AUTH_TOKEN_MISSING: { area: 'auth', ...INVALID_TOKEN, meaning: 'The request carries no "Authorization: Bearer <access token>".' },
  AUTH_TOKEN_INVALID: {
    area: 'auth',
    ...INVALID_TOKEN,
    meaning: 'The bearer token is not valid here: malformed, signed by an unknown key or with an algorithm not allowed, another issuer or audience, not yet valid, or without a subject (the message says which).',
  },
  AUTH_TOKEN_EXPIRED: { area: 'auth', ...INVALID_TOKEN, meaning: 'The bearer token has expired (exp, with API_AUTH_CLOCK_SKEW_SECONDS of tolerance): obtain a new one.' },
  AUTH_JWKS_UNAVAILABLE: {
    area: 'auth',
    status: 503,
    retryAfter: 5,
    meaning: "The identity provider's signing keys (API_AUTH_JWKS_URL) cannot be fetched, so the token cannot be checked; retry later.",
  },
  AUTH_PERMISSION_DENIED: {
    area: 'auth',
    status: 403,
    challenge: 'Bearer realm="dpm-rebalance", error="insufficient_scope"',
    meaning: "The token is valid but its roles do not grant the permission this call needs; `detail` names it (`AUTH_PERMISSION_DENIED:<permission>`).",
  },
  AUTH_ACTOR_MISMATCH: {
    area: 'auth',
    status: 403,
    meaning: "The actor named in the request (actor_id, created_by or X-Actor, named in `detail`) is not the token's subject; nothing was written. Send the subject, or leave the actor out where it is optional.",
  },
  SEGREGATION_OF_DUTIES_VIOLATION: {
    area: 'auth',
    status: 403,
    meaning: 'Four-eyes: the subject who created or last versioned the proposal cannot give its RISK or COMPLIANCE approval, and who requested a run cannot approve it; the attempt is recorded as refused.',
  },

  // ── Engine worker pool (docs/operations.md#engine-worker-pool) ────────────────────────
  ENGINE_QUEUE_FULL: {
    area: 'engine',
    ...ENGINE_BUSY,
    meaning: 'Every engine worker thread is busy and ENGINE_QUEUE_MAX calls are waiting: the request is refused at once with nothing computed or stored.',
  },
  ENGINE_CALL_TIMEOUT: {
    area: 'engine',
    ...ENGINE_BUSY,
    meaning: 'An engine call did not finish within ENGINE_CALL_TIMEOUT_MS of being queued: it was cancelled and its worker thread replaced (an async operation fails with this code).',
  },
  ENGINE_SHUTTING_DOWN: {
    area: 'engine',
    ...ENGINE_BUSY,
    meaning: 'The process is stopping: an engine call still in the pool half-way through APP_SHUTDOWN_GRACE_MS was cancelled (an async operation is left for another replica).',
  },

  // ── Requests (HTTP and the engine CLI) ─────────────────────────────────────────────────
  DPM_REQUEST_INVALID: {
    area: 'request',
    meaning: 'The rebalance request fails validation; every problem is listed with its field (CLI exit 65; over HTTP it is VALIDATION_ERROR).',
  },
  SIMULATE_INPUT_UNREADABLE: {
    area: 'request',
    meaning: 'The simulate CLI could not read its input file or standard input (exit 66).',
  },
  SIMULATE_INPUT_MALFORMED_JSON: {
    area: 'request',
    meaning: 'The simulate CLI input is not JSON; the message gives the line, column and offset where it stops being JSON (exit 65).',
  },
  CLI_UNKNOWN_COMMAND: {
    area: 'request',
    meaning: 'The command line starts with a command or option the CLI does not have; the message names it and lists the commands (exit 64).',
  },
  PROPOSAL_REQUEST_INVALID: {
    area: 'request',
    meaning: 'The advisory proposal request fails validation; every problem is listed with its field (CLI exit 65; over HTTP it is VALIDATION_ERROR).',
  },
  PROPOSAL_SIMULATION_DISABLED: {
    area: 'request',
    status: 422,
    detail: ['PROPOSAL_SIMULATION_DISABLED: set options.enable_proposal_simulation=true'],
    meaning: 'A proposal simulation (simulate, artifact, or a lifecycle create/version while PROPOSAL_REQUIRE_SIMULATION_FLAG is on) without options.enable_proposal_simulation=true; nothing is simulated or stored.',
  },

  // ── DPM run API ──────────────────────────────────────────────────────────────────────
  IDEMPOTENCY_KEY_CONFLICT: {
    area: 'request',
    status: 409,
    detail: ['IDEMPOTENCY_KEY_CONFLICT: request hash mismatch', 'IDEMPOTENCY_KEY_CONFLICT: policy pack mismatch'],
    meaning: 'The Idempotency-Key was already used with a different request, or with the same request under another policy pack (simulate); nothing was recorded.',
  },
  DPM_RUN_NOT_FOUND: { area: 'request', status: 404, meaning: 'No DPM run matches the id, correlation id or request hash.' },
  DPM_IDEMPOTENCY_KEY_NOT_FOUND: { area: 'request', status: 404, meaning: 'No DPM run was recorded with this Idempotency-Key.' },
  DPM_RUN_REQUEST_NOT_STORED: {
    area: 'request',
    status: 409,
    meaning: 'The run was recorded before runs kept their request, so it cannot be reproduced; its stored result stands as recorded.',
  },
  DPM_ASYNC_OPERATION_NOT_FOUND: { area: 'request', status: 404, meaning: 'No async operation matches the id or correlation id, or it was purged after its TTL.' },
  DPM_ASYNC_OPERATION_NOT_EXECUTABLE: {
    area: 'request',
    status: 409,
    meaning: 'The async operation is not PENDING (it is running or finished), so it cannot be executed.',
  },
  DPM_WORKFLOW_NOT_REQUIRED_FOR_RUN_STATUS: {
    area: 'request',
    status: 409,
    meaning: 'The run\'s status needs no review (see DPM_WORKFLOW_REQUIRES_REVIEW_FOR_STATUSES), so no workflow action applies.',
  },
  DPM_WORKFLOW_INVALID_TRANSITION: {
    area: 'request',
    status: 409,
    meaning: 'The action is not allowed from the run\'s current workflow status (or, without If-Match, another reviewer acted first).',
  },
  DPM_WORKFLOW_STATE_STALE: {
    area: 'request',
    status: 412,
    meaning: 'If-Match names a workflow state (ETag) that is no longer current: another decision was recorded since; re-read the workflow and decide again.',
  },
  DPM_SUPPORT_APIS_DISABLED: { area: 'http', status: 404, meaning: 'The DPM supportability routes are off; set DPM_SUPPORT_APIS_ENABLED=true.' },
  DPM_ASYNC_OPERATIONS_DISABLED: { area: 'http', status: 404, meaning: 'DPM async operations are off; set DPM_ASYNC_OPERATIONS_ENABLED=true.' },
  DPM_ASYNC_MANUAL_EXECUTION_DISABLED: {
    area: 'http',
    status: 404,
    meaning: 'Manual execution of async operations is off; set DPM_ASYNC_MANUAL_EXECUTION_ENABLED=true.',
  },
  DPM_ARTIFACTS_DISABLED: { area: 'http', status: 404, meaning: 'Run artifacts are off; set DPM_ARTIFACTS_ENABLED=true.' },
  DPM_WORKFLOW_DISABLED: { area: 'http', status: 404, meaning: 'The run review workflow is off; set DPM_WORKFLOW_ENABLED=true.' },
  DPM_LINEAGE_APIS_DISABLED: { area: 'http', status: 404, meaning: 'Lineage lookups are off; set DPM_LINEAGE_APIS_ENABLED=true.' },
  DPM_IDEMPOTENCY_HISTORY_APIS_DISABLED: {
    area: 'http',
    status: 404,
    meaning: 'Idempotency history lookups are off; set DPM_IDEMPOTENCY_HISTORY_APIS_ENABLED=true.',
  },
  DPM_SUPPORTABILITY_SUMMARY_APIS_DISABLED: {
    area: 'http',
    status: 404,
    meaning: 'The supportability summary is off; set DPM_SUPPORTABILITY_SUMMARY_APIS_ENABLED=true.',
  },
  DPM_SUPPORT_BUNDLE_APIS_DISABLED: { area: 'http', status: 404, meaning: 'Support bundles are off; set DPM_SUPPORT_BUNDLE_APIS_ENABLED=true.' },

  CONSOLE_ASSETS_MISSING: {
    area: 'http',
    status: 503,
    meaning: 'The operations console at /console is not built: run `npm run build:console` (npm install and npm run build run it), then restart the service.',
  },

  // ── Advisory proposal lifecycle API ──────────────────────────────────────────────────
  PROPOSAL_WORKFLOW_LIFECYCLE_DISABLED: { area: 'http', status: 404, meaning: 'PROPOSAL_WORKFLOW_LIFECYCLE_ENABLED is off: every lifecycle route but supportability/config answers 404.' },
  PROPOSAL_SUPPORT_APIS_DISABLED: { area: 'http', status: 404, meaning: 'PROPOSAL_SUPPORT_APIS_ENABLED is off: workflow-events, approvals (GET), lineage and idempotency lookups answer 404.' },
  PROPOSAL_ASYNC_OPERATIONS_DISABLED: { area: 'http', status: 404, meaning: 'PROPOSAL_ASYNC_OPERATIONS_ENABLED is off: async creates/versions and operation lookups answer 404.' },
  PROPOSAL_NOT_FOUND: { area: 'request', status: 404, meaning: 'No proposal has this id.' },
  PROPOSAL_VERSION_NOT_FOUND: { area: 'request', status: 404, meaning: 'The proposal has no version with this number.' },
  PROPOSAL_VERSION_REQUEST_NOT_STORED: {
    area: 'request',
    status: 409,
    meaning: 'The proposal version was written before versions kept their request, so it cannot be reproduced; its stored result stands as recorded.',
  },
  PROPOSAL_IDEMPOTENCY_KEY_NOT_FOUND: { area: 'request', status: 404, meaning: 'No proposal or version was created with this Idempotency-Key.' },
  PROPOSAL_ASYNC_OPERATION_NOT_FOUND: { area: 'request', status: 404, meaning: 'No async proposal operation has this id or correlation id.' },
  PORTFOLIO_CONTEXT_MISMATCH: {
    area: 'request',
    status: 422,
    meaning: 'A new version names another portfolio than the proposal while PROPOSAL_ALLOW_PORTFOLIO_CHANGE_ON_NEW_VERSION is off.',
  },
  PROPOSAL_RELATED_VERSION_INVALID: { area: 'request', status: 422, meaning: 'related_version_no names a version the proposal does not have.' },
  PROPOSAL_TERMINAL_STATE: {
    area: 'request',
    status: 422,
    detail: ['PROPOSAL_TERMINAL_STATE: cannot create version'],
    meaning: 'The proposal is EXECUTED, REJECTED, CANCELLED or EXPIRED: no new version.',
  },
  STATE_CONFLICT: {
    area: 'request',
    status: 409,
    detail: ['STATE_CONFLICT: expected_state mismatch', 'STATE_CONFLICT: expected_state is required'],
    meaning: 'expected_state is missing (and required) or differs from the proposal\'s state, or another change landed first; nothing was written.',
  },
  INVALID_TRANSITION: { area: 'request', status: 422, meaning: 'The workflow does not allow this event from the proposal\'s current state; nothing was written.' },
  INVALID_APPROVAL_STATE: { area: 'request', status: 422, meaning: 'This approval type is not expected in the proposal\'s current state; nothing was written.' },
  PROPOSAL_GATE_BLOCKED: {
    area: 'request',
    status: 422,
    meaning: 'The current version\'s gate decision is BLOCKED, so the proposal cannot be executed; create a new version that clears the block.',
  },

  // ── HTTP ─────────────────────────────────────────────────────────────────────────────
  VALIDATION_ERROR: {
    area: 'http',
    status: 422,
    meaning: 'The request does not match its schema (or is not JSON); `detail` lists every problem as {type, loc, msg, input}.',
  },
  BAD_REQUEST: {
    area: 'http',
    status: 400,
    meaning: 'The request cannot be read as HTTP: a control character in a header, a Content-Length that does not match the body, a path that is not percent-encoded UTF-8.',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    area: 'http',
    status: 415,
    meaning: 'The body is not JSON: send Content-Type: application/json (or another +json type).',
  },
  REQUEST_TIMEOUT: {
    area: 'http',
    status: 408,
    meaning: 'The request did not arrive in time: its headers within HTTP_HEADERS_TIMEOUT_MS, or all of it within HTTP_REQUEST_TIMEOUT_MS; the connection is closed.',
  },
  PAYLOAD_TOO_LARGE: { area: 'http', status: 413, meaning: 'The body is larger than the server accepts.' },
  REQUEST_HEADER_FIELDS_TOO_LARGE: {
    area: 'http',
    status: 431,
    meaning: 'The request line and headers together are larger than HTTP_MAX_HEADER_BYTES; the connection is closed.',
  },
  ROUTE_NOT_FOUND: { area: 'http', status: 404, detail: ['Not Found'], meaning: 'No route matches this path.' },
  METHOD_NOT_ALLOWED: {
    area: 'http',
    status: 405,
    detail: ['Method Not Allowed'],
    meaning: 'The path exists but not with this method; the Allow header lists the methods it has.',
  },
  INTERNAL_ERROR: {
    area: 'http',
    status: 500,
    detail: ['An unexpected error occurred.'],
    meaning: 'An unexpected error; the log line with the same correlation id has the details.',
  },
  PROBE_FAILED: {
    area: 'store',
    meaning: 'A readiness probe itself threw (reported in /health/ready and supportability/config, never as an HTTP error).',
  },
} as const satisfies Record<string, ReasonCodeEntry>;

export type ReasonCode = keyof typeof entries;

export const REASON_CODES: Readonly<Record<ReasonCode, ReasonCodeEntry>> = entries;

/** `CODE:detail:detail`, the reference's format for codes that name a namespace or version. */
export function withDetail(code: ReasonCode, ...details: string[]): string {
  return [code, ...details].join(':');
}

/** A bad field of a request, named as the client wrote it (`portfolio_snapshot.positions[2].quantity`). */
export interface FieldProblem {
  readonly field: string;
  /** The pydantic error type (`missing`, `string_type`, `value_error`, …). */
  readonly code: string;
  readonly message: string;
}

/** The `detail` strings catalogued for a code (the bare code when none are). */
export type DetailOf<C extends ReasonCode> = (typeof entries)[C] extends { readonly detail: readonly (infer D)[] } ? D : never;

export interface ReasonErrorOptions<C extends ReasonCode> {
  /** Run-time suffix of the code (`…:<ns>:<version>`). */
  readonly details?: readonly string[];
  readonly cause?: unknown;
  /** Which of the catalogued `detail` strings applies (default: the first). */
  readonly detail?: DetailOf<C>;
  /** For VALIDATION_ERROR: every bad field of the request body. */
  readonly problems?: readonly FieldProblem[];
}

/**
 * The one error type of services and stores: a catalogued code, the catalogued `detail`, and a
 * message for people (never secrets; for a 5xx it stays in the log). `src/http/errors.ts`
 * renders it; the CLI prints `fullCode: message`.
 */
export class ReasonError<C extends ReasonCode = ReasonCode> extends Error {
  readonly code: C;
  /** The code plus its run-time suffix, e.g. `POSTGRES_MIGRATION_CHECKSUM_MISMATCH:dpm:0001`. */
  readonly fullCode: string;
  /** What a client reads in `detail`. */
  readonly detail: string;
  readonly problems: readonly FieldProblem[];

  constructor(code: C, message: string, options: ReasonErrorOptions<C> = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ReasonError';
    this.code = code;
    this.fullCode = withDetail(code, ...(options.details ?? []));
    const catalogued: ReasonCodeEntry = REASON_CODES[code];
    this.detail = (options.detail as string | undefined) ?? catalogued.detail?.[0] ?? this.fullCode;
    this.problems = options.problems ?? [];
  }
}
