/** The cutover check as an operator runs it, against a real PostgreSQL. */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GUARDRAIL_CODES } from '../../src/config/profile.ts';
import { freshDatabase, type TestDatabase } from '../support/postgres.ts';
import { runCli, type TestEnv, productionEnv } from '../support/service-process.ts';

interface Report {
  ok: boolean;
  profile: string;
  databases_checked: boolean;
  checks: { code: string; ok: boolean; detail: string; notice?: boolean }[];
}

const failedCodes = (report: Report): string[] => report.checks.filter((c) => !c.ok).map((c) => c.code);

async function check(args: string[], env: TestEnv): Promise<{ code: number | null; report: Report; stderr: string }> {
  const result = await runCli(['cutover-check', '--json', ...args], env);
  return { code: result.code, report: JSON.parse(result.stdout) as Report, stderr: result.stderr };
}

describe('npm run cutover-check', () => {
  let database: TestDatabase;
  let production: TestEnv;

  beforeAll(async () => {
    database = await freshDatabase();
    production = productionEnv(database.dsn, { DPM_POLICY_PACKS_ENABLED: 'true', DPM_POLICY_PACK_CATALOG_BACKEND: 'POSTGRES', DPM_POLICY_PACK_POSTGRES_DSN: database.dsn });
  });

  afterAll(async () => {
    await database.drop();
  });

  it('refuses a LOCAL profile unless asked to evaluate it as PRODUCTION', async () => {
    const local = await check([], {});
    expect(local.code).toBe(1);
    expect(failedCodes(local.report)).toContain('CUTOVER_PROFILE_NOT_PRODUCTION');
    const shadow = await check(['--as-production'], { ...production, APP_PERSISTENCE_PROFILE: 'LOCAL' });
    expect(failedCodes(shadow.report)).toEqual([]);
    expect(shadow.code).toBe(0);
    expect(shadow.report.databases_checked).toBe(false);
  });

  it('reports every problem at once, in order, as one JSON document', async () => {
    const { code, report } = await check([], {
      APP_PERSISTENCE_PROFILE: 'PRODUCTION',
      PROPOSAL_STORE_BACKEND: 'mongo',
      DPM_POLICY_PACKS_ENABLED: 'true',
      DPM_POLICY_PACK_ADMIN_APIS_ENABLED: 'true',
    });
    expect(code).toBe(1);
    expect(report).toMatchObject({ ok: false, profile: 'PRODUCTION', databases_checked: false });
    expect(failedCodes(report)).toEqual(['PROPOSAL_STORE_BACKEND_INVALID', ...GUARDRAIL_CODES]);
    for (const entry of report.checks) expect(entry).toEqual({ code: expect.any(String), ok: expect.any(Boolean), detail: expect.any(String), ...(entry.notice ? { notice: true } : {}) });
  });

  it('with --check-migrations: an unmigrated database fails per namespace, a migrated one passes', async () => {
    const before = await check(['--check-migrations'], production);
    expect(before.code).toBe(1);
    expect(failedCodes(before.report)).toEqual([
      'CUTOVER_SCHEMA_MIGRATIONS_TABLE_MISSING:dpm',
      'CUTOVER_SCHEMA_MIGRATIONS_TABLE_MISSING:proposals',
      'CUTOVER_SCHEMA_MIGRATIONS_TABLE_MISSING:policy_packs',
    ]);

    const migrated = await runCli(['migrate'], production);
    expect(migrated.code).toBe(0);
    const after = await check(['--check-migrations'], production);
    expect(failedCodes(after.report)).toEqual([]);
    expect(after.code).toBe(0);
    expect(after.report.checks.map((c) => c.code)).toEqual(expect.arrayContaining(['CUTOVER_MIGRATION_MISSING:dpm:0001', 'CUTOVER_MIGRATION_MISSING:policy_packs:0001']));

    // A version from a later release passes as a notice; drift and an unexplained version fail.
    const client = new pg.Client({ connectionString: database.dsn });
    await client.connect();
    await client.query("INSERT INTO schema_migrations (version, namespace, checksum) VALUES ('dpm:9999', 'dpm', 'x')");
    const future = await check(['--check-migrations'], production);
    expect(future.code).toBe(0);
    expect(future.report.checks.filter((c) => c.notice)).toEqual([
      { code: 'PRODUCTION_AUTHENTICATION_DISABLED', ok: true, notice: true, detail: expect.stringContaining('API_AUTH_MODE=NONE') },
      { code: 'POSTGRES_MIGRATION_FUTURE_VERSION:dpm:9999', ok: true, notice: true, detail: expect.stringContaining('later release') },
    ]);
    await client.query("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 'proposals:0001'");
    await client.query("INSERT INTO schema_migrations (version, namespace, checksum) VALUES ('dpm:0000', 'dpm', 'x')");
    await client.end();
    const drifted = await check(['--check-migrations'], production);
    // Namespaces are checked in order: dpm first, then proposals.
    expect(failedCodes(drifted.report)).toEqual(['POSTGRES_MIGRATION_UNKNOWN_VERSION:dpm:0000', 'POSTGRES_MIGRATION_CHECKSUM_MISMATCH:proposals:0001']);
  });

  it('a PRODUCTION warning passes as a notice, and fails with --strict until authentication is on', async () => {
    const lenient = await check([], production);
    expect(lenient.code).toBe(0);
    expect(lenient.report.checks.find((c) => c.code === 'PRODUCTION_AUTHENTICATION_DISABLED')).toEqual({ code: 'PRODUCTION_AUTHENTICATION_DISABLED', ok: true, notice: true, detail: expect.any(String) });
    const strict = await check(['--strict'], production);
    expect(strict.code).toBe(1);
    expect(failedCodes(strict.report)).toEqual(['PRODUCTION_AUTHENTICATION_DISABLED']);
    const human = await runCli(['cutover-check'], production);
    expect(human.stdout).toMatch(/^⚠ PRODUCTION_AUTHENTICATION_DISABLED — /m);
    const jwt = { API_AUTH_MODE: 'JWT', API_AUTH_ISSUER: 'https://idp.example', API_AUTH_AUDIENCE: 'dpm', API_AUTH_JWKS_URL: 'https://idp.example/jwks' };
    const secured = await check(['--strict'], { ...production, ...jwt });
    expect(secured.code).toBe(0);
    expect(secured.report.checks.find((c) => c.code === 'PRODUCTION_AUTHENTICATION_DISABLED')).toEqual({ code: 'PRODUCTION_AUTHENTICATION_DISABLED', ok: true, detail: expect.any(String) });
  });

  it('an unreachable database is named per namespace, password redacted, in human output too', async () => {
    const dead = 'postgres://app:hunter2@127.0.0.1:1/x';
    const result = await runCli(['cutover-check', '--check-migrations'], {
      ...production,
      DPM_SUPPORTABILITY_POSTGRES_DSN: dead,
      POSTGRES_CONNECT_TIMEOUT_MS: '2000',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^✘ CUTOVER_POSTGRES_UNREACHABLE:dpm — /m);
    expect(result.stderr).toMatch(/^FAILED: /m);
    expect(result.stdout + result.stderr).not.toContain('hunter2');
  });
});
