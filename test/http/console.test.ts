/**
 * Serving the console: caching headers, deep links answered with the app, missing hashed assets
 * kept 404, a clear 503 when the console was never built, and /console/config.json telling the
 * app how the service controls access.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { consoleRoutes } from '../../src/http/routes/console.ts';
import { buildServer } from '../../src/http/server.ts';
import { DEFAULT_ROLE_PERMISSIONS } from '../../src/domain/access/permissions.ts';
import { startApp } from '../support/dpm-api.ts';
import { startIdentityProvider, TEST_CLIENT_ID, type TestIdentityProvider } from '../support/identity-provider.ts';

const INDEX = '<!doctype html><html><body><div id="app"></div><script type="module" src="/console/assets/app-1a2b.js"></script></body></html>';

function builtConsole(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'console-assets-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), INDEX);
  writeFileSync(path.join(dir, 'assets', 'app-1a2b.js'), 'console.log("app");');
  return dir;
}

const serverFor = (assetsDir: string) => buildServer({ logger: pino({ level: 'silent' }), routes: [consoleRoutes({ assetsDir })] });

describe('the console, built', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await serverFor(builtConsole());
  });
  afterAll(() => app.close());

  it.each(['/console', '/console/', '/console/runs', '/console/runs/rr_abc', '/console/proposals/pp_1?state=DRAFT'])('%s answers the app, revalidated on every load', async (url) => {
    const res = await app.inject({ url, headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.body).toBe(INDEX);
  });

  it('serves hashed assets as immutable for a year', async () => {
    const res = await app.inject({ url: '/console/assets/app-1a2b.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.body).toBe('console.log("app");');
  });

  it('keeps a missing hashed asset a 404, never the app', async () => {
    const res = await app.inject({ url: '/console/assets/app-old.js' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
  });
});

describe('the console, not built', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await serverFor(mkdtempSync(path.join(tmpdir(), 'console-none-')));
  });
  afterAll(() => app.close());

  it('tells a browser how to build it', async () => {
    const res = await app.inject({ url: '/console/runs', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('npm run build:console');
    expect(res.body).toContain('CONSOLE_ASSETS_MISSING');
  });

  it('answers other clients with the error body', async () => {
    const res = await app.inject({ url: '/console' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ code: 'CONSOLE_ASSETS_MISSING', detail: 'CONSOLE_ASSETS_MISSING' });
  });
});

describe('/console/config.json', () => {
  let idp: TestIdentityProvider;
  beforeAll(async () => {
    idp = await startIdentityProvider();
  });
  afterAll(() => idp.close());

  async function configUnder(env: Record<string, string>): Promise<Record<string, unknown>> {
    const app = await startApp(env);
    try {
      const res = await app.server.inject({ url: '/console/config.json' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('no-cache');
      return res.json<{ auth: Record<string, unknown> }>().auth;
    } finally {
      await app.close();
    }
  }

  it('without authentication says so', async () => {
    expect(await configUnder({})).toMatchObject({ mode: 'NONE', oidc: null });
  });

  it('with JWT, open to anyone: the sign-in client, the claims and the role table in force', async () => {
    const auth = await configUnder(idp.env({ API_AUTH_CONSOLE_CLIENT_ID: TEST_CLIENT_ID, API_AUTH_ROLES_CLAIM: 'realm_access.roles' }));
    expect(auth).toEqual({
      mode: 'JWT',
      oidc: { issuer: idp.issuer, client_id: TEST_CLIENT_ID, scopes: 'openid' },
      subject_claim: 'sub',
      roles_claims: ['realm_access.roles'],
      role_permissions: DEFAULT_ROLE_PERMISSIONS,
    });
  });

  it('with JWT and no console client, users paste a token; an overridden role map is the one served', async () => {
    const roleMap = { desk: ['runs.read', 'runs.review'] };
    const auth = await configUnder(idp.env({ API_AUTH_ROLE_MAP: JSON.stringify(roleMap) }));
    expect(auth).toMatchObject({ mode: 'JWT', oidc: null, role_permissions: roleMap });
  });
});
