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
  return new ApiError(status, code, message, correlationId, listedProblems(json));
}

/** A request that never got an answer (network down, server gone). */
export function networkError(cause: unknown): ApiError {
  return new ApiError(0, 'NETWORK_ERROR', `The service did not answer: ${cause instanceof Error ? cause.message : String(cause)}`, null);
}
