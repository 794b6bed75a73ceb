/**
 * The operations console (docs/console.md): a single-page app that `npm run build:console` builds
 * into `console/dist` (npm install and npm run build run it), served here at /console.
 *
 * Caching: files under `assets/` carry a content hash in their name, so they are immutable for a
 * year; everything else (index.html above all) is `no-cache`, so a new release is picked up on the
 * next load while the browser still revalidates with the ETag. Any other path under /console is a
 * page of the app (deep links such as /console/runs/rr_abc) and gets index.html; a missing hashed
 * asset stays a 404, never HTML that a script tag would choke on.
 *
 * Without a build the routes answer 503 CONSOLE_ASSETS_MISSING saying how to build it; the API
 * itself is unaffected.
 *
 * `/console/config.json` tells the app how to sign users in (docs/console.md#signing-in): the
 * authentication mode, the OIDC issuer and public client id, which claims hold the subject and the
 * roles, and the role → permission table in force, so the app offers exactly the actions the
 * token's roles permit. None of it is secret; it is open like the app's files.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthSettings } from '../../config/auth.ts';
import { ReasonError, type ReasonCode } from '../../config/reason-codes.ts';
import type { ConsoleConfig } from '../../domain/access/console-config.ts';
import type { RolePermissions } from '../../domain/access/permissions.ts';
import { errorBody } from '../errors.ts';

export const CONSOLE_PREFIX = '/console';

/** Where the build writes the console (the repository's `console/dist`, also in the container image). */
export const CONSOLE_ASSETS_DIR = fileURLToPath(new URL('../../../console/dist/', import.meta.url));

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

/**
 * The app loads only its own scripts and styles and talks only to this origin — and to the
 * identity provider when it signs users in (discovery and the token exchange). Inline styles are
 * allowed because the chart library writes style attributes on the SVG it draws.
 */
function contentSecurityPolicy(signInOrigin: string | null): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    signInOrigin ? `connect-src 'self' ${signInOrigin}` : "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
}

export function consoleConfig(auth: AuthSettings, table: RolePermissions): ConsoleConfig {
  const signIn = auth.mode === 'JWT' && auth.issuer !== '' && auth.console.clientId !== '';
  return {
    auth: {
      mode: auth.mode,
      oidc: signIn ? { issuer: auth.issuer, client_id: auth.console.clientId, scopes: auth.console.scopes } : null,
      subject_claim: auth.subjectClaim,
      roles_claims: auth.rolesClaims,
      role_permissions: table,
    },
  };
}

/** The identity provider's origin, when the console talks to it. */
function signInOrigin(config: ConsoleConfig): string | null {
  if (!config.auth.oidc) return null;
  try {
    return new URL(config.auth.oidc.issuer).origin;
  } catch {
    return null;
  }
}

const NO_AUTH_CONFIG: ConsoleConfig = { auth: { mode: 'NONE', oidc: null, subject_claim: 'sub', roles_claims: [], role_permissions: {} } };

const isHashedAsset = (relativePath: string): boolean => relativePath.split(/[\\/]/).includes('assets');

function wantsHtml(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('text/html');
}

function assetsMissing(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const code: ReasonCode = 'CONSOLE_ASSETS_MISSING';
  const how = 'The console is not built. Run `npm run build:console` (npm install and npm run build run it), then restart the service.';
  reply.code(503).header('cache-control', 'no-store');
  if (!wantsHtml(request)) return reply.type('application/json; charset=utf-8').send(errorBody(new ReasonError(code, how)));
  return reply
    .type('text/html; charset=utf-8')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Console not built</title></head>` +
        `<body><main><h1>The operations console is not built</h1><p>${how}</p><p>Code: <code>${code}</code>. ` +
        `The API is available: <a href="/docs">/docs</a>.</p></main></body></html>`,
    );
}

export interface ConsoleRouteOptions {
  /** The built console; tests point it elsewhere to check the missing-build page. */
  readonly assetsDir?: string;
  /** How the console signs users in (no authentication when omitted). */
  readonly config?: ConsoleConfig;
}

export function consoleRoutes(options: ConsoleRouteOptions = {}): FastifyPluginAsync {
  const root = options.assetsDir ?? CONSOLE_ASSETS_DIR;
  const config = options.config ?? NO_AUTH_CONFIG;
  const csp = contentSecurityPolicy(signInOrigin(config));
  return async function register(fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    const hidden = { schema: { hide: true } };
    app.get(`${CONSOLE_PREFIX}/config.json`, hidden, async (_request, reply) => reply.header('cache-control', REVALIDATE).send(config));
    if (!existsSync(path.join(root, 'index.html'))) {
      app.get(CONSOLE_PREFIX, hidden, assetsMissing);
      app.get(`${CONSOLE_PREFIX}/*`, hidden, assetsMissing);
      return;
    }

    await app.register(fastifyStatic, {
      root,
      prefix: `${CONSOLE_PREFIX}/`,
      // One route per built file, so the page fallback below can own every other path.
      wildcard: false,
      index: false,
      // Serves the .br/.gz siblings the build writes when the browser accepts them.
      preCompressed: true,
      cacheControl: false,
      setHeaders(res, filePath) {
        const relative = path.relative(root, filePath);
        if (isHashedAsset(relative)) {
          res.setHeader('cache-control', IMMUTABLE);
          return;
        }
        res.setHeader('cache-control', REVALIDATE);
        if (relative.endsWith('.html')) {
          res.setHeader('content-security-policy', csp);
          res.setHeader('x-content-type-options', 'nosniff');
          res.setHeader('referrer-policy', 'same-origin');
        }
      },
    });

    const page = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
      const rest = request.url.slice(CONSOLE_PREFIX.length).split('?')[0] ?? '';
      if (isHashedAsset(rest)) {
        reply.callNotFound();
        return reply;
      }
      return reply.sendFile('index.html');
    };
    app.get(CONSOLE_PREFIX, hidden, page);
    app.get(`${CONSOLE_PREFIX}/`, hidden, page);
    app.get(`${CONSOLE_PREFIX}/*`, hidden, page);
  };
}
