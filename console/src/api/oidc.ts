/**
 * Signing in with the bank's identity provider (docs/console.md#signing-in): the OAuth 2.0
 * authorization code flow with PKCE (RFC 7636) for a public client — no client secret in the
 * browser. The provider's endpoints come from its discovery document; the code verifier and the
 * state live in sessionStorage only between leaving for the provider and coming back to
 * /console/auth/callback, where the code is exchanged for an access token that becomes the
 * session's bearer token.
 */
import type { ConsoleAccessConfig } from '../../../src/domain/access/console-config.ts';
import { setBearerToken } from './session.ts';

type Oidc = NonNullable<ConsoleAccessConfig['oidc']>;

export const CALLBACK_PATH = '/console/auth/callback';
const PENDING_KEY = 'dpm-console.sign-in';

interface Pending {
  readonly state: string;
  readonly verifier: string;
  readonly returnTo: string;
}

interface Discovery {
  readonly authorization_endpoint: string;
  readonly token_endpoint: string;
}

const base64url = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const randomText = (): string => base64url(crypto.getRandomValues(new Uint8Array(32)));
const redirectUri = (): string => `${location.origin}${CALLBACK_PATH}`;

async function discover(oidc: Oidc): Promise<Discovery> {
  const response = await fetch(`${oidc.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`, { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`The identity provider's discovery document answered ${response.status}.`);
  return (await response.json()) as Discovery;
}

/** Leaves for the provider's sign-in page; `returnTo` is where the console comes back to. */
export async function signIn(oidc: Oidc, returnTo: string): Promise<void> {
  const { authorization_endpoint } = await discover(oidc);
  const pending: Pending = { state: randomText(), verifier: randomText(), returnTo };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(pending.verifier))));
  const url = new URL(authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: oidc.client_id,
    redirect_uri: redirectUri(),
    scope: oidc.scopes,
    state: pending.state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
}

/**
 * Back from the provider: checks the state, exchanges the code (with the verifier) for an access
 * token and keeps it. Resolves with where to go next; rejects with what went wrong.
 */
export async function completeSignIn(oidc: Oidc, query: URLSearchParams): Promise<string> {
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? 'null') as Pending | null;
  sessionStorage.removeItem(PENDING_KEY);
  const refused = query.get('error');
  if (refused) throw new Error(`The identity provider refused the sign-in: ${refused}${query.get('error_description') ? ` (${query.get('error_description')})` : ''}.`);
  if (!pending || query.get('state') !== pending.state) throw new Error('This sign-in was not started here (state mismatch); sign in again.');
  const { token_endpoint } = await discover(oidc);
  const response = await fetch(token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: query.get('code') ?? '',
      redirect_uri: redirectUri(),
      client_id: oidc.client_id,
      code_verifier: pending.verifier,
    }),
  });
  const answer = (await response.json().catch(() => ({}))) as { access_token?: string; error?: string };
  if (!response.ok || !answer.access_token) throw new Error(`The identity provider did not issue a token (${answer.error ?? `HTTP ${response.status}`}).`);
  setBearerToken(answer.access_token);
  return pending.returnTo;
}
