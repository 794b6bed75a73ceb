/**
 * `cutover-check`: can this environment run with APP_PERSISTENCE_PROFILE=PRODUCTION?
 *
 * Every check is evaluated and reported (passing ones too), never just the first failure:
 * the profile, every configuration value, every guardrail and — with --check-migrations —
 * each namespace's database: reachable, migrated, every file applied in order with its
 * checksum, no unknown version, no invalid index. Versions a later release applied pass, marked
 * as notices (⚠), and so do PRODUCTION warnings (e.g. no authentication) unless `--strict` makes
 * them failures. Exit 0 only when everything passes.
 */
import { Command } from 'commander';
import { evaluateGuardrails, evaluateWarnings, GUARDRAIL_RULES, WARNING_RULES } from '../config/profile.ts';
import { REASON_CODES } from '../config/reason-codes.ts';
import { loadSettings, type Settings } from '../config/settings.ts';
import type { Namespace } from '../stores/migrations/namespaces.ts';
import { PostgresPools } from '../stores/postgres/pools.ts';
import { verifyNamespace, type Check } from '../stores/postgres/readiness.ts';
import { EX_FAILURE } from './exit-codes.ts';

interface CutoverOptions {
  checkMigrations?: boolean;
  asProduction?: boolean;
  json?: boolean;
  strict?: boolean;
}

export interface CutoverReport {
  readonly ok: boolean;
  readonly profile: string;
  readonly evaluated_as: 'PRODUCTION';
  readonly databases_checked: boolean;
  readonly checks: readonly Check[];
}

function configurationChecks(settings: Settings, violations: readonly { code: string; message: string }[], options: CutoverOptions): Check[] {
  const asProduction = options.asProduction ?? false;
  const isProduction = settings.profile === 'PRODUCTION';
  const broken = new Set(evaluateGuardrails(settings, 'PRODUCTION').map((v) => v.code));
  const warned = new Set(evaluateWarnings(settings, 'PRODUCTION').map((v) => v.code));
  return [
    {
      code: 'CUTOVER_PROFILE_NOT_PRODUCTION',
      ok: isProduction || asProduction,
      detail: isProduction
        ? 'APP_PERSISTENCE_PROFILE is PRODUCTION'
        : `APP_PERSISTENCE_PROFILE is ${settings.profile}${asProduction ? ' (evaluated as PRODUCTION: --as-production)' : ''}`,
    },
    ...violations.map((v) => ({ code: v.code, ok: false, detail: v.message })),
    ...GUARDRAIL_RULES.map(({ code }) => ({ code, ok: !broken.has(code), detail: REASON_CODES[code].meaning })),
    ...WARNING_RULES.map(({ code }): Check => {
      const detail = REASON_CODES[code].meaning;
      if (!warned.has(code)) return { code, ok: true, detail };
      return options.strict ? { code, ok: false, detail } : { code, ok: true, notice: true, detail };
    }),
  ];
}

/** The databases PRODUCTION would use: the two stores always, the catalog when it is on Postgres or required. */
export function cutoverTargets(settings: Settings): { namespace: Namespace; dsn: string }[] {
  const targets: { namespace: Namespace; dsn: string }[] = [
    { namespace: 'dpm', dsn: settings.dpm.postgresDsn },
    { namespace: 'proposals', dsn: settings.proposals.postgresDsn },
  ];
  const catalog = settings.policyPacks;
  if (catalog.catalogRequired) targets.push({ namespace: 'policy_packs', dsn: catalog.explicitPostgresDsn });
  else if (catalog.catalogBackend === 'POSTGRES') targets.push({ namespace: 'policy_packs', dsn: catalog.postgresDsn });
  return targets;
}

async function databaseChecks(settings: Settings): Promise<Check[]> {
  const pools = new PostgresPools({ ...settings.postgres, poolMax: 2, applicationName: `${settings.postgres.applicationName}:cutover-check` });
  try {
    const perNamespace = await Promise.all(
      cutoverTargets(settings).map(({ namespace, dsn }) =>
        dsn === ''
          ? [{ code: `CUTOVER_POSTGRES_UNREACHABLE:${namespace}`, ok: false, detail: `${namespace}: no DSN configured` }]
          : verifyNamespace({ namespace, pool: pools.pool(dsn) }),
      ),
    );
    return perNamespace.flat();
  } finally {
    await pools.closeAll();
  }
}

export async function runCutoverCheck(options: CutoverOptions): Promise<CutoverReport> {
  const loaded = loadSettings();
  const checks = configurationChecks(loaded.settings, loaded.violations, options);
  if (options.checkMigrations) checks.push(...(await databaseChecks(loaded.settings)));
  return {
    ok: checks.every((c) => c.ok),
    profile: loaded.settings.profile,
    evaluated_as: 'PRODUCTION',
    databases_checked: options.checkMigrations ?? false,
    checks,
  };
}

function printHuman(report: CutoverReport): void {
  const out = [`Production cutover check (profile ${report.profile})`];
  for (const check of report.checks) out.push(`${check.ok ? (check.notice ? '⚠' : '✔') : '✘'} ${check.code} — ${check.detail}`);
  if (!report.databases_checked) out.push('• Databases were not contacted: add --check-migrations to verify reachability and migrations.');
  const failed = report.checks.filter((c) => !c.ok);
  const notices = report.checks.filter((c) => c.ok && c.notice);
  const noted = notices.length === 0 ? '' : ` Notices (passing): ${notices.map((c) => c.code).join(', ')}.`;
  out.push(
    failed.length === 0
      ? `PASSED: all ${report.checks.length} checks passed.${noted}`
      : `FAILED: ${failed.length} of ${report.checks.length} checks failed: ${failed.map((c) => c.code).join(', ')}.${noted}`,
  );
  (failed.length === 0 ? process.stdout : process.stderr).write(`${out.join('\n')}\n`);
}

export function cutoverCheckCommand(): Command {
  return new Command('cutover-check')
    .description('Check that this environment satisfies the PRODUCTION persistence contract (RFC-0025).')
    .option('--check-migrations', 'also connect to every namespace database and verify its migrations')
    .option('--as-production', 'evaluate a LOCAL environment as if it were PRODUCTION (shadow gate)')
    .option('--json', 'print one JSON document on stdout')
    .option('--strict', 'fail on PRODUCTION warnings too (e.g. PRODUCTION_AUTHENTICATION_DISABLED)')
    .action(async (options: CutoverOptions) => {
      const report = await runCutoverCheck(options);
      if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else printHuman(report);
      process.exitCode = report.ok ? 0 : EX_FAILURE;
    });
}
