/**
 * The one catalogue of reason codes the service can emit.
 *
 * Docs (docs/configuration.md) and tests read this table; no other module spells a code
 * string by hand. Codes that carry a suffix at run time (e.g. `CUTOVER_MIGRATION_MISSING:<ns>:<version>`)
 * are catalogued by their stem and built with `withDetail`.
 */

export type ReasonArea =
  | 'configuration'
  | 'guardrail'
  | 'migration'
  | 'cutover'
  | 'store'
  | 'request'
  | 'http';

export interface ReasonCodeEntry {
  readonly area: ReasonArea;
  /** One line, for operators: what happened and what to change. */
  readonly meaning: string;
}

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
    meaning: 'DPM_SUPPORTABILITY_POSTGRES_DSN is neither a postgres:// URL nor a key=value DSN.',
  },
  PROPOSAL_POSTGRES_DSN_INVALID: {
    area: 'configuration',
    meaning: 'PROPOSAL_POSTGRES_DSN is neither a postgres:// URL nor a key=value DSN.',
  },
  DPM_POLICY_PACK_POSTGRES_DSN_INVALID: {
    area: 'configuration',
    meaning: 'DPM_POLICY_PACK_POSTGRES_DSN is neither a postgres:// URL nor a key=value DSN.',
  },
  CONFIG_FLAG_INVALID: {
    area: 'configuration',
    meaning: 'A boolean flag is not one of 1/true/yes/on or 0/false/no/off (the variable is named in the detail).',
  },
  CONFIG_INTEGER_INVALID: {
    area: 'configuration',
    meaning: 'A numeric setting is not an integer within its allowed range (the variable is named in the detail).',
  },
  DPM_TENANT_POLICY_PACK_MAP_JSON_INVALID: {
    area: 'configuration',
    meaning: 'DPM_TENANT_POLICY_PACK_MAP_JSON is not a JSON object of tenant id → policy pack id.',
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
    meaning: 'The database holds a migration this code does not have (`…:<ns>:<version>`): it is newer than this release.',
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
    meaning: 'The database holds a migration this code does not have (`…:<ns>:<version>`): it is newer than this release.',
  },
  SQLITE_MIGRATION_FAILED: {
    area: 'migration',
    meaning: 'A migration file failed and was rolled back with its history row (`…:<ns>:<version>`).',
  },
  POSTGRES_MIGRATION_LOCK_TIMEOUT: {
    area: 'migration',
    meaning: 'Another migrator held the namespace advisory lock longer than POSTGRES_MIGRATION_LOCK_TIMEOUT_MS (`…:<ns>`).',
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
  DPM_SUPPORTABILITY_POSTGRES_CONNECTION_FAILED: {
    area: 'store',
    meaning: 'The DPM supportability store could not connect to PostgreSQL at startup (DSN redacted in the detail).',
  },
  DPM_SUPPORTABILITY_POSTGRES_UNAVAILABLE: {
    area: 'store',
    meaning: 'The DPM supportability store lost PostgreSQL while serving; answered 503 with Retry-After, and recovers by itself.',
  },
  PROPOSAL_POSTGRES_CONNECTION_FAILED: {
    area: 'store',
    meaning: 'The proposal store could not connect to PostgreSQL at startup (DSN redacted in the detail).',
  },
  PROPOSAL_POSTGRES_UNAVAILABLE: {
    area: 'store',
    meaning: 'The proposal store lost PostgreSQL while serving; answered 503 with Retry-After, and recovers by itself.',
  },
  DPM_POLICY_PACK_POSTGRES_CONNECTION_FAILED: {
    area: 'store',
    meaning: 'The policy-pack catalog could not connect to PostgreSQL at startup (DSN redacted in the detail).',
  },
  DPM_POLICY_PACK_POSTGRES_UNAVAILABLE: {
    area: 'store',
    meaning: 'The policy-pack catalog lost PostgreSQL while serving; answered 503 with Retry-After, and recovers by itself.',
  },
  // (DPM supportability store codes)
  DPM_SUPPORTABILITY_INVALID_CURSOR: {
    area: 'store',
    meaning: 'A list cursor of the DPM supportability APIs was not issued by this service (edited, truncated or from another list).',
  },
  // (proposal store codes)
  PROPOSAL_INVALID_CURSOR: {
    area: 'store',
    meaning: 'A proposal list cursor was not issued by this service (edited, truncated or from another list).',
  },
  PROPOSAL_STATE_CONFLICT: {
    area: 'store',
    meaning: 'The proposal is no longer in the state the change expected (another change landed first); nothing was written — re-read and retry.',
  },
  PROPOSAL_VERSION_CONFLICT: {
    area: 'store',
    meaning: 'The proposal changed since it was read (its row version moved on); nothing was written — re-read and retry.',
  },
  PROPOSAL_IDEMPOTENCY_KEY_CONFLICT: {
    area: 'store',
    meaning: 'The idempotency key was already used for a different request (request hash differs); nothing was written.',
  },
  // (policy-pack catalog codes)
  DPM_POLICY_PACK_CATALOG_JSON_INVALID: {
    area: 'store',
    meaning: 'DPM_POLICY_PACK_CATALOG_JSON is not a JSON object {policy_pack_id: definition}; the service refuses to start.',
  },
  DPM_POLICY_PACK_DEFINITION_INVALID: {
    area: 'store',
    meaning: 'A policy-pack definition in the catalog fails validation (the pack id is in the detail, every bad field in the message); never dropped silently.',
  },
  DPM_POLICY_PACK_CATALOG_READ_ONLY: {
    area: 'store',
    meaning: 'The ENV_JSON policy-pack catalog cannot be changed through the API (HTTP 409); use the SQLITE or POSTGRES backend.',
  },
  DPM_POLICY_PACK_POSTGRES_DSN_REQUIRED: {
    area: 'store',
    meaning: 'The POSTGRES policy-pack catalog has no DSN (DPM_POLICY_PACK_POSTGRES_DSN, or DPM_SUPPORTABILITY_POSTGRES_DSN when unset).',
  },
  DPM_POLICY_PACK_NOT_FOUND: {
    area: 'http',
    meaning: 'No policy pack with this id is in the catalog (HTTP 404).',
  },
  DPM_POLICY_PACK_ADMIN_APIS_DISABLED: {
    area: 'http',
    meaning: 'PUT/DELETE on the policy-pack catalog are off (HTTP 404); set DPM_POLICY_PACK_ADMIN_APIS_ENABLED=true.',
  },
  DPM_POLICY_PACK_ADMIN_UNAUTHORIZED: {
    area: 'http',
    meaning: 'A policy-pack admin call lacks "Authorization: Bearer <DPM_POLICY_PACK_ADMIN_TOKEN>" or the token is wrong (HTTP 401).',
  },

  // ── Requests (HTTP and the engine CLI) ─────────────────────────────────────────────────
  DPM_REQUEST_INVALID: {
    area: 'request',
    meaning: 'The rebalance request fails validation; every problem is listed with its field (CLI exit 65, HTTP 422).',
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
    meaning: 'The advisory proposal request fails validation; every problem is listed with its field (CLI exit 65, HTTP 422).',
  },
  PROPOSAL_SIMULATION_DISABLED: {
    area: 'request',
    meaning: 'A proposal simulation (simulate, artifact, or a lifecycle create/version while PROPOSAL_REQUIRE_SIMULATION_FLAG is on) without options.enable_proposal_simulation=true (HTTP 422); nothing is simulated or stored.',
  },

  // ── DPM run API ──────────────────────────────────────────────────────────────────────
  IDEMPOTENCY_KEY_CONFLICT: {
    area: 'request',
    meaning: 'The Idempotency-Key was already used with a different request (409); nothing was recorded.',
  },
  DPM_RUN_NOT_FOUND: { area: 'request', meaning: 'No DPM run matches the id, correlation id or request hash (404).' },
  DPM_IDEMPOTENCY_KEY_NOT_FOUND: { area: 'request', meaning: 'No DPM run was recorded with this Idempotency-Key (404).' },
  DPM_RUN_REQUEST_NOT_STORED: {
    area: 'request',
    meaning: 'The run was recorded before runs kept their request, so it cannot be reproduced (409); its stored result stands as recorded.',
  },
  DPM_ASYNC_OPERATION_NOT_FOUND: { area: 'request', meaning: 'No async operation matches the id or correlation id, or it was purged after its TTL (404).' },
  DPM_ASYNC_OPERATION_NOT_EXECUTABLE: {
    area: 'request',
    meaning: 'The async operation is not PENDING (it is running or finished), so it cannot be executed (409).',
  },
  DPM_WORKFLOW_NOT_REQUIRED_FOR_RUN_STATUS: {
    area: 'request',
    meaning: 'The run\'s status needs no review (see DPM_WORKFLOW_REQUIRES_REVIEW_FOR_STATUSES), so no workflow action applies (409).',
  },
  DPM_WORKFLOW_INVALID_TRANSITION: {
    area: 'request',
    meaning: 'The action is not allowed from the run\'s current workflow status, or another reviewer acted first (409).',
  },
  DPM_SUPPORT_APIS_DISABLED: { area: 'http', meaning: 'The DPM supportability routes are off (404); set DPM_SUPPORT_APIS_ENABLED=true.' },
  DPM_ASYNC_OPERATIONS_DISABLED: { area: 'http', meaning: 'DPM async operations are off (404); set DPM_ASYNC_OPERATIONS_ENABLED=true.' },
  DPM_ASYNC_MANUAL_EXECUTION_DISABLED: {
    area: 'http',
    meaning: 'Manual execution of async operations is off (404); set DPM_ASYNC_MANUAL_EXECUTION_ENABLED=true.',
  },
  DPM_ARTIFACTS_DISABLED: { area: 'http', meaning: 'Run artifacts are off (404); set DPM_ARTIFACTS_ENABLED=true.' },
  DPM_WORKFLOW_DISABLED: { area: 'http', meaning: 'The run review workflow is off (404); set DPM_WORKFLOW_ENABLED=true.' },
  DPM_LINEAGE_APIS_DISABLED: { area: 'http', meaning: 'Lineage lookups are off (404); set DPM_LINEAGE_APIS_ENABLED=true.' },
  DPM_IDEMPOTENCY_HISTORY_APIS_DISABLED: {
    area: 'http',
    meaning: 'Idempotency history lookups are off (404); set DPM_IDEMPOTENCY_HISTORY_APIS_ENABLED=true.',
  },
  DPM_SUPPORTABILITY_SUMMARY_APIS_DISABLED: {
    area: 'http',
    meaning: 'The supportability summary is off (404); set DPM_SUPPORTABILITY_SUMMARY_APIS_ENABLED=true.',
  },
  DPM_SUPPORT_BUNDLE_APIS_DISABLED: { area: 'http', meaning: 'Support bundles are off (404); set DPM_SUPPORT_BUNDLE_APIS_ENABLED=true.' },

  // ── Advisory proposal lifecycle API (HTTP status in brackets) ──────────────────────────
  PROPOSAL_WORKFLOW_LIFECYCLE_DISABLED: { area: 'http', meaning: 'PROPOSAL_WORKFLOW_LIFECYCLE_ENABLED is off: every lifecycle route but supportability/config answers 404.' },
  PROPOSAL_SUPPORT_APIS_DISABLED: { area: 'http', meaning: 'PROPOSAL_SUPPORT_APIS_ENABLED is off: workflow-events, approvals (GET), lineage and idempotency lookups answer 404.' },
  PROPOSAL_ASYNC_OPERATIONS_DISABLED: { area: 'http', meaning: 'PROPOSAL_ASYNC_OPERATIONS_ENABLED is off: async creates/versions and operation lookups answer 404.' },
  PROPOSAL_NOT_FOUND: { area: 'request', meaning: 'No proposal has this id (404).' },
  PROPOSAL_VERSION_NOT_FOUND: { area: 'request', meaning: 'The proposal has no version with this number (404).' },
  PROPOSAL_VERSION_REQUEST_NOT_STORED: {
    area: 'request',
    meaning: 'The proposal version was written before versions kept their request, so it cannot be reproduced (409).',
  },
  PROPOSAL_IDEMPOTENCY_KEY_NOT_FOUND: { area: 'request', meaning: 'No proposal or version was created with this Idempotency-Key (404).' },
  PROPOSAL_ASYNC_OPERATION_NOT_FOUND: { area: 'request', meaning: 'No async proposal operation has this id or correlation id (404).' },
  PORTFOLIO_CONTEXT_MISMATCH: {
    area: 'request',
    meaning: 'A new version names another portfolio than the proposal while PROPOSAL_ALLOW_PORTFOLIO_CHANGE_ON_NEW_VERSION is off (422).',
  },
  PROPOSAL_RELATED_VERSION_INVALID: { area: 'request', meaning: 'related_version_no names a version the proposal does not have (422).' },
  PROPOSAL_TERMINAL_STATE: { area: 'request', meaning: 'The proposal is EXECUTED, REJECTED, CANCELLED or EXPIRED: no new version (409).' },
  STATE_CONFLICT: {
    area: 'request',
    meaning: 'expected_state is missing (and required) or differs from the proposal\'s state, or another change landed first (409); nothing was written.',
  },
  INVALID_TRANSITION: { area: 'request', meaning: 'The workflow does not allow this event from the proposal\'s current state (409); nothing was written.' },
  INVALID_APPROVAL_STATE: { area: 'request', meaning: 'This approval type is not expected in the proposal\'s current state (409); nothing was written.' },
  PROPOSAL_GATE_BLOCKED: {
    area: 'request',
    meaning: 'The current version\'s gate decision is BLOCKED, so the proposal cannot be executed (409); create a new version that clears the block.',
  },

  // ── HTTP ─────────────────────────────────────────────────────────────────────────────
  VALIDATION_ERROR: {
    area: 'http',
    meaning: 'The request does not match its schema; every offending field is listed.',
  },
  ROUTE_NOT_FOUND: { area: 'http', meaning: 'No route matches this method and path.' },
  INTERNAL_ERROR: {
    area: 'http',
    meaning: 'An unexpected error; the log line with the same correlation id has the details.',
  },
} as const satisfies Record<string, ReasonCodeEntry>;

export type ReasonCode = keyof typeof entries;

export const REASON_CODES: Readonly<Record<ReasonCode, ReasonCodeEntry>> = entries;

/** `CODE:detail:detail`, the reference's format for codes that name a namespace or version. */
export function withDetail(code: ReasonCode, ...details: string[]): string {
  return [code, ...details].join(':');
}

/** An error that carries a catalogued reason code; the message never contains secrets. */
export class ReasonError extends Error {
  readonly code: ReasonCode;
  /** The code plus its run-time suffix, e.g. `POSTGRES_MIGRATION_CHECKSUM_MISMATCH:dpm:0001`. */
  readonly fullCode: string;

  constructor(code: ReasonCode, message: string, options: { details?: string[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ReasonError';
    this.code = code;
    this.fullCode = withDetail(code, ...(options.details ?? []));
  }
}
