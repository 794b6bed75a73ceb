/**
 * The one way the console calls the service: openapi-fetch over the generated `paths` types, with
 * relative URLs (so the console works against whichever replica served it) and one middleware
 * that adds the bearer token to every request and, when the service wants a token and refuses the
 * one sent (401), ends the session so every page asks to sign in again (docs/console.md#signing-in).
 * `unwrap` turns every failure into an ApiError.
 */
import createClient from 'openapi-fetch';
import type { paths } from './schema';
import { apiErrorFrom, networkError } from './errors.ts';
import { accessConfig } from './permissions.ts';
import { bearerToken, endSession } from './session.ts';

export const api = createClient<paths>({ baseUrl: '' });

api.use({
  onRequest({ request }) {
    const token = bearerToken.get();
    if (token !== '') request.headers.set('authorization', `Bearer ${token}`);
    return request;
  },
  async onResponse({ request, response }) {
    // Without authentication a 401 is the policy-pack admin token's refusal: the session stays.
    if (response.status !== 401 || accessConfig.get().mode !== 'JWT') return response;
    const sent = (request.headers.get('authorization') ?? '').replace(/^Bearer\s+/i, '');
    const answer: unknown = await response
      .clone()
      .json()
      .catch(() => null);
    endSession(sent, apiErrorFrom(401, answer, null).code);
    return response;
  },
});

export interface Answer<T> {
  readonly data: T;
  readonly response: Response;
}

type FetchResult<T> = { data?: T; error?: unknown; response: Response };

/** Awaits an openapi-fetch call; resolves with the body, or rejects with an ApiError. */
export async function unwrap<T>(call: Promise<FetchResult<T>>): Promise<Answer<T>> {
  let result: FetchResult<T>;
  try {
    result = await call;
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw networkError(cause);
  }
  const { response } = result;
  if (!response.ok || result.error !== undefined) throw apiErrorFrom(response.status, result.error, response.headers.get('x-correlation-id'));
  return { data: result.data as T, response };
}

/** Shorthand when only the body matters. */
export async function body<T>(call: Promise<FetchResult<T>>): Promise<T> {
  return (await unwrap(call)).data;
}
