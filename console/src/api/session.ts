/**
 * Who is using the console, kept for this browser tab only (sessionStorage): a bearer token to
 * send with every request, and the actor id that decisions are recorded under.
 *
 * Authentication does not exist in the API yet; when it does, the token comes from here (pasted,
 * or later from an OIDC sign-in) and the actor is the token's subject. See docs/console.md.
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

export function setBearerToken(token: string): void {
  const value = token.trim().replace(/^Bearer\s+/i, '');
  store(TOKEN_KEY, value);
  bearerToken.set(value);
}

export function setActorId(actor: string): void {
  const value = actor.trim();
  store(ACTOR_KEY, value);
  actorId.set(value);
}
