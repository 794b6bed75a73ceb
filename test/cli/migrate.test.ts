/** The migrate CLI as an operator runs it: a real process, DSNs only in its environment. */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMigrationFiles } from '../../src/stores/migrations/files.ts';
import { migrationLockKey } from '../../src/stores/migrations/lock-key.ts';
import { NAMESPACES, type Namespace } from '../../src/stores/migrations/namespaces.ts';
import { POSTGRES_MIGRATIONS_ROOT } from '../../src/stores/postgres/migrator.ts';
import { freshDatabase, type TestDatabase } from '../support/postgres.ts';
import { runCli, startCli } from '../support/service-process.ts';

/** The versions this release ships for a namespace, in order. */
const shipped = (namespace: Namespace): string[] => loadMigrationFiles(POSTGRES_MIGRATIONS_ROOT, namespace, 'POSTGRES').map((file) => file.version);

interface JsonReport {
  ok: boolean;
  namespaces: {
    namespace: string;
    outcome: string;
    applied: string[];
    pending: string[];
    checksum_drift: string[];
    future: string[];
    gaps: string[];
    history_table_exists?: boolean;
    error?: { code: string; message: string };
  }[];
}

async function query(dsn: string, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: dsn });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

const parse = (stdout: string): JsonReport => JSON.parse(stdout) as JsonReport;
const outcomes = (report: JsonReport): (string | undefined)[][] => report.namespaces.map((n) => [n.namespace, n.outcome, n.error?.code]);

describe('npm run migrate', () => {
  let catalog: TestDatabase;
  let shared: TestDatabase;

  beforeAll(async () => {
    [catalog, shared] = await Promise.all([freshDatabase(), freshDatabase()]);
  });

  afterAll(async () => {
    await Promise.all([catalog.drop(), shared.drop()]);
  });

  it('refuses when a requested namespace has no DSN, before applying anything', async () => {
    const result = await runCli(['migrate', '--target', 'all', '--json'], { DPM_POLICY_PACK_POSTGRES_DSN: catalog.dsn });
    expect(result.code).toBe(1);
    const report = parse(result.stdout);
    expect(report.ok).toBe(false);
    expect(outcomes(report)).toEqual([
      ['dpm', 'failed', 'POSTGRES_MIGRATION_DSN_REQUIRED:dpm'],
      ['proposals', 'failed', 'POSTGRES_MIGRATION_DSN_REQUIRED:proposals'],
      ['policy_packs', 'not_run', undefined],
    ]);
    expect(await query(catalog.dsn, "SELECT to_regclass('schema_migrations') AS t")).toEqual([{ t: null }]);
  });

  it('--dry-run and --status change nothing; a real run applies; a second run applies nothing', async () => {
    const env = { DPM_POLICY_PACK_POSTGRES_DSN: catalog.dsn };
    const dryRun = await runCli(['migrate', '--target', 'policy_packs', '--dry-run'], env);
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout.trim()).toBe('policy_packs: would apply 0001 (never migrated: no schema_migrations table)');
    const status = parse((await runCli(['migrate', '--target', 'policy_packs', '--status', '--json'], env)).stdout);
    expect(status.namespaces[0]).toMatchObject({ outcome: 'inspected', applied: [], pending: ['0001'], history_table_exists: false });
    expect(await query(catalog.dsn, "SELECT to_regclass('schema_migrations') AS t")).toEqual([{ t: null }]);

    const applied = await runCli(['migrate', '--target', 'policy_packs'], env);
    expect(applied.code).toBe(0);
    expect(applied.stdout.trim()).toBe('policy_packs: applied (0001)');
    expect(await query(catalog.dsn, 'SELECT version FROM schema_migrations')).toEqual([{ version: 'policy_packs:0001' }]);

    const again = parse((await runCli(['migrate', '--target', 'policy_packs', '--json'], env)).stdout);
    expect(again).toMatchObject({ ok: true, namespaces: [{ namespace: 'policy_packs', outcome: 'up_to_date', applied: [] }] });
    const after = parse((await runCli(['migrate', '--target', 'policy_packs', '--status', '--json'], env)).stdout);
    expect(after.namespaces[0]).toMatchObject({ applied: ['0001'], pending: [], history_table_exists: true });
  });

  it('--status and --dry-run fail with the code a real run would refuse with (checksum drift)', async () => {
    // The database migrated by the previous test, with its history altered as if the file had been edited.
    const env = { DPM_POLICY_PACK_POSTGRES_DSN: catalog.dsn };
    const [original] = (await query(catalog.dsn, "SELECT checksum FROM schema_migrations WHERE version = 'policy_packs:0001'")) as { checksum: string }[];
    await query(catalog.dsn, "UPDATE schema_migrations SET checksum = 'edited' WHERE version = 'policy_packs:0001'");
    try {
      const status = await runCli(['migrate', '--target', 'policy_packs', '--status'], env);
      expect(status.code).toBe(1);
      expect(status.stdout).toContain('checksum drift [0001]');
      expect(status.stderr).toMatch(/^POSTGRES_MIGRATION_CHECKSUM_MISMATCH:policy_packs:0001: /m);
      const dryRun = parse((await runCli(['migrate', '--target', 'policy_packs', '--dry-run', '--json'], env)).stdout);
      expect(dryRun).toMatchObject({ ok: false, namespaces: [{ outcome: 'failed', checksum_drift: ['0001'] }] });
      expect(dryRun.namespaces[0]?.error?.code).toBe('POSTGRES_MIGRATION_CHECKSUM_MISMATCH:policy_packs:0001');
    } finally {
      await query(catalog.dsn, `UPDATE schema_migrations SET checksum = '${original?.checksum ?? ''}' WHERE version = 'policy_packs:0001'`);
    }
  });

  it('--target all reports exactly which namespaces were applied, which failed and which did not run', async () => {
    const missingDatabase = new URL(shared.dsn);
    missingDatabase.pathname = '/no_such_database';
    const env = { DPM_SUPPORTABILITY_POSTGRES_DSN: shared.dsn, PROPOSAL_POSTGRES_DSN: missingDatabase.toString() };
    const partial = await runCli(['migrate', '--json'], env);
    expect(partial.code).toBe(1);
    const report = parse(partial.stdout);
    expect(outcomes(report)).toEqual([
      ['dpm', 'applied', undefined],
      ['proposals', 'failed', 'POSTGRES_MIGRATION_CONNECTION_FAILED:proposals'],
      ['policy_packs', 'not_run', undefined],
    ]);
    expect(report.namespaces[0]?.applied).toEqual(shipped('dpm'));

    // The catalog falls back to the DPM DSN; with every DSN valid the rest is applied.
    const complete = await runCli(['migrate'], { ...env, PROPOSAL_POSTGRES_DSN: shared.dsn });
    expect(complete.code).toBe(0);
    expect(complete.stdout.trim().split('\n')).toEqual(['dpm: up to date', `proposals: applied (${shipped('proposals').join(', ')})`, `policy_packs: applied (${shipped('policy_packs').join(', ')})`]);
    const everyVersion = NAMESPACES.flatMap((namespace) => shipped(namespace).map((version) => `${namespace}:${version}`)).sort();
    expect((await query(shared.dsn, 'SELECT version FROM schema_migrations ORDER BY version')).map((row) => (row as { version: string }).version)).toEqual(everyVersion);
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

  it('invalid configuration exits 78 with its code, and --json still prints one document', async () => {
    const result = await runCli(['migrate'], { DPM_SUPPORTABILITY_POSTGRES_DSN: 'mysql://x' });
    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(/^DPM_SUPPORTABILITY_POSTGRES_DSN_INVALID: /m);
    const json = await runCli(['migrate', '--json'], { DPM_SUPPORTABILITY_POSTGRES_DSN: 'mysql://x' });
    expect(json.code).toBe(78);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, violations: [{ code: 'DPM_SUPPORTABILITY_POSTGRES_DSN_INVALID' }] });
  });

  it('--status reports versions a later release applied as future, and a run leaves them alone', async () => {
    const database = await freshDatabase();
    try {
      const env = { DPM_POLICY_PACK_POSTGRES_DSN: database.dsn };
      expect((await runCli(['migrate', '--target', 'policy_packs'], env)).code).toBe(0);
      await query(database.dsn, "INSERT INTO schema_migrations (version, namespace, checksum) VALUES ('policy_packs:9001', 'policy_packs', 'from a later release')");
      const status = await runCli(['migrate', '--target', 'policy_packs', '--status'], env);
      expect(status.code).toBe(0);
      expect(status.stdout.trim()).toBe('policy_packs: applied [0001] pending [] future [9001] (applied by a later release; left alone)');
      const run = parse((await runCli(['migrate', '--target', 'policy_packs', '--json'], env)).stdout);
      expect(run).toMatchObject({ ok: true, namespaces: [{ outcome: 'up_to_date', applied: [], future: ['9001'], gaps: [] }] });
      expect(await query(database.dsn, 'SELECT version FROM schema_migrations ORDER BY version')).toEqual([{ version: 'policy_packs:0001' }, { version: 'policy_packs:9001' }]);
    } finally {
      await database.drop();
    }
  });

  describe('waiting for the migration lock', () => {
    let database: TestDatabase;
    let holder: pg.Client;
    let holderPid: number;

    beforeAll(async () => {
      database = await freshDatabase();
    });

    afterAll(async () => {
      await database.drop();
    });

    /** Another session, named as an operator's maintenance session would be, takes the catalog's migration lock. */
    const holdLock = async (): Promise<void> => {
      holder = new pg.Client({ connectionString: database.dsn, application_name: 'maintenance-by-hand' });
      await holder.connect();
      holderPid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid ?? 0;
      await holder.query('SELECT pg_advisory_lock($1::bigint)', [migrationLockKey('policy_packs')]);
    };

    it('names the holder on stderr while it waits, then applies with one line per file once the lock is free', async () => {
      await holdLock();
      const env = { DPM_POLICY_PACK_POSTGRES_DSN: database.dsn, POSTGRES_MIGRATION_LOCK_TIMEOUT_MS: '120000' };
      const cli = startCli(['migrate', '--target', 'policy_packs'], env, 150_000);
      const waiting = await cli.waitForLine('stderr', /^policy_packs: waiting for the migration lock/);
      expect(waiting).toMatch(new RegExp(`of 120 s\\), held by pid ${holderPid} \\(application "maintenance-by-hand", .*connected \\d{4}-`));
      // The waiting migrator is identifiable in pg_stat_activity in turn.
      expect(await query(database.dsn, "SELECT application_name FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'dpm-rebalance-service%'")).toEqual([
        { application_name: 'dpm-rebalance-service:migrate' },
      ]);

      await holder.end();
      const result = await cli.exited;
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout.trim()).toBe('policy_packs: applied (0001)');
      expect(result.stderr).toMatch(/^policy_packs: applied 0001_catalog\.sql \(version 0001\) in \d+ ms$/m);
    });

    it('with --json: stdout stays one JSON document, the wait and each file are log records on stderr', async () => {
      await query(database.dsn, 'DROP TABLE schema_migrations, dpm_policy_packs');
      await holdLock();
      const env = { DPM_POLICY_PACK_POSTGRES_DSN: database.dsn, POSTGRES_MIGRATION_LOCK_TIMEOUT_MS: '120000' };
      const cli = startCli(['migrate', '--target', 'policy_packs', '--json'], env, 150_000);
      const waiting = JSON.parse(await cli.waitForLine('stderr', /Waiting for the policy_packs migration lock/)) as Record<string, unknown>;
      expect(waiting).toMatchObject({
        command: 'migrate',
        namespace: 'policy_packs',
        timeout_ms: 120_000,
        holders: [{ pid: holderPid, application_name: 'maintenance-by-hand', connected_at: expect.any(String) }],
      });

      await holder.end();
      const result = await cli.exited;
      expect(result.code, result.stderr).toBe(0);
      expect(parse(result.stdout)).toMatchObject({ ok: true, namespaces: [{ namespace: 'policy_packs', outcome: 'applied', applied: ['0001'] }] });
      const records = result.stderr.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(records.find((r) => r['msg'] === 'Migration applied')).toMatchObject({ namespace: 'policy_packs', version: '0001', file: '0001_catalog.sql', duration_ms: expect.any(Number) });
    });

    it('a timeout names the holder in its error', async () => {
      await holdLock();
      try {
        const result = await runCli(['migrate', '--target', 'policy_packs'], { DPM_POLICY_PACK_POSTGRES_DSN: database.dsn, POSTGRES_MIGRATION_LOCK_TIMEOUT_MS: '500' });
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(new RegExp(`^POSTGRES_MIGRATION_LOCK_TIMEOUT:policy_packs: Waited 500 ms for the policy_packs migration lock; it is held by pid ${holderPid} \\(application "maintenance-by-hand"`, 'm'));
      } finally {
        await holder.end();
      }
    });
  });
});
