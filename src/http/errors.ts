/**
 * One error body for the whole API: `{ detail, code, message, errors? }`. `detail` carries the
 * code as the reference's clients expect (`{"detail": "<CODE>"}`); `errors` lists every bad
 * field of a validation failure. Nothing here ever leaks a stack trace or a DSN.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { REASON_CODES, ReasonError, type ReasonCode } from '../config/reason-codes.ts';
import { redactSecrets } from '../config/redact.ts';

export interface FieldError {
  readonly field: string;
  readonly code: string;
  readonly message: string;
}

export interface ErrorBody {
  readonly detail: string;
  readonly code: string;
  readonly message: string;
  readonly errors?: readonly FieldError[];
}

/** An error a route throws on purpose: it becomes `status` with this code. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly fieldErrors?: readonly FieldError[],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function errorBody(code: string, message: string, errors?: readonly FieldError[]): ErrorBody {
  return errors === undefined ? { detail: code, code, message } : { detail: code, code, message, errors };
}

/** ajv's `instancePath` (`/a/0/b`) plus its `missingProperty` → `body.a[0].b`. */
function fieldPath(context: string, instancePath: string, params: Record<string, unknown>): string {
  const parts = instancePath.split('/').filter(Boolean);
  if (typeof params['missingProperty'] === 'string') parts.push(params['missingProperty']);
  if (typeof params['additionalProperty'] === 'string') parts.push(params['additionalProperty']);
  return parts.reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : `${path}.${part}`), context);
}

function validationErrors(error: FastifyError): FieldError[] {
  const context = error.validationContext ?? 'body';
  return (error.validation ?? []).map((v) => ({
    field: fieldPath(context, v.instancePath, v.params as Record<string, unknown>),
    code: v.keyword,
    message: v.message ?? 'is invalid',
  }));
}

/** Seconds a client should wait before retrying when a database is unavailable or timed out. */
export const RETRY_AFTER_SECONDS = 5;

/** A busy engine pool drains within a second or so (docs/operations.md#engine-worker-pool). */
export const ENGINE_RETRY_AFTER_SECONDS = 1;

const isEngineCode = (code: ReasonCode): boolean => REASON_CODES[code].area === 'engine';

/**
 * The HTTP status of a reason code a service or store raised, by the code's family. A code
 * outside these families is a bug and stays a 500.
 */
export function statusForReason(code: ReasonCode): number | undefined {
  if (code.endsWith('_POSTGRES_UNAVAILABLE') || code.endsWith('_POSTGRES_CONNECTION_FAILED') || code.endsWith('_POSTGRES_TIMEOUT') || isEngineCode(code)) return 503;
  if (code.endsWith('_INVALID_CURSOR')) return 400;
  if (code.endsWith('_NOT_FOUND')) return 404;
  if (code.endsWith('_CONFLICT')) return 409;
  return undefined;
}

/** `onStoreUnavailable` hears every 503 caused by a store outage (for metrics). */
export function registerErrorHandling(app: FastifyInstance, onStoreUnavailable: (code: string) => void = () => {}): void {
  app.setNotFoundHandler((request, reply) => {
    const code: ReasonCode = 'ROUTE_NOT_FOUND';
    void reply.code(404).send(errorBody(code, `${request.method} ${request.url} does not exist.`));
  });

  app.setErrorHandler((error: FastifyError | HttpError | ReasonError, request, reply) => {
    if (error instanceof HttpError) {
      void reply.headers(error.headers).code(error.statusCode).send(errorBody(error.code, error.message, error.fieldErrors));
      return;
    }
    if (error instanceof ReasonError) {
      const status = statusForReason(error.code);
      if (status !== undefined) {
        if (status === 503 && isEngineCode(error.code)) {
          request.log.warn({ code: error.fullCode, reason: error.message }, 'Engine unavailable');
          void reply.header('Retry-After', String(ENGINE_RETRY_AFTER_SECONDS));
        } else if (status === 503) {
          onStoreUnavailable(error.fullCode);
          // The store's outage log warns once per outage (src/stores/postgres/outage-log.ts); per request it is detail.
          request.log.debug({ code: error.fullCode, reason: redactSecrets(error.message) }, 'Store unavailable');
          void reply.header('Retry-After', String(RETRY_AFTER_SECONDS));
        }
        void reply.code(status).send(errorBody(error.fullCode, redactSecrets(error.message)));
        return;
      }
    }
    if ('validation' in error && error.validation) {
      const code: ReasonCode = 'VALIDATION_ERROR';
      void reply.code(422).send(errorBody(code, 'The request is invalid; see errors.', validationErrors(error)));
      return;
    }
    const status = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status >= 400 && status < 500) {
      // Fastify's own client errors (bad JSON, wrong content type, body too large).
      const code = 'code' in error && typeof error.code === 'string' ? error.code : 'BAD_REQUEST';
      void reply.code(status).send(errorBody(code, redactSecrets(error.message)));
      return;
    }
    request.log.error({ err: { message: redactSecrets(error.message), stack: error.stack && redactSecrets(error.stack) } }, 'Unhandled error while serving request');
    const code: ReasonCode = 'INTERNAL_ERROR';
    void reply.code(500).send(errorBody(code, REASON_CODES[code].meaning));
  });
}
