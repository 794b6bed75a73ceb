/**
 * The PRODUCTION startup contract (docs/runbook-cutover.md#the-persistence-contract-rfc-0025),
 * exercised on the real process: a misconfigured PRODUCTION start prints exactly its codes, never
 * binds the port, and exits 78 within seconds.
 */
import { describe, expect, it } from 'vitest';
import { GUARDRAIL_CODES } from '../../src/config/profile.ts';
import { runCli, type TestEnv } from '../support/service-process.ts';

// Never contacted: the guardrails are evaluated before anything is opened.
const DSN = 'postgres://app:topsecret@127.0.0.1:1/app';

const production: TestEnv = {
  APP_PERSISTENCE_PROFILE: 'PRODUCTION',
  DPM_SUPPORTABILITY_STORE_BACKEND: 'POSTGRES',
  DPM_SUPPORTABILITY_POSTGRES_DSN: DSN,
  PROPOSAL_STORE_BACKEND: 'POSTGRES',
  PROPOSAL_POSTGRES_DSN: DSN,
  DPM_POLICY_PACKS_ENABLED: 'true',
  DPM_POLICY_PACK_CATALOG_BACKEND: 'POSTGRES',
  DPM_POLICY_PACK_POSTGRES_DSN: DSN,
};

/** The codes at the start of each stderr line, `CODE: explanation`. */
function printedCodes(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(':')[0] ?? '');
}

describe('PRODUCTION start with one misconfiguration', () => {
  it.each([
    ['PERSISTENCE_PROFILE_REQUIRES_DPM_POSTGRES', { DPM_SUPPORTABILITY_STORE_BACKEND: 'IN_MEMORY' }],
    ['PERSISTENCE_PROFILE_REQUIRES_DPM_POSTGRES_DSN', { DPM_SUPPORTABILITY_POSTGRES_DSN: undefined }],
    ['PERSISTENCE_PROFILE_REQUIRES_ADVISORY_POSTGRES', { PROPOSAL_STORE_BACKEND: 'IN_MEMORY' }],
    ['PERSISTENCE_PROFILE_REQUIRES_ADVISORY_POSTGRES_DSN', { PROPOSAL_POSTGRES_DSN: '' }],
    ['PERSISTENCE_PROFILE_REQUIRES_POLICY_PACK_POSTGRES', { DPM_POLICY_PACK_CATALOG_BACKEND: 'ENV_JSON' }],
    ['PERSISTENCE_PROFILE_REQUIRES_POLICY_PACK_POSTGRES_DSN', { DPM_POLICY_PACK_POSTGRES_DSN: undefined }],
  ])('%s: exit 78 and exactly that code', async (code, change) => {
    const result = await runCli(['serve'], { ...production, PORT: '0', ...change });
    expect(result.code).toBe(78);
    expect(printedCodes(result.stderr)).toEqual([code]);
    expect(result.stdout).not.toContain('Serving');
    const record = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as { codes?: string[]; level?: string };
    expect(record.codes).toEqual([code]);
    expect(record.level).toBe('fatal');
    expect(`${result.stdout}${result.stderr}`).not.toContain('topsecret');
  });
});

describe('PRODUCTION start with everything wrong', () => {
  it('prints every guardrail code, in the RFC order', async () => {
    const result = await runCli(
      ['serve'],
      { APP_PERSISTENCE_PROFILE: 'PRODUCTION', DPM_POLICY_PACKS_ENABLED: 'true', DPM_POLICY_PACK_ADMIN_APIS_ENABLED: 'true' },
      15_000,
    );
    expect(result.code).toBe(78);
    expect(printedCodes(result.stderr)).toEqual([...GUARDRAIL_CODES]);
  });

  it('reports invalid values and guardrails together', async () => {
    const result = await runCli(
      ['serve'],
      { ...production, PROPOSAL_STORE_BACKEND: 'postgresql', DPM_SUPPORTABILITY_POSTGRES_DSN: 'mysql://x:topsecret@h/db' },
      15_000,
    );
    expect(result.code).toBe(78);
    expect(printedCodes(result.stderr)).toEqual([
      'DPM_SUPPORTABILITY_POSTGRES_DSN_INVALID',
      'PROPOSAL_STORE_BACKEND_INVALID',
      'PERSISTENCE_PROFILE_REQUIRES_DPM_POSTGRES_DSN',
      'PERSISTENCE_PROFILE_REQUIRES_ADVISORY_POSTGRES',
    ]);
    expect(result.stderr).not.toContain('topsecret');
  });

  it('an invalid catalog or tenant map refuses to start with its code', async () => {
    const catalog = await runCli(['serve'], { PORT: '0', DPM_POLICY_PACK_CATALOG_JSON: '{"pack_a": ' });
    expect(catalog.code).toBe(78);
    expect(printedCodes(catalog.stderr)).toEqual(['DPM_POLICY_PACK_CATALOG_JSON_INVALID']);
    const tenants = await runCli(['serve'], { PORT: '0', DPM_TENANT_POLICY_PACK_MAP_JSON: '[1]' });
    expect(tenants.code).toBe(78);
    expect(printedCodes(tenants.stderr)).toEqual(['DPM_TENANT_POLICY_PACK_MAP_JSON_INVALID']);
  });

  it('an unknown profile refuses to start instead of meaning LOCAL', async () => {
    const result = await runCli(['serve'], { APP_PERSISTENCE_PROFILE: 'PROD', PORT: '0' });
    expect(result.code).toBe(78);
    expect(printedCodes(result.stderr)).toEqual(['APP_PERSISTENCE_PROFILE_INVALID']);
  });
});
