/** Startup with real stores: LOCAL migrates its own, PRODUCTION verifies and refuses. */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../support/postgres.ts';
import { runCli, startService, type TestEnv, productionEnv } from '../support/service-process.ts';

const codesOf = (stderr: string): string[] => stderr.split('\n').filter(Boolean).map((line) => line.split(': ')[0] ?? '');

describe('stores at startup', () => {
  let database: TestDatabase;
  let production: TestEnv;

  beforeAll(async () => {
    database = await freshDatabase();
    production = productionEnv(database.dsn);
  });

  afterAll(async () => {
    await database.drop();
  });

  it('LOCAL with the SQL backend creates and migrates its SQLite file, and reports the store ready', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'e2e-')), 'nested', 'dpm.db');
    const service = await startService({ DPM_SUPPORTABILITY_STORE_BACKEND: 'SQLITE', DPM_SUPPORTABILITY_SQL_PATH: path });
    try {
      const body = (await (await fetch(`${service.baseUrl}/health/ready`)).json()) as { stores: Record<string, unknown> };
      expect(body.stores['dpm_supportability']).toEqual({ backend: 'SQL', ready: true });
      expect(existsSync(path)).toBe(true);
    } finally {
      expect(await service.stop()).toBe(0);
    }
  });

  it('PRODUCTION refuses an unmigrated database with the cutover codes, running no DDL', async () => {
    const result = await runCli(['serve'], { ...production, PORT: '0' });
    expect(result.code).toBe(78);
    expect(codesOf(result.stderr)).toContain('CUTOVER_SCHEMA_MIGRATIONS_TABLE_MISSING:dpm');
    const status = await runCli(['migrate', '--target', 'dpm', '--status', '--json'], production);
    expect(JSON.parse(status.stdout)).toMatchObject({ namespaces: [{ namespace: 'dpm', history_table_exists: false }] });
  });

  it('PRODUCTION starts once migrated, and readiness and routes turn 503 while the database is gone', async () => {
    expect((await runCli(['migrate'], production)).code).toBe(0);
    const service = await startService({ ...production, POSTGRES_CONNECT_TIMEOUT_MS: '1000' });
    try {
      const ready = await fetch(`${service.baseUrl}/health/ready`);
      expect(ready.status).toBe(200);
      expect(((await ready.json()) as { stores: Record<string, unknown> }).stores['dpm_supportability']).toEqual({ backend: 'POSTGRES', ready: true });
      await database.drop();
      const lost = await fetch(`${service.baseUrl}/health/ready`);
      expect(lost.status).toBe(503);
      expect(((await lost.json()) as { stores: Record<string, unknown> }).stores['dpm_supportability']).toEqual({
        backend: 'POSTGRES',
        ready: false,
        code: 'DPM_SUPPORTABILITY_POSTGRES_UNAVAILABLE',
      });
      // A dropped database is an outage for the routes too: 503, not 500.
      const lookup = await fetch(`${service.baseUrl}/rebalance/runs/rr_gone`);
      expect(lookup.status).toBe(503);
      expect(await lookup.json()).toMatchObject({ code: 'DPM_SUPPORTABILITY_POSTGRES_UNAVAILABLE' });
    } finally {
      expect(await service.stop()).toBe(0);
    }
  });

  it('LOCAL on an unreachable PostgreSQL refuses to start with the store code, password redacted', async () => {
    const result = await runCli(['serve'], {
      PORT: '0',
      DPM_SUPPORTABILITY_STORE_BACKEND: 'POSTGRES',
      DPM_SUPPORTABILITY_POSTGRES_DSN: 'postgres://app:hunter2@127.0.0.1:1/x',
      POSTGRES_CONNECT_TIMEOUT_MS: '1000',
    });
    expect(result.code).toBe(78);
    expect(codesOf(result.stderr)).toEqual(['DPM_SUPPORTABILITY_POSTGRES_CONNECTION_FAILED']);
    expect(result.stdout + result.stderr).not.toContain('hunter2');
  });
});
