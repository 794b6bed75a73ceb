/**
 * `migrate`: apply, preview (--dry-run) or inspect (--status) the PostgreSQL migrations of
 * the service's stores. DSNs come from the service's own settings, never from flags, so they
 * do not show in the process list. Every requested DSN is checked before anything runs, and
 * the report says exactly which namespaces were applied.
 */
import { Command, Option } from 'commander';
import { ReasonError } from '../config/reason-codes.ts';
import { redactSecrets } from '../config/redact.ts';
import { loadSettings, type Settings } from '../config/settings.ts';
import { formatViolation } from '../config/startup-assessment.ts';
import { isUnavailable } from '../stores/postgres/errors.ts';
import { migratePostgres, postgresMigrationStatus } from '../stores/postgres/migrator.ts';
import { PostgresPools } from '../stores/postgres/pools.ts';
import { NAMESPACES, type Namespace } from '../stores/migrations/namespaces.ts';
import { EX_CONFIG, EX_FAILURE } from './exit-codes.ts';

type Outcome = 'applied' | 'up_to_date' | 'would_apply' | 'inspected' | 'failed' | 'not_run';

interface NamespaceReport {
  namespace: Namespace;
  outcome: Outcome;
  applied: string[];
  pending: string[];
  checksum_drift: string[];
  unknown: string[];
  history_table_exists?: boolean;
  error?: { code: string; message: string };
}

interface MigrateOptions {
  target: Namespace | 'all';
  dryRun?: boolean;
  status?: boolean;
  json?: boolean;
}

export function dsnFor(settings: Settings, namespace: Namespace): string {
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
  return { namespace, outcome, applied: [], pending: [], checksum_drift: [], unknown: [] };
}

function errorOf(namespace: Namespace, error: unknown): { code: string; message: string } {
  if (error instanceof ReasonError) return { code: error.fullCode, message: error.message };
  const message = redactSecrets(error instanceof Error ? error.message : String(error));
  if (isUnavailable(error)) return { code: `POSTGRES_MIGRATION_CONNECTION_FAILED:${namespace}`, message };
  return { code: `POSTGRES_MIGRATION_FAILED:${namespace}`, message };
}

async function runNamespace(pools: PostgresPools, settings: Settings, namespace: Namespace, options: MigrateOptions): Promise<NamespaceReport> {
  const pool = pools.pool(dsnFor(settings, namespace));
  if (options.status || options.dryRun) {
    const { historyTableExists, plan } = await postgresMigrationStatus(pool, namespace);
    return {
      namespace,
      outcome: options.status ? 'inspected' : plan.pending.length > 0 ? 'would_apply' : 'up_to_date',
      applied: [...plan.applied],
      pending: plan.pending.map((f) => f.version),
      checksum_drift: plan.checksumDrift.map((d) => d.version),
      unknown: [...plan.unknown],
      history_table_exists: historyTableExists,
    };
  }
  const report = await migratePostgres(pool, namespace, { lockTimeoutMs: settings.postgres.migrationLockTimeoutMs });
  return { ...emptyReport(namespace, report.applied.length > 0 ? 'applied' : 'up_to_date'), applied: [...report.applied] };
}

const OUTCOME_TEXT: Readonly<Record<Outcome, (r: NamespaceReport) => string>> = {
  applied: (r) => `applied (${r.applied.join(', ')})`,
  up_to_date: () => 'up to date',
  would_apply: (r) => `would apply ${r.pending.join(', ')}`,
  inspected: (r) => `applied [${r.applied.join(', ')}] pending [${r.pending.join(', ')}]`,
  failed: () => 'failed',
  not_run: () => 'not run',
};

function printHuman(reports: readonly NamespaceReport[], ok: boolean): void {
  for (const r of reports) {
    const parts = [`${r.namespace}:`, OUTCOME_TEXT[r.outcome](r)];
    if (r.checksum_drift.length) parts.push(`checksum drift [${r.checksum_drift.join(', ')}]`);
    if (r.unknown.length) parts.push(`unknown [${r.unknown.join(', ')}]`);
    if (r.history_table_exists === false) parts.push('(never migrated: no schema_migrations table)');
    process.stdout.write(`${parts.join(' ')}\n`);
    if (r.error) process.stderr.write(`${r.error.code}: ${r.error.message}\n`);
  }
  if (!ok) process.stderr.write('Migration did not complete; namespaces marked "not run" were left untouched.\n');
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
  const reports: NamespaceReport[] = targets.map((namespace) =>
    missing.includes(namespace)
      ? {
          ...emptyReport(namespace, 'failed'),
          error: { code: `POSTGRES_MIGRATION_DSN_REQUIRED:${namespace}`, message: `No DSN is configured for namespace ${namespace}.` },
        }
      : emptyReport(namespace, 'not_run'),
  );

  if (missing.length === 0) {
    const pools = new PostgresPools({ ...settings.postgres, poolMax: 2 });
    try {
      for (const [i, namespace] of targets.entries()) {
        try {
          reports[i] = await runNamespace(pools, settings, namespace, options);
        } catch (error) {
          reports[i] = { ...emptyReport(namespace, 'failed'), error: errorOf(namespace, error) };
          break;
        }
      }
    } finally {
      await pools.closeAll();
    }
  }

  const ok = reports.every((r) => r.outcome !== 'failed' && r.outcome !== 'not_run');
  if (options.json) process.stdout.write(`${JSON.stringify({ ok, target: options.target, namespaces: reports }, null, 2)}\n`);
  else printHuman(reports, ok);
  return ok ? 0 : EX_FAILURE;
}

export function migrateCommand(): Command {
  return new Command('migrate')
    .description('Apply the PostgreSQL migrations of the configured stores (DSNs from the environment).')
    .addOption(new Option('--target <namespace>', 'namespace to migrate').choices([...NAMESPACES, 'all']).default('all'))
    .option('--dry-run', 'print what would be applied, change nothing')
    .option('--status', 'print applied / pending / drifted / unknown versions, change nothing')
    .option('--json', 'print one JSON document on stdout')
    .action(async (options: MigrateOptions) => {
      process.exitCode = await migrate(options);
    });
}
