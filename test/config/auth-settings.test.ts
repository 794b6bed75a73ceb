/** API_AUTH_* as the service reads them (docs/security.md#configuration): defaults, and every way to get them wrong. */
import { describe, expect, it } from 'vitest';
import { evaluateGuardrails, evaluateWarnings } from '../../src/config/profile.ts';
import { loadSettings } from '../../src/config/settings.ts';
import { createAccessControl, openPathMatcher } from '../../src/http/auth/access-control.ts';
import { DEFAULT_ROLE_PERMISSIONS } from '../../src/domain/access/permissions.ts';

const JWT = { API_AUTH_MODE: 'JWT', API_AUTH_ISSUER: 'https://idp.example/realms/bank', API_AUTH_AUDIENCE: 'dpm', API_AUTH_JWKS_URL: 'https://idp.example/certs' };
const codes = (env: Record<string, string>): string[] => loadSettings(env).violations.map((v) => v.code);

describe('authentication settings', () => {
  it('default: NONE, the reference behaviour, with health and metrics open once JWT is on', () => {
    const { auth } = loadSettings({}).settings;
    expect(auth).toMatchObject({ mode: 'NONE', rolesClaims: ['roles'], subjectClaim: 'sub', algorithms: ['RS256', 'ES256'], clockSkewSeconds: 30, openPaths: ['/health/*', '/metrics'] });
    expect(codes(JWT)).toEqual([]);
  });

  it('JWT without issuer, audience or a key source: each its own code, all at once', () => {
    expect(codes({ API_AUTH_MODE: 'jwt' })).toEqual(['API_AUTH_ISSUER_REQUIRED', 'API_AUTH_AUDIENCE_REQUIRED', 'API_AUTH_KEY_SOURCE_INVALID']);
    expect(codes({ ...JWT, API_AUTH_PUBLIC_KEY: '{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}' })).toEqual(['API_AUTH_KEY_SOURCE_INVALID']);
    expect(codes({ API_AUTH_MODE: 'BASIC' })).toEqual(['CONFIG_ENUM_INVALID']);
  });

  it('refuses HMAC and none as algorithms, a key that is not a public key, and an open path that is not a path', () => {
    expect(codes({ ...JWT, API_AUTH_ALGORITHMS: 'RS256,HS256' })).toEqual(['API_AUTH_ALGORITHMS_INVALID']);
    expect(codes({ ...JWT, API_AUTH_ALGORITHMS: 'none' })).toEqual(['API_AUTH_ALGORITHMS_INVALID']);
    expect(codes({ ...JWT, API_AUTH_JWKS_URL: '', API_AUTH_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\nnonsense\n-----END PUBLIC KEY-----' })).toEqual(['API_AUTH_PUBLIC_KEY_INVALID']);
    expect(codes({ ...JWT, API_AUTH_OPEN_PATHS: 'health/live' })).toEqual(['API_AUTH_OPEN_PATHS_INVALID']);
    expect(loadSettings({ ...JWT, API_AUTH_OPEN_PATHS: 'none' }).settings.auth.openPaths).toEqual([]);
    expect(codes({ ...JWT, API_AUTH_JWKS_URL: 'ftp://idp' })).toEqual(['CONFIG_URL_INVALID']);
  });

  it('open paths: exact, or everything below a prefix', () => {
    const open = openPathMatcher(['/health/*', '/metrics']);
    expect(['/health/live', '/health/ready', '/health', '/metrics'].map(open)).toEqual([true, true, true, true]);
    expect(['/healthz', '/metrics/x', '/rebalance/runs'].map(open)).toEqual([false, false, false]);
  });

  it('the role map replaces the default table; bad JSON or an unknown permission is API_AUTH_ROLE_MAP_INVALID with every problem', () => {
    const parse = (json: string) => createAccessControl(loadSettings({ ...JWT, API_AUTH_ROLE_MAP: json }).settings.auth);
    const ok = parse('{"DPM.Risk": ["proposals.read", "proposals.approve_risk"]}');
    expect(ok.ok && ok.access.table).toEqual({ 'DPM.Risk': ['proposals.read', 'proposals.approve_risk'] });
    const unset = createAccessControl(loadSettings(JWT).settings.auth);
    expect(unset.ok && unset.access.table).toEqual(DEFAULT_ROLE_PERMISSIONS);
    expect(parse('{"a": [')).toEqual({ ok: false, violations: [expect.objectContaining({ code: 'API_AUTH_ROLE_MAP_INVALID', message: expect.stringContaining('not valid JSON') })] });
    const bad = parse('{"a": ["proposals.read", "everything"], "b": "proposals.read"}');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.violations[0]?.message).toMatch(/role "a": unknown permission "everything"; role "b": not a list/);
  });

  it('PRODUCTION warns without authentication, and not with it', () => {
    const production = { APP_PERSISTENCE_PROFILE: 'PRODUCTION' };
    expect(evaluateWarnings(loadSettings(production).settings).map((w) => w.code)).toEqual(['PRODUCTION_AUTHENTICATION_DISABLED']);
    expect(evaluateWarnings(loadSettings({ ...production, ...JWT }).settings)).toEqual([]);
    expect(evaluateWarnings(loadSettings({}).settings)).toEqual([]);
    expect(evaluateWarnings(loadSettings({}).settings, 'PRODUCTION').map((w) => w.code)).toEqual(['PRODUCTION_AUTHENTICATION_DISABLED']);
  });

  it('with JWT the policy-pack admin token is not required (roles authorise the admin calls)', () => {
    const admin = { APP_PERSISTENCE_PROFILE: 'PRODUCTION', DPM_POLICY_PACK_ADMIN_APIS_ENABLED: 'true' };
    expect(evaluateGuardrails(loadSettings(admin).settings).map((v) => v.code)).toContain('PERSISTENCE_PROFILE_REQUIRES_POLICY_PACK_ADMIN_TOKEN');
    expect(evaluateGuardrails(loadSettings({ ...admin, ...JWT }).settings).map((v) => v.code)).not.toContain('PERSISTENCE_PROFILE_REQUIRES_POLICY_PACK_ADMIN_TOKEN');
  });
});
