/**
 * Bearer tokens as the service checks them (docs/security.md#how-a-token-is-checked), against keys
 * generated with jose and served by a local JWKS endpoint: what is accepted, every way a token is
 * refused, key rotation, the bound on JWKS fetches, and an identity provider that is down.
 */
import { createPublicKey } from 'node:crypto';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthSettings } from '../../../src/config/auth.ts';
import { loadSettings } from '../../../src/config/settings.ts';
import { createTokenVerifier } from '../../../src/http/auth/token-verifier.ts';
import { startIdentityProvider, TEST_AUDIENCE, type TestIdentityProvider } from '../../support/identity-provider.ts';

const alice = { sub: 'alice', roles: ['adviser'] };

function authSettings(env: Record<string, string>): AuthSettings {
  const loaded = loadSettings(env);
  expect(loaded.violations).toEqual([]);
  return loaded.settings.auth;
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => ({ code: 'ACCEPTED', message: '' }),
    (error: { code?: string; message: string }) => ({ code: error.code, message: error.message }),
  );

describe('bearer token verification', () => {
  let idp: TestIdentityProvider;

  beforeAll(async () => {
    idp = await startIdentityProvider();
  });

  afterAll(async () => {
    await idp.close();
  });

  it('accepts a valid token: its subject and its roles', async () => {
    const verifier = createTokenVerifier(authSettings(idp.env()));
    expect(await verifier.verify(await idp.token(alice))).toEqual({ subject: 'alice', roles: ['adviser'] });
  });

  it('refuses expired tokens (with the clock skew as tolerance), other issuers and other audiences', async () => {
    const verifier = createTokenVerifier(authSettings(idp.env({ API_AUTH_CLOCK_SKEW_SECONDS: '30' })));
    expect(await refusal(verifier.verify(await idp.token(alice, { expiresIn: -120 })))).toMatchObject({ code: 'AUTH_TOKEN_EXPIRED' });
    expect(await refusal(verifier.verify(await idp.token(alice, { expiresIn: -10 })))).toMatchObject({ code: 'ACCEPTED' });
    expect(await refusal(verifier.verify(await idp.token(alice, { issuer: 'https://evil.example' })))).toMatchObject({ code: 'AUTH_TOKEN_INVALID', message: expect.stringContaining('iss') });
    expect(await refusal(verifier.verify(await idp.token(alice, { audience: 'another-app' })))).toMatchObject({ code: 'AUTH_TOKEN_INVALID', message: expect.stringContaining('aud') });
    // Several audiences configured: any one of them will do.
    const either = createTokenVerifier(authSettings(idp.env({ API_AUTH_AUDIENCE: `another-app, ${TEST_AUDIENCE}` })));
    expect(await refusal(either.verify(await idp.token(alice, { audience: 'another-app' })))).toMatchObject({ code: 'ACCEPTED' });
  });

  it('refuses an algorithm that is not allowed, alg none, an HMAC signed with the public key, and a key the provider never published', async () => {
    const verifier = createTokenVerifier(authSettings(idp.env()));
    expect(await refusal(verifier.verify(await idp.token(alice, { alg: 'PS256' })))).toMatchObject({ code: 'AUTH_TOKEN_INVALID', message: expect.stringContaining('alg') });
    const allowed = createTokenVerifier(authSettings(idp.env({ API_AUTH_ALGORITHMS: 'PS256', API_AUTH_JWKS_COOLDOWN_MS: '0' })));
    expect(await refusal(allowed.verify(await idp.token(alice, { alg: 'PS256' })))).toMatchObject({ code: 'ACCEPTED' });

    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: 'mallory', roles: ['admin'], iss: idp.issuer, aud: TEST_AUDIENCE, iat: now, exp: now + 600 };
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
    expect(await refusal(verifier.verify(unsigned))).toMatchObject({ code: 'AUTH_TOKEN_INVALID' });

    // The classic confusion: an HS256 token whose secret is the provider's public key.
    const jwks = (await (await fetch(idp.jwksUrl)).json()) as { keys: object[] };
    const pem = createPublicKey({ key: jwks.keys[0] as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(Buffer.from(pem));
    expect(await refusal(verifier.verify(forged))).toMatchObject({ code: 'AUTH_TOKEN_INVALID' });

    expect(await refusal(verifier.verify(await idp.token(alice, { unpublishedKey: true })))).toMatchObject({ code: 'AUTH_TOKEN_INVALID' });
    expect(await refusal(verifier.verify('not-a-jwt'))).toMatchObject({ code: 'AUTH_TOKEN_INVALID' });
  });

  it('needs a subject; the subject and role claims are configurable paths', async () => {
    const verifier = createTokenVerifier(authSettings(idp.env()));
    expect(await refusal(verifier.verify(await idp.token(alice, { withoutSubject: true })))).toMatchObject({ code: 'AUTH_TOKEN_INVALID', message: expect.stringContaining('subject') });
    const keycloak = createTokenVerifier(authSettings(idp.env({ API_AUTH_SUBJECT_CLAIM: 'preferred_username', API_AUTH_ROLES_CLAIM: 'realm_access.roles,resource_access.dpm.roles' })));
    const token = await idp.token({ sub: 'f3c1-uuid', roles: [] }, {}, { preferred_username: 'alice', realm_access: { roles: ['adviser'] }, resource_access: { dpm: { roles: ['operations'] } } });
    expect(await keycloak.verify(token)).toEqual({ subject: 'alice', roles: ['adviser', 'operations'] });
    const scopes = createTokenVerifier(authSettings(idp.env({ API_AUTH_ROLES_CLAIM: 'scp' })));
    expect(await scopes.verify(await idp.token({ sub: 'svc', roles: [] }, {}, { scp: 'risk_officer  operations' }))).toEqual({ subject: 'svc', roles: ['risk_officer', 'operations'] });
    const namespaced = createTokenVerifier(authSettings(idp.env({ API_AUTH_ROLES_CLAIM: 'https://dpm.example/roles' })));
    expect(await namespaced.verify(await idp.token({ sub: 'a', roles: [] }, {}, { 'https://dpm.example/roles': ['admin'] }))).toEqual({ subject: 'a', roles: ['admin'] });
  });

  it('a configured public key (PEM or JWK) instead of a JWKS', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const token = await new SignJWT({ sub: 'bob', roles: ['risk_officer'] }).setProtectedHeader({ alg: 'ES256' }).setIssuer('https://idp.example').setAudience('dpm').setExpirationTime('5m').sign(privateKey);
    const env = { API_AUTH_MODE: 'JWT', API_AUTH_ISSUER: 'https://idp.example', API_AUTH_AUDIENCE: 'dpm' };
    // One line, as an environment variable often carries it.
    const pem = (await exportSPKI(publicKey)).replace(/\n/g, '\\n');
    expect(await createTokenVerifier(authSettings({ ...env, API_AUTH_PUBLIC_KEY: pem })).verify(token)).toEqual({ subject: 'bob', roles: ['risk_officer'] });
    const jwk = JSON.stringify(await exportJWK(publicKey));
    expect(await createTokenVerifier(authSettings({ ...env, API_AUTH_PUBLIC_KEY: jwk })).verify(token)).toEqual({ subject: 'bob', roles: ['risk_officer'] });
  });

  it('rotation: a token signed with the new key is accepted once the provider publishes it; the retired key is refused', async () => {
    const rotating = await startIdentityProvider();
    try {
      const verifier = createTokenVerifier(authSettings(rotating.env({ API_AUTH_JWKS_COOLDOWN_MS: '0' })));
      const before = await rotating.token(alice);
      await verifier.verify(before);
      await rotating.rotate();
      expect(await verifier.verify(await rotating.token(alice))).toEqual({ subject: 'alice', roles: ['adviser'] });
      expect(rotating.jwksFetches()).toBe(2);
      expect(await refusal(verifier.verify(before))).toMatchObject({ code: 'AUTH_TOKEN_INVALID' });
    } finally {
      await rotating.close();
    }
  });

  it('unknown key ids refetch the JWKS at most once per cooldown', async () => {
    const counted = await startIdentityProvider();
    try {
      const verifier = createTokenVerifier(authSettings(counted.env({ API_AUTH_JWKS_COOLDOWN_MS: '600000' })));
      await verifier.verify(await counted.token(alice));
      for (let i = 0; i < 10; i += 1) expect(await refusal(verifier.verify(await counted.token(alice, { unpublishedKey: true })))).toMatchObject({ code: 'AUTH_TOKEN_INVALID' });
      expect(counted.jwksFetches()).toBe(1);
    } finally {
      await counted.close();
    }
  });

  it('a provider that is down: 503 AUTH_JWKS_UNAVAILABLE before any key was fetched; the keys fetched last keep working', async () => {
    const flaky = await startIdentityProvider();
    try {
      flaky.setJwksDown(true);
      const verifier = createTokenVerifier(authSettings(flaky.env({ API_AUTH_JWKS_COOLDOWN_MS: '0' })));
      expect(await refusal(verifier.verify(await flaky.token(alice)))).toMatchObject({ code: 'AUTH_JWKS_UNAVAILABLE' });
      flaky.setJwksDown(false);
      const token = await flaky.token(alice);
      await verifier.verify(token);
      flaky.setJwksDown(true);
      // An unknown key id makes it try the provider, which fails: the keys it has still decide.
      expect(await refusal(verifier.verify(await flaky.token(alice, { unpublishedKey: true })))).toMatchObject({ code: 'AUTH_TOKEN_INVALID' });
      expect(await verifier.verify(token)).toEqual({ subject: 'alice', roles: ['adviser'] });
    } finally {
      await flaky.close();
    }
  });
});
