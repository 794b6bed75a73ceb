/**
 * `migrate`: apply, preview (--dry-run) or inspect (--status) the PostgreSQL migrations of
 * the service's stores. DSNs come from the service's own settings, never from flags, so they
 * do not show in the process list. Every requested DSN is checked before anything runs, and
 * the report says exactly which namespaces were applied, which failed and which were not run.
 * While it runs, it says on stderr who holds a lock it waits for and each file it applied.
 */
import { Command, Option } from 'commander';
import type pg from 'pg';
import { ReasonError } from '../config/reason-codes.ts';
import { redactSecrets } from '../config/redact.ts';
import { loadSettings, type Settings } from '../config/settings.ts';
import { formatViolation } from '../config/startup-assessment.ts';
import { NAMESPACES, type Namespace } from '../stores/migrations/namespaces.ts';
import { assertMigratable } from '../stores/migrations/verdict.ts';
import { isConnectionFailure } from '../stores/postgres/errors.ts';
import { migratePostgres, verifyMigrations, type PostgresMigrateOptions } from '../stores/postgres/migrator.ts';
import { PostgresPools } from '../stores/postgres/pools.ts';
import { EX_CONFIG, EX_FAILURE } from './exit-codes.ts';
import { migrateProgress } from './migrate-progress.ts';

type Outcome = 'applied' | 'up_to_date' | 'would_apply' | 'inspected' | 'failed' | 'not_run';

interface NamespaceReport {
  namespace: Namespace;
  outcome: Outcome;
  applied: string[];
  pending: string[];
  checksum_drift: string[];
  unknown: string[];
  /** Versions a later release applied: allowed, left alone. */
  future: string[];
  /** Files never applied although later versions are: refused. */
  gaps: string[];
  history_table_exists?: boolean;
  error?: { code: string; message: string };
}

interface MigrateOptions {
  target: Namespace | 'all';
  dryRun?: boolean;
  status?: boolean;
  json?: boolean;
}

function dsnFor(settings: Settings, namespace: Namespace): string {
  switch (namespace) {
    case 'dpm':
      return settings.dpm.postgresDsn;
    case 'proposals':
      return settings.proposals.postgresDsn;
    case 'policy_packs':
      return settings.policyPacks.postgresDsn;
  }
}

function emptyReport(namespace: Namespace, outcome: Outcome): NamespaceReport {
  return { namespace, outcome, applied: [], pending: [], checksum_drift: [], unknown: [], future: [], gaps: [] };
}

function errorOf(namespace: Namespace, error: unknown): { code: string; message: string } {
  if (error instanceof ReasonError) return { code: error.fullCode, message: error.message };
  const message = redactSecrets(error instanceof Error ? error.message || error.constructor.name : String(error));
  if (isConnectionFailure(error)) return { code: `POSTGRES_MIGRATION_CONNECTION_FAILED:${namespace}`, message };
  return { code: `POSTGRES_MIGRATION_FAILED:${namespace}`, message };
}

/** --status and --dry-run: read only. A database the real run would refuse is reported as failed, with that run's code. */
async function inspect(pool: pg.Pool, namespace: Namespace, dryRun: boolean): Promise<NamespaceReport> {
  const { historyTableExists, plan } = await verifyMigrations(pool, namespace);
  const report: NamespaceReport = {
    namespace,
    outcome: !dryRun ? 'inspected' : plan.pending.length > 0 ? 'would_apply' : 'up_to_date',
    applied: [...plan.applied],
    pending: plan.pending.map((f) => f.version),
    checksum_drift: plan.checksumDrift.map((d) => d.version),
    unknown: [...plan.unknown],
    future: [...plan.future],
    gaps: [...plan.gaps],
    history_table_exists: historyTableExists,
  };
  try {
    assertMigratable(plan, 'POSTGRES');
  } catch (error) {
    return { ...report, outcome: 'failed', error: errorOf(namespace, error) };
  }
  return report;
}

async function apply(pool: pg.Pool, namespace: Namespace, options: PostgresMigrateOptions): Promise<NamespaceReport> {
  const result = await migratePostgres(pool, namespace, options);
  return { ...emptyReport(namespace, result.applied.length > 0 ? 'applied' : 'up_to_date'), applied: [...result.applied], future: [...result.future] };
}

async function runAll(settings: Settings, targets: readonly Namespace[], options: MigrateOptions): Promise<NamespaceReport[]> {
  const readOnly = Boolean(options.status || options.dryRun);
  const reports = targets.map((namespace) => emptyReport(namespace, 'not_run'));
  const pools = new PostgresPools({ ...settings.postgres, poolMax: 2, applicationName: `${settings.postgres.applicationName}:migrate` });
  const migrateOptions = {
    lockTimeoutMs: settings.postgres.migrationLockTimeoutMs,
    progress: migrateProgress(options.json ? 'json' : 'human', settings.http.logLevel),
  };
  try {
    for (const [i, namespace] of targets.entries()) {
      const pool = pools.pool(dsnFor(settings, namespace));
      try {
        reports[i] = readOnly ? await inspect(pool, namespace, Boolean(options.dryRun)) : await apply(pool, namespace, migrateOptions);
      } catch (error) {
        reports[i] = { ...emptyReport(namespace, 'failed'), error: errorOf(namespace, error) };
      }
      // Applying stops at the first failure, so nothing runs past a problem; inspecting goes on.
      if (!readOnly && reports[i]?.outcome === 'failed') break;
    }
  } finally {
    await pools.closeAll();
  }
  return reports;
}

const OUTCOME_TEXT: Readonly<Record<Outcome, (r: NamespaceReport) => string>> = {
  applied: (r) => `applied (${r.applied.join(', ')})`,
  up_to_date: () => 'up to date',
  would_apply: (r) => `would apply ${r.pending.join(', ')}`,
  inspected: (r) => `applied [${r.applied.join(', ')}] pending [${r.pending.join(', ')}]`,
  failed: () => 'failed',
  not_run: () => 'not run',
};

function printHuman(reports: readonly NamespaceReport[]): void {
  for (const r of reports) {
    const parts = [`${r.namespace}:`, OUTCOME_TEXT[r.outcome](r)];
    if (r.checksum_drift.length) parts.push(`checksum drift [${r.checksum_drift.join(', ')}]`);
    if (r.gaps.length) parts.push(`gaps [${r.gaps.join(', ')}]`);
    if (r.unknown.length) parts.push(`unknown [${r.unknown.join(', ')}]`);
    if (r.future.length) parts.push(`future [${r.future.join(', ')}] (applied by a later release; left alone)`);
    if (r.history_table_exists === false) parts.push('(never migrated: no schema_migrations table)');
    process.stdout.write(`${parts.join(' ')}\n`);
    if (r.error) process.stderr.write(`${r.error.code}: ${r.error.message}\n`);
  }
  if (reports.some((r) => r.outcome === 'not_run')) {
    process.stderr.write('Migration did not complete; namespaces marked "not run" were left untouched.\n');
  }
}

export async function migrate(options: MigrateOptions): Promise<number> {
  const loaded = loadSettings();
  if (!loaded.ok) {
    if (options.json) process.stdout.write(`${JSON.stringify({ ok: false, violations: loaded.violations })}\n`);
    else for (const violation of loaded.violations) process.stderr.write(`${formatViolation(violation)}\n`);
    return EX_CONFIG;
  }
  const { settings } = loaded;
  const targets = options.target === 'all' ? [...NAMESPACES] : [options.target];

  // Every DSN first: `--target all` must not apply dpm and then discover proposals has none.
  const missing = targets.filter((namespace) => dsnFor(settings, namespace) === '');
  const reports =
    missing.length > 0
      ? targets.map((namespace) =>
          missing.includes(namespace)
            ? {
                ...emptyReport(namespace, 'failed'),
                error: { code: `POSTGRES_MIGRATION_DSN_REQUIRED:${namespace}`, message: `No DSN is configured for namespace ${namespace}.` },
              }
            : emptyReport(namespace, 'not_run'),
        )
      : await runAll(settings, targets, options);

  const ok = reports.every((r) => r.outcome !== 'failed' && r.outcome !== 'not_run');
  if (options.json) process.stdout.write(`${JSON.stringify({ ok, target: options.target, namespaces: reports }, null, 2)}\n`);
  else printHuman(reports);
  return ok ? 0 : EX_FAILURE;
}

export function migrateCommand(): Command {
  return new Command('migrate')
    .description('Apply the PostgreSQL migrations of the configured stores (DSNs from the environment).')
    .addOption(new Option('--target <namespace>', 'namespace to migrate').choices([...NAMESPACES, 'all']).default('all'))
    .option('--dry-run', 'print what would be applied, change nothing')
    .option('--status', 'print applied / pending / drifted / unknown / future versions, change nothing')
    .option('--json', 'print one JSON document on stdout')
    .action(async (options: MigrateOptions) => {
      process.exitCode = await migrate(options);
    });
}
