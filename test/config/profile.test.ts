import { describe, expect, it } from 'vitest';
import { evaluateGuardrails, GUARDRAIL_CODES } from '../../src/config/profile.ts';
import { loadSettings } from '../../src/config/settings.ts';

const DSN = 'postgres://app:secret@db:5432/app';

/** A PRODUCTION environment that passes every guardrail, with policy packs on. */
const healthyProduction: Record<string, string> = {
  APP_PERSISTENCE_PROFILE: 'PRODUCTION',
  DPM_SUPPORTABILITY_STORE_BACKEND: 'POSTGRES',
  DPM_SUPPORTABILITY_POSTGRES_DSN: DSN,
  PROPOSAL_STORE_BACKEND: 'POSTGRES',
  PROPOSAL_POSTGRES_DSN: DSN,
  DPM_POLICY_PACKS_ENABLED: 'true',
  DPM_POLICY_PACK_CATALOG_BACKEND: 'POSTGRES',
  DPM_POLICY_PACK_POSTGRES_DSN: DSN,
};

function guardrailCodes(env: Record<string, string | undefined>): string[] {
  const result = loadSettings(env);
  expect(result.violations).toEqual([]);
  return evaluateGuardrails(result.settings).map((v) => v.code);
}

function without(env: Record<string, string>, ...names: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !names.includes(name)));
}

describe('persistence-profile guardrails', () => {
  it('a fully Postgres PRODUCTION configuration has no violation', () => {
    expect(guardrailCodes(healthyProduction)).toEqual([]);
  });

  it('LOCAL evaluates no guardrail', () => {
    expect(guardrailCodes({ APP_PERSISTENCE_PROFILE: 'LOCAL' })).toEqual([]);
  });

  it.each([
    ['PERSISTENCE_PROFILE_REQUIRES_DPM_POSTGRES', { ...healthyProduction, DPM_SUPPORTABILITY_STORE_BACKEND: 'IN_MEMORY' }],
    ['PERSISTENCE_PROFILE_REQUIRES_DPM_POSTGRES_DSN', without(healthyProduction, 'DPM_SUPPORTABILITY_POSTGRES_DSN')],
    ['PERSISTENCE_PROFILE_REQUIRES_ADVISORY_POSTGRES', { ...healthyProduction, PROPOSAL_STORE_BACKEND: 'SQLITE' }],
    ['PERSISTENCE_PROFILE_REQUIRES_ADVISORY_POSTGRES_DSN', without(healthyProduction, 'PROPOSAL_POSTGRES_DSN')],
    ['PERSISTENCE_PROFILE_REQUIRES_POLICY_PACK_POSTGRES', { ...healthyProduction, DPM_POLICY_PACK_CATALOG_BACKEND: 'ENV_JSON' }],
    ['PERSISTENCE_PROFILE_REQUIRES_POLICY_PACK_POSTGRES_DSN', without(healthyProduction, 'DPM_POLICY_PACK_POSTGRES_DSN')],
    [
      'PERSISTENCE_PROFILE_REQUIRES_POLICY_PACK_ADMIN_TOKEN',
      { ...healthyProduction, DPM_POLICY_PACK_ADMIN_APIS_ENABLED: 'true' },
    ],
  ])('%s fires alone', (code, env) => {
    expect(guardrailCodes(env)).toEqual([code]);
  });

  it('the backend rule is not satisfied by a DSN, nor the DSN rule by a backend', () => {
    expect(guardrailCodes({ ...healthyProduction, DPM_SUPPORTABILITY_STORE_BACKEND: 'SQL' })).toEqual([
      'PERSISTENCE_PROFILE_REQUIRES_DPM_POSTGRES',
    ]);
    expect(guardrailCodes(without(healthyProduction, 'DPM_SUPPORTABILITY_POSTGRES_DSN'))).toEqual([
      'PERSISTENCE_PROFILE_REQUIRES_DPM_POSTGRES_DSN',
    ]);
  });

  it('the policy-pack DSN rule ignores the runtime fallback to the DPM DSN', () => {
    const env = without(healthyProduction, 'DPM_POLICY_PACK_POSTGRES_DSN');
    expect(loadSettings(env).settings.policyPacks.postgresDsn).toBe(DSN);
    expect(guardrailCodes(env)).toEqual(['PERSISTENCE_PROFILE_REQUIRES_POLICY_PACK_POSTGRES_DSN']);
  });

  it('without packs or admin APIs the catalog is not checked', () => {
    const env = { ...without(healthyProduction, 'DPM_POLICY_PACK_POSTGRES_DSN', 'DPM_POLICY_PACKS_ENABLED'), DPM_POLICY_PACK_CATALOG_BACKEND: 'ENV_JSON' };
    expect(guardrailCodes(env)).toEqual([]);
  });

  it('admin APIs alone make the catalog required', () => {
    const env = { ...without(healthyProduction, 'DPM_POLICY_PACKS_ENABLED'), DPM_POLICY_PACK_ADMIN_APIS_ENABLED: 'true', DPM_POLICY_PACK_ADMIN_TOKEN: 't', DPM_POLICY_PACK_CATALOG_BACKEND: 'ENV_JSON' };
    expect(guardrailCodes(env)).toEqual(['PERSISTENCE_PROFILE_REQUIRES_POLICY_PACK_POSTGRES']);
  });

  it('reports every violation at once, in the RFC order', () => {
    const env = {
      APP_PERSISTENCE_PROFILE: 'PRODUCTION',
      DPM_POLICY_PACKS_ENABLED: 'true',
      DPM_POLICY_PACK_ADMIN_APIS_ENABLED: 'true',
    };
    expect(guardrailCodes(env)).toEqual([...GUARDRAIL_CODES]);
    expect(GUARDRAIL_CODES.slice(0, 6)).toEqual([
      'PERSISTENCE_PROFILE_REQUIRES_DPM_POSTGRES',
      'PERSISTENCE_PROFILE_REQUIRES_DPM_POSTGRES_DSN',
      'PERSISTENCE_PROFILE_REQUIRES_ADVISORY_POSTGRES',
      'PERSISTENCE_PROFILE_REQUIRES_ADVISORY_POSTGRES_DSN',
      'PERSISTENCE_PROFILE_REQUIRES_POLICY_PACK_POSTGRES',
      'PERSISTENCE_PROFILE_REQUIRES_POLICY_PACK_POSTGRES_DSN',
    ]);
  });

  it('can evaluate a LOCAL configuration as if it were PRODUCTION (shadow validation)', () => {
    const { settings } = loadSettings({ DPM_SUPPORTABILITY_STORE_BACKEND: 'POSTGRES', DPM_SUPPORTABILITY_POSTGRES_DSN: DSN });
    expect(evaluateGuardrails(settings)).toEqual([]);
    expect(evaluateGuardrails(settings, 'PRODUCTION').map((v) => v.code)).toEqual([
      'PERSISTENCE_PROFILE_REQUIRES_ADVISORY_POSTGRES',
      'PERSISTENCE_PROFILE_REQUIRES_ADVISORY_POSTGRES_DSN',
    ]);
  });
});
