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
import { enumVariable, flagVariable, integerVariable, isSet, textVariable, type Env, type ValuesOf, type Variable, type VariableDoc, type Violation } from './variables.ts';
import { TRACING_VARIABLES, tracingSettings, type TracingSettings } from './tracing.ts';
import { AUTH_VARIABLES, authSettings, type AuthSettings } from './auth.ts';
import { HTTP_LIMIT_VARIABLES, httpLimits, httpLimitViolations, type HttpLimits } from './http-limits.ts';
import { POSTGRES_VARIABLES, postgresSettings, type PostgresSettings } from './postgres-settings.ts';
import { DPM_VARIABLES, dpmSettings, type DpmSettings } from './dpm-settings.ts';
import { ENGINE_VARIABLES, engineSettings, type EngineSettings } from './engine-settings.ts';
import { PROPOSAL_VARIABLES, proposalLifecycleSettings, proposalStoreSettings, type ProposalLifecycleSettings, type ProposalStoreSettings } from './proposal-settings.ts';
import { POLICY_PACK_VARIABLES, policyPackSettings, type PolicyPackSettings } from './policy-pack-settings.ts';

export const PROFILES = ['LOCAL', 'PRODUCTION'] as const;
export type PersistenceProfile = (typeof PROFILES)[number];

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
  readonly postgres: PostgresSettings;
  /** How background loops and the outage log behave while a store is unavailable (docs/operations.md). */
  readonly resilience: { readonly retryMaxBackoffMs: number; readonly outageLogIntervalMs: number };
  readonly dpm: DpmSettings;
  readonly proposals: ProposalStoreSettings;
  /** Where engine calls run (docs/operations.md#engine-worker-pool). */
  readonly engine: EngineSettings;
  /** The advisory proposal lifecycle API, read once at startup (docs/advisory.md#flags). */
  readonly proposalLifecycle: ProposalLifecycleSettings;
  readonly policyPacks: PolicyPackSettings;
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
  ...POSTGRES_VARIABLES,
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
  ...DPM_VARIABLES,
  ...ENGINE_VARIABLES,
  ...PROPOSAL_VARIABLES,
  ...POLICY_PACK_VARIABLES,
} as const satisfies Record<string, Variable<unknown>>;

/** Every variable, in documentation order. */
export const VARIABLE_DOCS: readonly VariableDoc[] = Object.values(VARIABLES);

export type SettingsResult =
  | { readonly ok: true; readonly settings: Settings; readonly violations: readonly [] }
  | { readonly ok: false; readonly settings: Settings; readonly violations: readonly Violation[] };

type Values = ValuesOf<typeof VARIABLES>;

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
    postgres: postgresSettings(v, processes),
    resilience: { retryMaxBackoffMs: v.retryMaxBackoffMs, outageLogIntervalMs: v.outageLogIntervalMs },
    dpm: dpmSettings(v),
    proposals: proposalStoreSettings(v),
    engine: engineSettings(env, v, processes),
    proposalLifecycle: proposalLifecycleSettings(v),
    policyPacks: policyPackSettings(env, v, v.dpmDsn),
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
