/** The migrate CLI as an operator runs it: a real process, DSNs only in its environment. */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../support/postgres.ts';
import { runCli } from '../support/service-process.ts';

interface JsonReport {
  ok: boolean;
  namespaces: { namespace: string; outcome: string; applied: string[]; pending: string[]; error?: { code: string; message: string } }[];
}

describe('npm run migrate', () => {
  let database: TestDatabase;
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await freshDatabase();
    env = { DPM_POLICY_PACK_POSTGRES_DSN: database.dsn };
  });

  afterAll(async () => {
    await database.drop();
  });

  it('refuses when a requested namespace has no DSN, before applying anything', async () => {
    const result = await runCli(['migrate', '--target', 'all', '--json'], env);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.ok).toBe(false);
    expect(report.namespaces.map((n) => [n.namespace, n.outcome, n.error?.code])).toEqual([
      ['dpm', 'failed', 'POSTGRES_MIGRATION_DSN_REQUIRED:dpm'],
      ['proposals', 'failed', 'POSTGRES_MIGRATION_DSN_REQUIRED:proposals'],
      ['policy_packs', 'not_run', undefined],
    ]);
    const client = new pg.Client({ connectionString: database.dsn });
    await client.connect();
    const { rows } = await client.query("SELECT to_regclass('schema_migrations') AS t");
    await client.end();
    expect(rows[0]).toEqual({ t: null });
  });

  it('--dry-run and --status change nothing; a real run applies; a second run applies nothing', async () => {
    const dryRun = await runCli(['migrate', '--target', 'policy_packs', '--dry-run'], env);
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout.trim()).toBe('policy_packs: would apply 0001 (never migrated: no schema_migrations table)');
    const status = JSON.parse((await runCli(['migrate', '--target', 'policy_packs', '--status', '--json'], env)).stdout) as JsonReport;
    expect(status.namespaces[0]).toMatchObject({ outcome: 'inspected', applied: [], pending: ['0001'], history_table_exists: false });

    const applied = await runCli(['migrate', '--target', 'policy_packs'], env);
    expect(applied.code).toBe(0);
    expect(applied.stdout.trim()).toBe('policy_packs: applied (0001)');

    const again = JSON.parse((await runCli(['migrate', '--target', 'policy_packs', '--json'], env)).stdout) as JsonReport;
    expect(again).toMatchObject({ ok: true, namespaces: [{ namespace: 'policy_packs', outcome: 'up_to_date', applied: [] }] });
    const after = JSON.parse((await runCli(['migrate', '--target', 'policy_packs', '--status', '--json'], env)).stdout) as JsonReport;
    expect(after.namespaces[0]).toMatchObject({ applied: ['0001'], pending: [] });
  });

  it('an unreachable database is a coded failure with the password redacted', async () => {
    const result = await runCli(['migrate', '--target', 'policy_packs'], {
      DPM_POLICY_PACK_POSTGRES_DSN: 'postgres://app:hunter2@127.0.0.1:1/nowhere',
      POSTGRES_CONNECT_TIMEOUT_MS: '2000',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^POSTGRES_MIGRATION_CONNECTION_FAILED:policy_packs: /m);
    expect(result.stdout + result.stderr).not.toContain('hunter2');
  });

  it('invalid configuration exits 78 with its code', async () => {
    const result = await runCli(['migrate'], { DPM_SUPPORTABILITY_POSTGRES_DSN: 'mysql://x' });
    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(/^DPM_SUPPORTABILITY_POSTGRES_DSN_INVALID: /m);
  });
});
