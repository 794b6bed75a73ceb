/**
 * DSN rules on the real process (docs/configuration.md "DSNs"): a POSTGRES backend without a
 * DSN refuses to start in every profile (never a silent connect to localhost:5432), and a libpq
 * key=value DSN connects to the real server exactly as its URL form does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../support/postgres.ts';
import { runCli, startService } from '../support/service-process.ts';

const codesOf = (stderr: string): string[] => stderr.split('\n').filter(Boolean).map((line) => line.split(': ')[0] ?? '');

describe('POSTGRES without a DSN', () => {
  it.each([
    ['DPM_SUPPORTABILITY_POSTGRES_DSN_REQUIRED', { DPM_SUPPORTABILITY_STORE_BACKEND: 'POSTGRES' }],
    ['PROPOSAL_POSTGRES_DSN_REQUIRED', { PROPOSAL_STORE_BACKEND: 'POSTGRES' }],
    ['DPM_POLICY_PACK_POSTGRES_DSN_REQUIRED', { DPM_POLICY_PACK_CATALOG_BACKEND: 'POSTGRES' }],
  ])('LOCAL refuses to start with %s: exit 78, the code on stderr, the port never bound', async (code, env) => {
    const result = await runCli(['serve'], { PORT: '0', ...env });
    expect(result.code).toBe(78);
    expect(codesOf(result.stderr)).toEqual([code]);
    expect(result.stdout).not.toContain('Serving');
  });

  it('lists every missing DSN at once', async () => {
    const result = await runCli(['serve'], { PORT: '0', DPM_SUPPORTABILITY_STORE_BACKEND: 'POSTGRES', PROPOSAL_STORE_BACKEND: 'POSTGRES', DPM_POLICY_PACK_CATALOG_BACKEND: 'POSTGRES' });
    expect(result.code).toBe(78);
    expect(codesOf(result.stderr)).toEqual(['DPM_SUPPORTABILITY_POSTGRES_DSN_REQUIRED', 'PROPOSAL_POSTGRES_DSN_REQUIRED', 'DPM_POLICY_PACK_POSTGRES_DSN_REQUIRED']);
  });
});

describe('key=value DSNs', () => {
  let database: TestDatabase;
  let keyValue: string;

  beforeAll(async () => {
    database = await freshDatabase();
    const url = new URL(database.dsn);
    const quote = (value: string) => `'${decodeURIComponent(value).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
    keyValue = `host=${url.hostname} port=${url.port || '5432'} dbname=${url.pathname.slice(1)} user=${quote(url.username)} password=${quote(url.password)}`;
  });

  afterAll(async () => {
    await database.drop();
  });

  it('serve connects with one and migrates that very database', async () => {
    const service = await startService({ DPM_SUPPORTABILITY_STORE_BACKEND: 'POSTGRES', DPM_SUPPORTABILITY_POSTGRES_DSN: keyValue });
    try {
      const ready = await fetch(`${service.baseUrl}/health/ready`);
      expect(ready.status).toBe(200);
      expect(((await ready.json()) as { stores: Record<string, unknown> }).stores['dpm_supportability']).toEqual({ backend: 'POSTGRES', ready: true });
      const status = await runCli(['migrate', '--target', 'dpm', '--status', '--json'], { DPM_SUPPORTABILITY_POSTGRES_DSN: database.dsn });
      expect(status.code).toBe(0);
      expect(status.stdout).toContain('"applied"');
    } finally {
      expect(await service.stop()).toBe(0);
    }
  });

  it('a key the driver would ignore is refused at startup with the DSN code, naming the key but not the password', async () => {
    const result = await runCli(['serve'], { PORT: '0', DPM_SUPPORTABILITY_STORE_BACKEND: 'POSTGRES', DPM_SUPPORTABILITY_POSTGRES_DSN: `${keyValue} connect_timeout=5` });
    expect(result.code).toBe(78);
    expect(codesOf(result.stderr)).toEqual(['DPM_SUPPORTABILITY_POSTGRES_DSN_INVALID']);
    expect(result.stderr).toContain('connect_timeout');
    expect(`${result.stdout}${result.stderr}`).not.toContain(decodeURIComponent(new URL(database.dsn).password) || 'never-empty');
  });
});
