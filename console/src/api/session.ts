/**
 * Who is using the console, kept for this browser tab only (sessionStorage): a bearer token to
 * send with every request (pasted, or from the OIDC sign-in), and — without authentication — the
 * actor id that decisions are recorded under. With authentication the actor is the token's
 * subject (./permissions.ts). See docs/console.md#signing-in.
 */
import { signal } from './signal.ts';

const TOKEN_KEY = 'dpm-console.token';
const ACTOR_KEY = 'dpm-console.actor';

function stored(key: string): string {
  try {
    return sessionStorage.getItem(key) ?? '';
  } catch {
    return ''; // storage disabled: the session lasts as long as the page
  }
}

function store(key: string, value: string): void {
  try {
    if (value === '') sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, value);
  } catch {
    // storage disabled: keep the value in memory only
  }
}

export const bearerToken = signal(stored(TOKEN_KEY));
export const actorId = signal(stored(ACTOR_KEY));
/** The code of the 401 that ended the last session (e.g. AUTH_TOKEN_EXPIRED); null while none did. */
export const sessionEndedBy = signal<string | null>(null);

export function setBearerToken(token: string): void {
  const value = token.trim().replace(/^Bearer\s+/i, '');
  store(TOKEN_KEY, value);
  bearerToken.set(value);
  sessionEndedBy.set(null);
}

/**
 * The service refused `token` (401): forget it, so every page asks to sign in again and says why.
 * A token replaced meanwhile (signed in again while the refused request was under way) is kept.
 */
export function endSession(token: string, code: string): void {
  if (token === '' || bearerToken.get() !== token) return;
  setBearerToken('');
  sessionEndedBy.set(code);
}

export function setActorId(actor: string): void {
  const value = actor.trim();
  store(ACTOR_KEY, value);
  actorId.set(value);
}
