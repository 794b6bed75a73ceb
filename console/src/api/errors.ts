/**
 * Every failed call becomes one ApiError: the HTTP status, the reason code, the message, the
 * field errors of a validation failure and the response's X-Correlation-Id, which is what an
 * operator quotes when they ask for the log lines. The body may be the service's
 * `{detail, code, message, errors}` or a bare `{detail}` (a string, or FastAPI's list of
 * `{loc, msg, type}`), so both are read.
 */
export interface FieldProblem {
  readonly field: string;
  readonly code: string;
  readonly message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly correlationId: string | null,
    readonly fields: readonly FieldProblem[] = [],
    /** The body's `detail` (`<CODE>:<what>`, e.g. `AUTH_PERMISSION_DENIED:runs.review`). */
    readonly detail: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function listedProblems(body: Json): FieldProblem[] {
  if (Array.isArray(body['errors'])) {
    return body['errors'].filter(isObject).map((e) => ({ field: String(e['field'] ?? ''), code: String(e['code'] ?? ''), message: String(e['message'] ?? '') }));
  }
  if (Array.isArray(body['detail'])) {
    return body['detail'].filter(isObject).map((e) => ({
      field: Array.isArray(e['loc']) ? e['loc'].join('.') : String(e['loc'] ?? ''),
      code: String(e['type'] ?? ''),
      message: String(e['msg'] ?? ''),
    }));
  }
  return [];
}

export function apiErrorFrom(status: number, body: unknown, correlationId: string | null): ApiError {
  const json = isObject(body) ? body : {};
  const detail = typeof json['detail'] === 'string' ? json['detail'] : undefined;
  const code = typeof json['code'] === 'string' ? json['code'] : (detail?.split(':')[0]?.trim() ?? `HTTP_${status}`);
  const message = typeof json['message'] === 'string' ? json['message'] : (detail ?? (typeof body === 'string' && body !== '' ? body : `HTTP ${status}`));
  return new ApiError(status, code, message, correlationId, listedProblems(json), detail ?? null);
}

/**
 * What a 401 or 403 means for the person at the screen (docs/console.md#signing-in), said next to
 * the code; null for other failures, whose message says enough.
 */
export function refusalHint(error: ApiError): string | null {
  if (error.status === 401) return 'The service did not accept your sign-in: sign in again (see the notice at the top of the page).';
  if (error.status !== 403) return null;
  switch (error.code) {
    case 'AUTH_PERMISSION_DENIED': {
      const permission = error.detail?.split(':')[1];
      return `Your roles do not grant ${permission ? `the permission ${permission}` : 'the permission this needs'}; ask for the role that does, or for a colleague who has it.`;
    }
    case 'SEGREGATION_OF_DUTIES_VIOLATION':
      return 'Four-eyes: whoever wrote a proposal or requested a run cannot approve it. Someone else must decide; the attempt is recorded as refused.';
    case 'AUTH_ACTOR_MISMATCH':
      return 'The actor sent is not the signed-in subject; decisions are recorded under who is signed in.';
    default:
      return 'The service does not permit this to you.';
  }
}

/** A request that never got an answer (network down, server gone). */
export function networkError(cause: unknown): ApiError {
  return new ApiError(0, 'NETWORK_ERROR', `The service did not answer: ${cause instanceof Error ? cause.message : String(cause)}`, null);
}
