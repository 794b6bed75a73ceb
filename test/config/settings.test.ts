import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/settings.ts';

const codesOf = (env: Record<string, string>) => loadSettings(env).violations.map((v) => v.code);

describe('loadSettings: profile', () => {
  it('defaults to LOCAL', () => {
    expect(loadSettings({}).settings.profile).toBe('LOCAL');
  });

  it.each([
    ['PRODUCTION', 'PRODUCTION'],
    [' production ', 'PRODUCTION'],
    ['Local', 'LOCAL'],
    ['', 'LOCAL'],
    ['   ', 'LOCAL'],
  ])('reads %j as %s', (raw, expected) => {
    const result = loadSettings({ APP_PERSISTENCE_PROFILE: raw });
    expect(result.ok).toBe(true);
    expect(result.settings.profile).toBe(expected);
  });

  it.each(['PROD', 'prd', 'staging', 'LOCAL_DEV'])('refuses %j instead of silently meaning LOCAL', (raw) => {
    const result = loadSettings({ APP_PERSISTENCE_PROFILE: raw });
    expect(result.ok).toBe(false);
    expect(result.violations).toEqual([
      expect.objectContaining({ code: 'APP_PERSISTENCE_PROFILE_INVALID', variable: 'APP_PERSISTENCE_PROFILE' }),
    ]);
    expect(result.violations[0]?.message).toContain(JSON.stringify(raw));
  });
});

describe('loadSettings: store backends', () => {
  it.each([
    [undefined, 'IN_MEMORY'],
    ['SQL', 'SQL'],
    ['sqlite', 'SQL'],
    [' Sqlite ', 'SQL'],
    ['postgres', 'POSTGRES'],
    ['in_memory', 'IN_MEMORY'],
  ])('DPM backend %j resolves to %s', (raw, expected) => {
    const result = loadSettings(raw === undefined ? {} : { DPM_SUPPORTABILITY_STORE_BACKEND: raw });
    expect(result.ok).toBe(true);
    expect(result.settings.dpm.backend).toBe(expected);
  });

  it.each([
    ['DPM_SUPPORTABILITY_STORE_BACKEND', 'postgresql', 'DPM_SUPPORTABILITY_STORE_BACKEND_INVALID'],
    ['PROPOSAL_STORE_BACKEND', 'SQL', 'PROPOSAL_STORE_BACKEND_INVALID'],
    ['PROPOSAL_STORE_BACKEND', 'memory', 'PROPOSAL_STORE_BACKEND_INVALID'],
    ['DPM_POLICY_PACK_CATALOG_BACKEND', 'json', 'DPM_POLICY_PACK_CATALOG_BACKEND_INVALID'],
  ])('%s=%j is an error with code %s', (name, raw, code) => {
    expect(codesOf({ [name]: raw })).toEqual([code]);
  });

  it('accepts SQLITE for proposals and the policy-pack catalog', () => {
    const { settings } = loadSettings({ PROPOSAL_STORE_BACKEND: 'sqlite', DPM_POLICY_PACK_CATALOG_BACKEND: 'SQLITE' });
    expect(settings.proposals.backend).toBe('SQLITE');
    expect(settings.policyPacks.catalogBackend).toBe('SQLITE');
  });
});

describe('loadSettings: paths and DSNs', () => {
  it('DPM SQLite path: default, then legacy name, then the new name wins', () => {
    expect(loadSettings({}).settings.dpm.sqlitePath).toBe('.data/dpm_supportability.db');
    expect(loadSettings({ DPM_SUPPORTABILITY_SQLITE_PATH: '/tmp/legacy.db' }).settings.dpm.sqlitePath).toBe('/tmp/legacy.db');
    expect(
      loadSettings({ DPM_SUPPORTABILITY_SQLITE_PATH: '/tmp/legacy.db', DPM_SUPPORTABILITY_SQL_PATH: '/tmp/new.db' }).settings.dpm
        .sqlitePath,
    ).toBe('/tmp/new.db');
  });

  it('DSNs are trimmed and empty when unset', () => {
    const { settings } = loadSettings({ PROPOSAL_POSTGRES_DSN: '  postgres://u:p@db:5432/x  ' });
    expect(settings.proposals.postgresDsn).toBe('postgres://u:p@db:5432/x');
    expect(settings.dpm.postgresDsn).toBe('');
  });

  it('the catalog falls back to the DPM DSN only when its own variable is unset', () => {
    const dpm = 'postgres://u:p@db/dpm';
    const unset = loadSettings({ DPM_SUPPORTABILITY_POSTGRES_DSN: dpm }).settings.policyPacks;
    expect(unset.postgresDsn).toBe(dpm);
    expect(unset.explicitPostgresDsn).toBe('');
    const empty = loadSettings({ DPM_SUPPORTABILITY_POSTGRES_DSN: dpm, DPM_POLICY_PACK_POSTGRES_DSN: '' }).settings.policyPacks;
    expect(empty.postgresDsn).toBe('');
    const own = loadSettings({ DPM_SUPPORTABILITY_POSTGRES_DSN: dpm, DPM_POLICY_PACK_POSTGRES_DSN: 'host=packs dbname=p' });
    // A key=value DSN is kept as the URL the driver reads (src/config/dsn.ts).
    expect(own.settings.policyPacks.postgresDsn).toBe('postgresql://packs/p');
  });

  it.each([
    ['DPM_SUPPORTABILITY_POSTGRES_DSN', 'DPM_SUPPORTABILITY_POSTGRES_DSN_INVALID'],
    ['PROPOSAL_POSTGRES_DSN', 'PROPOSAL_POSTGRES_DSN_INVALID'],
    ['DPM_POLICY_PACK_POSTGRES_DSN', 'DPM_POLICY_PACK_POSTGRES_DSN_INVALID'],
  ])('an invalid %s gives %s without echoing the value', (name, code) => {
    const result = loadSettings({ [name]: 'mysql://root:hunter2@db/x' });
    expect(result.violations.map((v) => v.code)).toEqual([code]);
    expect(JSON.stringify(result.violations)).not.toContain('hunter2');
  });
});

describe('loadSettings: flags and integers', () => {
  it.each([
    ['true', true],
    ['ON', true],
    ['1', true],
    ['yes', true],
    ['false', false],
    ['0', false],
    ['Off', false],
    ['', false],
  ])('flag %j reads as %s', (raw, expected) => {
    const result = loadSettings({ DPM_POLICY_PACKS_ENABLED: raw });
    expect(result.ok).toBe(true);
    expect(result.settings.policyPacks.enabled).toBe(expected);
  });

  it('an unknown flag word is an error, not false', () => {
    expect(codesOf({ DPM_POLICY_PACKS_ENABLED: 'enabled' })).toEqual(['CONFIG_FLAG_INVALID']);
  });

  it.each(['-1', '70000', '80.5', 'eighty'])('PORT=%j is rejected', (raw) => {
    expect(codesOf({ PORT: raw })).toEqual(['CONFIG_INTEGER_INVALID']);
  });

  it('migrates on startup by default in LOCAL only, unless set explicitly', () => {
    expect(loadSettings({}).settings.migrateOnStartup).toBe(true);
    expect(loadSettings({ APP_PERSISTENCE_PROFILE: 'PRODUCTION' }).settings.migrateOnStartup).toBe(false);
    expect(loadSettings({ APP_PERSISTENCE_PROFILE: 'PRODUCTION', APP_MIGRATE_ON_STARTUP: 'true' }).settings.migrateOnStartup).toBe(
      true,
    );
    expect(loadSettings({ APP_MIGRATE_ON_STARTUP: 'false' }).settings.migrateOnStartup).toBe(false);
  });

  it('catalog is required when packs or their admin APIs are enabled', () => {
    expect(loadSettings({}).settings.policyPacks.catalogRequired).toBe(false);
    expect(loadSettings({ DPM_POLICY_PACKS_ENABLED: 'true' }).settings.policyPacks.catalogRequired).toBe(true);
    expect(loadSettings({ DPM_POLICY_PACK_ADMIN_APIS_ENABLED: 'true' }).settings.policyPacks.catalogRequired).toBe(true);
  });
});

describe('loadSettings: several problems at once', () => {
  it('reports every invalid value, in documentation order', () => {
    expect(
      codesOf({
        PROPOSAL_STORE_BACKEND: 'mongo',
        APP_PERSISTENCE_PROFILE: 'PROD',
        PORT: 'x',
        DPM_SUPPORTABILITY_STORE_BACKEND: 'postgresql',
      }),
    ).toEqual([
      'APP_PERSISTENCE_PROFILE_INVALID',
      'CONFIG_INTEGER_INVALID',
      'DPM_SUPPORTABILITY_STORE_BACKEND_INVALID',
      'PROPOSAL_STORE_BACKEND_INVALID',
    ]);
  });
});

describe('loadSettings: WEB_CONCURRENCY and what it shares out', () => {
  const shared = { DPM_SUPPORTABILITY_STORE_BACKEND: 'POSTGRES', DPM_SUPPORTABILITY_POSTGRES_DSN: 'postgres://u@db/app', PROPOSAL_STORE_BACKEND: 'SQLITE' };
  const cores = availableParallelism();

  it('defaults to one process per core once every store is shared between processes', () => {
    const { settings } = loadSettings(shared);
    expect(settings.webConcurrency).toBe(cores);
    // POSTGRES_POOL_MAX (10) and the cores are the instance's, shared out among its processes.
    expect(settings.postgres.poolMax).toBe(Math.max(1, Math.floor(10 / cores)));
    expect(settings.engine.threads).toBe(1);
  });

  it('defaults to one process while a store is IN_MEMORY (it lives in one process)', () => {
    expect(loadSettings({}).settings.webConcurrency).toBe(1);
    expect(loadSettings({ ...shared, PROPOSAL_STORE_BACKEND: 'IN_MEMORY' }).settings.webConcurrency).toBe(1);
    expect(loadSettings({}).settings.engine.threads).toBe(cores);
  });

  it('shares POSTGRES_POOL_MAX out among the processes, at least one connection each; explicit engine threads are per process', () => {
    const { settings } = loadSettings({ ...shared, WEB_CONCURRENCY: '4', POSTGRES_POOL_MAX: '30', ENGINE_WORKER_THREADS: '3' });
    expect([settings.webConcurrency, settings.postgres.poolMax, settings.engine.threads]).toEqual([4, 7, 3]);
    expect(loadSettings({ ...shared, WEB_CONCURRENCY: '4', POSTGRES_POOL_MAX: '2' }).settings.postgres.poolMax).toBe(1);
    expect(loadSettings({ ...shared, WEB_CONCURRENCY: '1' }).settings.postgres.poolMax).toBe(10);
  });

  it('refuses WEB_CONCURRENCY above 1 with an IN_MEMORY store, naming it', () => {
    const result = loadSettings({ ...shared, PROPOSAL_STORE_BACKEND: 'IN_MEMORY', WEB_CONCURRENCY: '2' });
    expect(result.violations).toEqual([expect.objectContaining({ code: 'WEB_CONCURRENCY_REQUIRES_SHARED_STORES', variable: 'WEB_CONCURRENCY' })]);
    expect(result.violations[0]?.message).toContain('PROPOSAL_STORE_BACKEND is IN_MEMORY');
    expect(codesOf({ WEB_CONCURRENCY: '1' })).toEqual([]);
    expect(codesOf({ ...shared, WEB_CONCURRENCY: '0' })).toEqual(['CONFIG_INTEGER_INVALID']);
  });
});
