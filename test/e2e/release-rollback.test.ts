/**
 * The runbook's rollback (docs/runbook-cutover.md, "Rolling back a release"), followed step by
 * step: this code plays the previous release; the next release is this code's migrations plus
 * one additive file, applied by the real migrator. The previous release then runs in PRODUCTION
 * on the schema the next one migrated — versions above its newest are "future": allowed, reported,
 * left alone — while a version missing below them still refuses.
 */
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadMigrationFiles } from '../../src/stores/migrations/files.ts';
import { migratePostgres, POSTGRES_MIGRATIONS_ROOT } from '../../src/stores/postgres/migrator.ts';
import { conformanceVector } from '../support/conformance.ts';
import { freshDatabase, type TestDatabase, testPool } from '../support/postgres.ts';
import { productionEnv, runCli, startService, type TestEnv } from '../support/service-process.ts';

/** This release's newest dpm version, and the one the next release adds after it. */
const shippedDpm = loadMigrationFiles(POSTGRES_MIGRATIONS_ROOT, 'dpm', 'POSTGRES').map((f) => f.version);
const newestDpm = shippedDpm[shippedDpm.length - 1] ?? '0000';
const nextDpm = String(Number(newestDpm) + 1).padStart(newestDpm.length, '0');

/**
 * The next release's migrations: ours plus one expand-only file, as docs/migrations.md requires
 * (a nullable column, a NOT NULL one with a default, a new table), so this release keeps working.
 */
function nextReleaseMigrations(): string {
  const root = mkdtempSync(join(tmpdir(), 'next-release-'));
  cpSync(POSTGRES_MIGRATIONS_ROOT, root, { recursive: true });
  writeFileSync(
    join(root, 'dpm', `${nextDpm}_next_release_expands.sql`),
    `ALTER TABLE dpm_runs ADD COLUMN next_release_note text;
ALTER TABLE dpm_runs ADD COLUMN next_release_flag boolean NOT NULL DEFAULT false;
CREATE TABLE dpm_next_release_things (id text PRIMARY KEY);`,
  );
  return root;
}

const dpmRequest = (conformanceVector('dpm', 'scenario_01_cash_inflow') as { request: unknown }).request;
const futureCode = `POSTGRES_MIGRATION_FUTURE_VERSION:dpm:${nextDpm}`;

interface CutoverReport {
  ok: boolean;
  checks: { code: string; ok: boolean; notice?: boolean }[];
}

describe('rolling back to the previous release after the next one migrated', () => {
  let database: TestDatabase;
  let env: TestEnv;

  // Runbook: the database was migrated by this release, then by the next one.
  beforeEach(async () => {
    database = await freshDatabase();
    env = productionEnv(database.dsn);
    const migrated = await runCli(['migrate'], env);
    expect(migrated.code, migrated.stderr).toBe(0);
    const pool = testPool({ connectionString: database.dsn, max: 1 });
    try {
      expect((await migratePostgres(pool, 'dpm', { migrationsRoot: nextReleaseMigrations() })).applied).toEqual([nextDpm]);
    } finally {
      await pool.end();
    }
  });

  afterEach(async () => {
    await database.drop();
  });

  it('the previous release passes the cutover check, starts in PRODUCTION, logs the future version and serves', async () => {
    // Step 1: the check passes, naming the future version as a notice.
    const check = await runCli(['cutover-check', '--check-migrations', '--json'], env);
    expect(check.code, check.stdout).toBe(0);
    const report = JSON.parse(check.stdout) as CutoverReport;
    expect(report.ok).toBe(true);
    // PRODUCTION without authentication is a passing notice of its own (docs/security.md).
    expect(report.checks.filter((c) => c.notice)).toEqual([
      expect.objectContaining({ code: 'PRODUCTION_AUTHENTICATION_DISABLED', ok: true, notice: true }),
      expect.objectContaining({ code: futureCode, ok: true, notice: true }),
    ]);
    const human = await runCli(['cutover-check', '--check-migrations'], env);
    expect(human.stdout).toMatch(new RegExp(`^⚠ ${futureCode} — `, 'm'));
    expect(human.stdout).toMatch(new RegExp(`^PASSED: .*Notices \\(passing\\): PRODUCTION_AUTHENTICATION_DISABLED, ${futureCode}\\.$`, 'm'));

    // Step 2: the previous release starts, warns about the future version, and serves reads and writes.
    const service = await startService(env);
    try {
      const warning = service
        .output()
        .split('\n')
        .find((line) => line.includes(futureCode));
      expect(JSON.parse(warning ?? '{}')).toMatchObject({ code: futureCode, msg: expect.stringContaining('applied by a later release') });
      expect((await fetch(`${service.baseUrl}/health/ready`)).status).toBe(200);
      const simulated = await fetch(`${service.baseUrl}/rebalance/simulate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'rollback-1' },
        body: JSON.stringify(dpmRequest),
      });
      expect(simulated.status).toBe(200);
      const runId = ((await simulated.json()) as { rebalance_run_id: string }).rebalance_run_id;
      expect((await fetch(`${service.baseUrl}/rebalance/runs/${runId}`)).status).toBe(200);
    } finally {
      expect(await service.stop('SIGTERM')).toBe(0);
    }

    // Step 3: its migrate reports the future version and leaves it alone.
    const status = await runCli(['migrate', '--status', '--target', 'dpm'], env);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain(`future [${nextDpm}] (applied by a later release; left alone)`);
    const migrate = await runCli(['migrate', '--target', 'dpm'], env);
    expect(migrate.stdout.trim()).toBe(`dpm: up to date future [${nextDpm}] (applied by a later release; left alone)`);

    // The next release finds its schema as it left it: its own migrate has nothing to do.
    const pool = testPool({ connectionString: database.dsn, max: 1 });
    try {
      expect(await migratePostgres(pool, 'dpm', { migrationsRoot: nextReleaseMigrations() })).toMatchObject({ applied: [], future: [] });
      const { rows } = await pool.query<{ next_release_flag: boolean }>('SELECT next_release_flag FROM dpm_runs');
      expect(rows).toEqual([{ next_release_flag: false }]);
    } finally {
      await pool.end();
    }
  });

  it('a version missing below the future one still refuses: PRODUCTION exits 78, the check and migrate fail with POSTGRES_MIGRATION_GAP', async () => {
    const gapCode = `POSTGRES_MIGRATION_GAP:dpm:${newestDpm}`;
    const db = new pg.Client({ connectionString: database.dsn });
    await db.connect();
    try {
      await db.query('DELETE FROM schema_migrations WHERE version = $1', [`dpm:${newestDpm}`]);
    } finally {
      await db.end();
    }

    const served = await runCli(['serve'], { ...env, PORT: '0' });
    expect(served.code).toBe(78);
    expect(served.stderr).toMatch(new RegExp(`^${gapCode}: `, 'm'));

    const check = await runCli(['cutover-check', '--check-migrations', '--json'], env);
    expect(check.code).toBe(1);
    expect((JSON.parse(check.stdout) as CutoverReport).checks.filter((c) => !c.ok).map((c) => c.code)).toEqual([gapCode]);

    const migrate = await runCli(['migrate', '--target', 'dpm'], env);
    expect(migrate.code).toBe(1);
    expect(migrate.stderr).toMatch(new RegExp(`^${gapCode}: `, 'm'));
  });
});
