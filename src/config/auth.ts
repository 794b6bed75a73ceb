/**
 * Authentication settings, read from the API_AUTH_* variables (docs/security.md#configuration).
 * `NONE` (the default) is the reference's behaviour: no credential, actor names taken from request
 * bodies. `JWT` verifies OAuth2/OIDC bearer access tokens; the variables below say against what.
 * The role map's JSON is kept as text here and parsed against the permission table when the app
 * is assembled (src/http/auth/wiring.ts), like the tenant map.
 */
import { createPublicKey } from 'node:crypto';
import type { ReasonCode } from './reason-codes.ts';
import { enumVariable, integerVariable, textVariable, urlVariable, type ValuesOf, type Variable, type Violation } from './variables.ts';

export const AUTH_MODES = ['NONE', 'JWT'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

/** Asymmetric signatures only: a shared HMAC secret would let every holder mint tokens, and accepting it invites algorithm confusion. */
export const JWT_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;

export interface AuthSettings {
  readonly mode: AuthMode;
  /** Where signing keys are fetched (cached; refetched on an unknown `kid`, at most once per cooldown). */
  readonly jwksUrl: string;
  /** A PEM (SPKI) public key or a JWK as JSON, instead of a JWKS URL. */
  readonly publicKey: string;
  readonly issuer: string;
  /** Any one of these must be in the token's `aud`. */
  readonly audiences: readonly string[];
  /** Claim paths whose values are the caller's roles (their union). */
  readonly rolesClaims: readonly string[];
  readonly subjectClaim: string;
  /** API_AUTH_ROLE_MAP as given ('' = the default table). */
  readonly roleMapJson: string;
  readonly algorithms: readonly string[];
  readonly clockSkewSeconds: number;
  readonly jwksCooldownMs: number;
  /** Route paths served without a token (`/prefix/*` matches below a prefix). */
  readonly openPaths: readonly string[];
  /** The console's OIDC sign-in (authorization code + PKCE); no client id = pasted tokens only. */
  readonly console: { readonly clientId: string; readonly scopes: string };
}

const items = (raw: string): string[] =>
  raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

/** A comma-separated list checked item by item; a bad item is reported with `code`. */
function listVariable(spec: {
  name: string;
  description: string;
  allowed: string;
  defaultValue: string;
  code: ReasonCode;
  /** The problem with one item, or null. */
  check: (item: string) => string | null;
  /** A word meaning "no items" (unset means the default, so emptiness needs a name). */
  emptyWord?: string;
}): Variable<readonly string[]> {
  return {
    name: spec.name,
    description: spec.description,
    allowed: spec.allowed,
    defaultText: spec.defaultValue,
    codes: [spec.code],
    read(env) {
      const raw = env[spec.name]?.trim() || spec.defaultValue;
      if (spec.emptyWord !== undefined && raw.toLowerCase() === spec.emptyWord) return { ok: true, value: [] };
      const list = items(raw);
      const problems = list.map(spec.check).filter((problem): problem is string => problem !== null);
      if (list.length > 0 && problems.length === 0) return { ok: true, value: list };
      const message = problems.length > 0 ? problems.join('; ') : 'no value';
      return { ok: false, violation: { code: spec.code, variable: spec.name, message: `${spec.name}: ${message}.` } };
    },
  };
}

/** A variable whose consistency checks (authSettings) raise codes of their own, listed with it in the reference. */
const withCodes = <T>(codes: readonly ReasonCode[], variable: Variable<T>): Variable<T> => ({ ...variable, codes: [...variable.codes, ...codes] });

export const AUTH_VARIABLES = {
  authMode: enumVariable({
    name: 'API_AUTH_MODE',
    description:
      'NONE: no authentication, actor names are taken from request bodies (the reference behaviour; PRODUCTION warns PRODUCTION_AUTHENTICATION_DISABLED). JWT: every route but the open ones needs an OAuth2/OIDC bearer access token whose roles grant the route\'s permission (docs/security.md).',
    values: AUTH_MODES,
    defaultValue: 'NONE',
    invalidCode: 'CONFIG_ENUM_INVALID',
  }),
  authJwksUrl: withCodes(['API_AUTH_KEY_SOURCE_INVALID'], urlVariable({
    name: 'API_AUTH_JWKS_URL',
    description: "The identity provider's JWKS (signing keys), e.g. <issuer>/protocol/openid-connect/certs; cached, fetched again when a token names an unknown key id (at most once per API_AUTH_JWKS_COOLDOWN_MS). Set this or API_AUTH_PUBLIC_KEY.",
    defaultText: '(unset)',
  })),
  authPublicKey: withCodes(['API_AUTH_PUBLIC_KEY_INVALID', 'API_AUTH_KEY_SOURCE_INVALID'], textVariable({
    name: 'API_AUTH_PUBLIC_KEY',
    description: 'The one key tokens are signed with, instead of a JWKS URL: a PEM public key (BEGIN PUBLIC KEY) or a JWK as JSON.',
    defaultValue: '',
    defaultText: '(unset)',
    allowed: 'PEM (SPKI) or JWK JSON',
  })),
  authIssuer: withCodes(['API_AUTH_ISSUER_REQUIRED'], textVariable({
    name: 'API_AUTH_ISSUER',
    description: "The token's `iss` must equal this (required with JWT); the console also discovers the sign-in endpoints from <issuer>/.well-known/openid-configuration.",
    defaultValue: '',
    defaultText: '(unset)',
    allowed: 'issuer identifier (usually a URL)',
  })),
  authAudience: withCodes(['API_AUTH_AUDIENCE_REQUIRED'], textVariable({
    name: 'API_AUTH_AUDIENCE',
    description: "The token's `aud` must contain one of these (comma-separated; required with JWT), so a token issued for another application is refused.",
    defaultValue: '',
    defaultText: '(unset)',
    allowed: 'audience[,audience…]',
  })),
  authRolesClaim: textVariable({
    name: 'API_AUTH_ROLES_CLAIM',
    description: 'Where the token carries its roles: claim paths, comma-separated, dots for nesting (realm_access.roles, resource_access.<client>.roles, roles, scp); a list or a space-separated string.',
    defaultValue: 'roles',
    allowed: 'claim path[,claim path…]',
  }),
  authSubjectClaim: textVariable({
    name: 'API_AUTH_SUBJECT_CLAIM',
    description: 'The claim that names the caller; recorded as the actor of every decision and change.',
    defaultValue: 'sub',
    allowed: 'claim path',
  }),
  authRoleMap: withCodes(['API_AUTH_ROLE_MAP_INVALID'], textVariable({
    name: 'API_AUTH_ROLE_MAP',
    description: 'Replaces the default role → permission table: a JSON object {"<role>": ["<permission>", …]} (docs/security.md#permissions). Invalid JSON or an unknown permission refuses to start (API_AUTH_ROLE_MAP_INVALID).',
    defaultValue: '',
    defaultText: '(the default table)',
    allowed: 'JSON object',
  })),
  authAlgorithms: listVariable({
    name: 'API_AUTH_ALGORITHMS',
    description: 'Signature algorithms a token may use (comma-separated). HS* and `none` are never accepted.',
    allowed: JWT_ALGORITHMS.join(', '),
    defaultValue: 'RS256,ES256',
    code: 'API_AUTH_ALGORITHMS_INVALID',
    check: (item) => ((JWT_ALGORITHMS as readonly string[]).includes(item) ? null : `${JSON.stringify(item)} is not one of ${JWT_ALGORITHMS.join(', ')}`),
  }),
  authClockSkewSeconds: integerVariable({
    name: 'API_AUTH_CLOCK_SKEW_SECONDS',
    description: "Tolerance when checking a token's exp, nbf and iat against this server's clock.",
    defaultValue: 30,
    min: 0,
    max: 300,
  }),
  authJwksCooldownMs: integerVariable({
    name: 'API_AUTH_JWKS_COOLDOWN_MS',
    description: 'Least time between two JWKS fetches caused by unknown key ids, so tokens naming random key ids cannot flood the identity provider.',
    defaultValue: 30_000,
    min: 0,
    max: 3_600_000,
  }),
  authOpenPaths: listVariable({
    name: 'API_AUTH_OPEN_PATHS',
    description:
      'Routes served without a token when API_AUTH_MODE=JWT, as route paths (`/prefix/*` matches everything below); `none` opens nothing. /docs, /openapi.json and the console\'s files are always open: they hold no client data.',
    allowed: 'route path[,route path…], or none',
    defaultValue: '/health/*,/metrics',
    code: 'API_AUTH_OPEN_PATHS_INVALID',
    emptyWord: 'none',
    check: (item) => (item.startsWith('/') && !/\s/.test(item) ? null : `${JSON.stringify(item)} is not a path starting with /`),
  }),
  authConsoleClientId: textVariable({
    name: 'API_AUTH_CONSOLE_CLIENT_ID',
    description: "The console's public OIDC client id: with it (and API_AUTH_ISSUER) the console signs users in with the authorization code flow and PKCE; without it, users paste a token.",
    defaultValue: '',
    defaultText: '(unset: pasted tokens only)',
    allowed: 'client id',
  }),
  authConsoleScopes: textVariable({
    name: 'API_AUTH_CONSOLE_SCOPES',
    description: "Scopes the console asks for when it signs a user in (space-separated), e.g. `openid api://dpm/.default` for Entra ID.",
    defaultValue: 'openid',
    allowed: 'scope[ scope…]',
  }),
};

type AuthValues = ValuesOf<typeof AUTH_VARIABLES>;

/** Whether a public key's text is a key node can load (PEM SPKI, or a JWK as JSON). */
function publicKeyProblem(text: string): string | null {
  try {
    if (text.startsWith('{')) createPublicKey({ key: JSON.parse(text) as never, format: 'jwk' });
    else createPublicKey(text.replace(/\\n/g, '\n'));
    return null;
  } catch {
    return 'is neither a PEM public key nor a public JWK';
  }
}

/** The auth settings, and what is inconsistent between the variables (each its own code). */
export function authSettings(v: AuthValues): { readonly settings: AuthSettings; readonly violations: readonly Violation[] } {
  const settings: AuthSettings = {
    mode: v.authMode,
    jwksUrl: v.authJwksUrl,
    // A PEM pasted into a one-line variable often arrives with literal \n.
    publicKey: v.authPublicKey.replace(/\\n/g, '\n'),
    issuer: v.authIssuer,
    audiences: items(v.authAudience),
    rolesClaims: items(v.authRolesClaim),
    subjectClaim: v.authSubjectClaim,
    roleMapJson: v.authRoleMap,
    algorithms: v.authAlgorithms,
    clockSkewSeconds: v.authClockSkewSeconds,
    jwksCooldownMs: v.authJwksCooldownMs,
    openPaths: v.authOpenPaths,
    console: { clientId: v.authConsoleClientId, scopes: v.authConsoleScopes },
  };
  const violations: Violation[] = [];
  if (settings.publicKey !== '') {
    const problem = publicKeyProblem(settings.publicKey);
    if (problem) violations.push({ code: 'API_AUTH_PUBLIC_KEY_INVALID', variable: 'API_AUTH_PUBLIC_KEY', message: `API_AUTH_PUBLIC_KEY ${problem}.` });
  }
  if (settings.mode === 'JWT') {
    if (settings.issuer === '') violations.push({ code: 'API_AUTH_ISSUER_REQUIRED', variable: 'API_AUTH_ISSUER', message: 'API_AUTH_MODE=JWT needs API_AUTH_ISSUER.' });
    if (settings.audiences.length === 0) violations.push({ code: 'API_AUTH_AUDIENCE_REQUIRED', variable: 'API_AUTH_AUDIENCE', message: 'API_AUTH_MODE=JWT needs API_AUTH_AUDIENCE.' });
    if ((settings.jwksUrl === '') === (settings.publicKey === '')) {
      violations.push({
        code: 'API_AUTH_KEY_SOURCE_INVALID',
        variable: 'API_AUTH_JWKS_URL',
        message: `API_AUTH_MODE=JWT needs exactly one of API_AUTH_JWKS_URL and API_AUTH_PUBLIC_KEY (${settings.jwksUrl === '' ? 'neither is' : 'both are'} set).`,
      });
    }
  }
  return { settings, violations };
}
