/**
 * A local identity provider for tests (no external one is ever contacted): keys generated with
 * jose, a JWKS served over HTTP from this process (with a count of how often it was fetched, and
 * key rotation), access tokens signed on demand, and the OIDC endpoints the console's sign-in uses
 * — discovery, an authorization endpoint that signs in whoever the test chose, and a token
 * endpoint that checks the PKCE verifier against the challenge, as a real provider does.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

export const TEST_AUDIENCE = 'dpm-rebalance-api';
export const TEST_CLIENT_ID = 'dpm-console';

interface SigningKey {
  readonly kid: string;
  readonly alg: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

export interface TokenOptions {
  /** Seconds from now (negative: already expired). Default one hour. */
  readonly expiresIn?: number;
  readonly issuer?: string;
  readonly audience?: string | string[];
  /** Sign with a key the JWKS does not publish. */
  readonly unpublishedKey?: boolean;
  /** Another signing algorithm than the current key's (a fresh key of that kind, published). */
  readonly alg?: 'PS256' | 'ES384';
  /** Leave the subject claim out. */
  readonly withoutSubject?: boolean;
}

export interface Person {
  readonly sub: string;
  readonly roles: readonly string[];
}

export interface TestIdentityProvider {
  readonly issuer: string;
  readonly jwksUrl: string;
  /** How many times the JWKS was fetched. */
  jwksFetches(): number;
  /** An access token for `person` (claims `sub` and `roles`, plus `extra`). */
  token(person: Person, options?: TokenOptions, extra?: Record<string, unknown>): Promise<string>;
  /** `Authorization` header value for `person`. */
  bearer(person: Person, options?: TokenOptions): Promise<string>;
  /** A new signing key: published and used from now on; the old one leaves the JWKS. */
  rotate(): Promise<void>;
  /** Answer the JWKS with 503 (the provider is down) until restored. */
  setJwksDown(down: boolean): void;
  /** Who the authorization endpoint signs in next (the console's OIDC sign-in). */
  signInAs(person: Person): void;
  /** The API_AUTH_* variables of a service trusting this provider. */
  env(extra?: Record<string, string>): Record<string, string>;
  close(): Promise<void>;
}

async function newKey(alg: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = `${alg.toLowerCase()}-${randomBytes(6).toString('hex')}`;
  return { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

const base64url = (buffer: Buffer): string => buffer.toString('base64url');

async function formBody(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export async function startIdentityProvider(): Promise<TestIdentityProvider> {
  let current = await newKey('RS256');
  const published: SigningKey[] = [current];
  const extra = new Map<string, SigningKey>();
  let fetches = 0;
  let down = false;
  let nextPerson: Person | undefined;
  const codes = new Map<string, { person: Person; challenge: string; redirectUri: string; clientId: string }>();
  let issuer = '';

  async function sign(person: Person, options: TokenOptions = {}, claims: Record<string, unknown> = {}): Promise<string> {
    let key = current;
    if (options.unpublishedKey) key = await newKey('RS256');
    if (options.alg) {
      key = extra.get(options.alg) ?? (await newKey(options.alg));
      if (!extra.has(options.alg)) {
        extra.set(options.alg, key);
        published.push(key);
      }
    }
    const now = Math.floor(Date.now() / 1000);
    const jwt = new SignJWT({ ...(options.withoutSubject ? {} : { sub: person.sub }), roles: [...person.roles], ...claims })
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
      .setIssuer(options.issuer ?? issuer)
      .setAudience(options.audience ?? TEST_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + (options.expiresIn ?? 3600));
    return jwt.sign(key.privateKey);
  }

  const cors = (response: ServerResponse): void => {
    response.setHeader('access-control-allow-origin', '*');
    response.setHeader('access-control-allow-headers', 'content-type');
  };
  const json = (response: ServerResponse, status: number, body: unknown): void => {
    cors(response);
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', issuer);
    if (request.method === 'OPTIONS') {
      cors(response);
      response.writeHead(204).end();
      return;
    }
    if (url.pathname === '/jwks') {
      fetches += 1;
      if (down) return json(response, 503, { error: 'unavailable' });
      return json(response, 200, { keys: published.map((key) => key.publicJwk) });
    }
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(response, 200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'],
      });
    }
    if (url.pathname === '/authorize') {
      const q = url.searchParams;
      const person = nextPerson;
      if (!person || q.get('response_type') !== 'code' || q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge')) {
        return json(response, 400, { error: 'invalid_request' });
      }
      const code = base64url(randomBytes(16));
      codes.set(code, { person, challenge: q.get('code_challenge') ?? '', redirectUri: q.get('redirect_uri') ?? '', clientId: q.get('client_id') ?? '' });
      const back = new URL(q.get('redirect_uri') ?? '');
      back.searchParams.set('code', code);
      back.searchParams.set('state', q.get('state') ?? '');
      response.writeHead(302, { location: back.toString() }).end();
      return;
    }
    if (url.pathname === '/token' && request.method === 'POST') {
      const form = await formBody(request);
      const grant = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      const verifier = form.get('code_verifier') ?? '';
      const challenge = base64url(createHash('sha256').update(verifier).digest());
      if (!grant || form.get('grant_type') !== 'authorization_code' || grant.challenge !== challenge || grant.redirectUri !== form.get('redirect_uri') || grant.clientId !== form.get('client_id')) {
        return json(response, 400, { error: 'invalid_grant' });
      }
      return json(response, 200, { access_token: await sign(grant.person), token_type: 'Bearer', expires_in: 3600 });
    }
    json(response, 404, { error: 'not_found' });
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => json(response, 500, { error: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    issuer,
    jwksUrl: `${issuer}/jwks`,
    jwksFetches: () => fetches,
    token: sign,
    bearer: async (person, options) => `Bearer ${await sign(person, options)}`,
    async rotate() {
      current = await newKey('RS256');
      published.splice(0, published.length, current, ...extra.values());
    },
    setJwksDown(value) {
      down = value;
    },
    signInAs(person) {
      nextPerson = person;
    },
    env: (more = {}) => ({
      API_AUTH_MODE: 'JWT',
      API_AUTH_ISSUER: issuer,
      API_AUTH_AUDIENCE: TEST_AUDIENCE,
      API_AUTH_JWKS_URL: `${issuer}/jwks`,
      ...more,
    }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
