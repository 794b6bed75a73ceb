/**
 * PRODUCTION refuses to start on a database whose migration state is wrong, with exactly the
 * code of what is wrong, and exits 78 — never hanging (every run has a timeout) and never
 * repairing the schema itself.
 */
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../support/postgres.ts';
import { runCli, type TestEnv, productionEnv } from '../support/service-process.ts';

const codesOf = (stderr: string): string[] =>
  stderr
    .split('\n')
    .filter((line) => /^[A-Z][A-Za-z0-9_:]+: /.test(line))
    .map((line) => line.split(': ')[0] ?? '');

describe('PRODUCTION start refused by migration state', () => {
  let database: TestDatabase;
  let env: TestEnv;
  let db: pg.Client;

  // Each case breaks its own freshly migrated database.
  beforeEach(async () => {
    database = await freshDatabase();
    env = productionEnv(database.dsn, { PORT: '0', POSTGRES_CONNECT_TIMEOUT_MS: '1000' });
    db = new pg.Client({ connectionString: database.dsn });
    await db.connect();
    expect((await runCli(['migrate'], env)).code).toBe(0);
  });

  afterEach(async () => {
    await db.end();
    await database.drop();
  });

  it('a pending migration: CUTOVER_MIGRATION_MISSING for that version', async () => {
    // The newest dpm version: deleting an older one would leave a gap, which has its own code.
    const { rows } = await db.query<{ version: string }>(
      "SELECT max(version) AS version FROM schema_migrations WHERE version LIKE 'dpm:%'",
    );
    const newest = rows[0]?.version ?? '';
    await db.query('DELETE FROM schema_migrations WHERE version = $1', [newest]);
    const result = await runCli(['serve'], env);
    expect(result.code).toBe(78);
    expect(codesOf(result.stderr)).toEqual([`CUTOVER_MIGRATION_MISSING:${newest}`]);
  });

  it('an edited migration: POSTGRES_MIGRATION_CHECKSUM_MISMATCH for that version', async () => {
    await db.query("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 'proposals:0001'");
    const result = await runCli(['serve'], env);
    expect(result.code).toBe(78);
    expect(codesOf(result.stderr)).toEqual(['POSTGRES_MIGRATION_CHECKSUM_MISMATCH:proposals:0001']);
  });

  it('an unreachable server: CUTOVER_POSTGRES_UNREACHABLE for that namespace, password redacted', async () => {
    const result = await runCli(['serve'], { ...env, PROPOSAL_POSTGRES_DSN: 'postgres://app:hunter2@127.0.0.1:1/proposals' });
    expect(result.code).toBe(78);
    expect(codesOf(result.stderr)).toEqual(['CUTOVER_POSTGRES_UNREACHABLE:proposals']);
    expect(result.stdout + result.stderr).not.toContain('hunter2');
  });
});
