/**
 * Bearer access tokens checked with `jose` (docs/security.md#how-a-token-is-checked): the signature
 * against the identity provider's keys, with an algorithm from API_AUTH_ALGORITHMS only (never
 * `none`, never HMAC), then `iss`, `aud`, `exp` (required), `nbf` and `iat` with the configured
 * clock skew, then a subject at API_AUTH_SUBJECT_CLAIM.
 *
 * Keys come from one configured public key, or from a JWKS URL through jose's remote key set:
 * cached (10 minutes), fetched again when a token names a key id it does not know (a rotation) —
 * at most once per API_AUTH_JWKS_COOLDOWN_MS, so tokens with made-up key ids cannot flood the
 * identity provider. When a refresh fails (the provider is down), the keys fetched last keep
 * being used, and the next attempt waits for the cooldown instead of delaying every request; with
 * no keys at all the answer is 503 AUTH_JWKS_UNAVAILABLE.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type CryptoKey, type JWSHeaderParameters, type JWTPayload } from 'jose';
import type { AuthSettings } from '../../config/auth.ts';
import { ReasonError } from '../../config/reason-codes.ts';
import { rolesFromClaims, subjectFromClaims } from '../../domain/access/claims.ts';

export interface VerifiedToken {
  readonly subject: string;
  readonly roles: readonly string[];
}

export interface TokenVerifier {
  /** The subject and roles of a valid token; throws AUTH_TOKEN_INVALID / AUTH_TOKEN_EXPIRED / AUTH_JWKS_UNAVAILABLE. */
  verify(token: string): Promise<VerifiedToken>;
}

type KeyResolver = (header: JWSHeaderParameters) => Promise<CryptoKey | KeyObject>;

/** How long fetched keys are used before they are fetched again (an unknown key id refetches sooner). */
const JWKS_MAX_AGE_MS = 10 * 60_000;
const JWKS_TIMEOUT_MS = 5_000;

/** Errors that are about the token, not about fetching the key set. */
const isTokenProblem = (error: unknown): boolean =>
  error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys || error instanceof errors.JOSENotSupported;

function remoteKeys(url: string, cooldownMs: number, now: () => number): KeyResolver {
  const remote = createRemoteJWKSet(new URL(url), { cooldownDuration: cooldownMs, cacheMaxAge: JWKS_MAX_AGE_MS, timeoutDuration: JWKS_TIMEOUT_MS });
  let failedAt: number | undefined;
  let lastGood: ReturnType<typeof createLocalJWKSet> | undefined;
  return async (header) => {
    if (lastGood && failedAt !== undefined && now() - failedAt < cooldownMs) return lastGood(header);
    try {
      const key = await remote(header);
      failedAt = undefined;
      return key;
    } catch (error) {
      if (isTokenProblem(error)) throw error;
      failedAt = now();
      const keys = remote.jwks();
      if (!keys) throw new ReasonError('AUTH_JWKS_UNAVAILABLE', 'The signing keys of the identity provider (API_AUTH_JWKS_URL) could not be fetched.', { cause: error });
      lastGood = createLocalJWKSet(keys);
      return lastGood(header);
    }
  };
}

function configuredKey(text: string): KeyResolver {
  const key = text.startsWith('{') ? createPublicKey({ key: JSON.parse(text) as never, format: 'jwk' }) : createPublicKey(text);
  return async () => key;
}

/** A refusal a client can act on; jose's messages name the failed check and hold no secret. */
function refusal(error: unknown): ReasonError {
  if (error instanceof ReasonError) return error;
  if (error instanceof errors.JWTExpired) return new ReasonError('AUTH_TOKEN_EXPIRED', 'The bearer token has expired; obtain a new one.');
  const reason = error instanceof errors.JOSEError ? error.message : 'the token cannot be read';
  return new ReasonError('AUTH_TOKEN_INVALID', `The bearer token is not valid here: ${reason}.`);
}

export function createTokenVerifier(settings: AuthSettings, now: () => number = Date.now): TokenVerifier {
  const keys = settings.jwksUrl !== '' ? remoteKeys(settings.jwksUrl, settings.jwksCooldownMs, now) : configuredKey(settings.publicKey);
  const options = {
    issuer: settings.issuer,
    audience: [...settings.audiences],
    algorithms: [...settings.algorithms],
    clockTolerance: settings.clockSkewSeconds,
    requiredClaims: ['exp'],
  };
  return {
    async verify(token) {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keys, options));
      } catch (error) {
        throw refusal(error);
      }
      const subject = subjectFromClaims(payload, settings.subjectClaim);
      if (subject === null) throw new ReasonError('AUTH_TOKEN_INVALID', `The bearer token has no subject (claim ${settings.subjectClaim}).`);
      return { subject, roles: rolesFromClaims(payload, settings.rolesClaims) };
    },
  };
}
