/**
 * The one place an error becomes a response (docs/errors.md). Every body keeps the reference's
 * wire contract and adds our members next to it:
 *
 * - a catalogued `ReasonError` → its status, `{"detail": <catalogued detail>, "code", "message"}`,
 *   plus `Retry-After` when the catalogue gives one (a store outage also counts in
 *   `dpm_rebalance_store_errors_total`);
 * - a validation failure → 422 `{"detail": [{type, loc, msg, input, ctx?}], "code":
 *   "VALIDATION_ERROR", "message", "errors": [{field, code, message}]}` (FastAPI's list);
 * - anything else → 500 `application/problem+json` `{type, title, status, detail, instance}`,
 *   logged with the stack under the request's correlation id.
 *
 * No body carries a stack, a driver message, an internal address, a DSN or a Fastify code: a
 * 5xx message is the catalogue's meaning, and the details go to the log.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { REASON_CODES, ReasonError, type ReasonCode } from '../config/reason-codes.ts';
import { redactSecrets } from '../config/redact.ts';
import { logRequestCompleted } from './request-log.ts';
import type { RouteRegistry } from './route-registry.ts';
import { fieldList, itemsFromAjv, itemsFromProblems, RequestValidationError, type ValidationItem } from './validation-errors.ts';

export interface ErrorBody {
  readonly detail: string;
  readonly code: string;
  readonly message: string;
}

export interface ValidationErrorBody {
  readonly detail: readonly ValidationItem[];
  readonly code: 'VALIDATION_ERROR';
  readonly message: string;
  readonly errors: readonly { field: string; code: string; message: string }[];
}

export interface ProblemBody {
  readonly type: 'about:blank';
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance: string;
  readonly code: 'INTERNAL_ERROR';
  readonly message: string;
}

export const PROBLEM_JSON = 'application/problem+json';

/** The body of a catalogued error (also used for the OpenAPI examples, so they cannot drift). */
export function errorBody(error: ReasonError): ErrorBody {
  const { status = 500, meaning } = REASON_CODES[error.code];
  return { detail: error.detail, code: error.code, message: status >= 500 ? meaning : error.message };
}

export function validationBody(items: readonly ValidationItem[]): ValidationErrorBody {
  return { detail: items, code: 'VALIDATION_ERROR', message: 'The request is invalid; see detail.', errors: fieldList(items) };
}

export function problemBody(instance: string): ProblemBody {
  const entry = REASON_CODES.INTERNAL_ERROR;
  return {
    type: 'about:blank',
    title: 'Internal Server Error',
    status: 500,
    detail: entry.detail?.[0] ?? 'INTERNAL_ERROR',
    instance,
    code: 'INTERNAL_ERROR',
    message: entry.meaning,
  };
}

/** Fastify's own client errors, by their code, as catalogued codes. */
const FASTIFY_CODES: Readonly<Record<string, ReasonCode>> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  // A path that is not percent-encoded UTF-8 (frameworkErrors).
  FST_ERR_BAD_URL: 'BAD_REQUEST',
};

const send = (reply: FastifyReply, status: number, body: unknown, type = 'application/json; charset=utf-8'): void => {
  void reply.code(status).type(type).send(JSON.stringify(body));
};

function renderReasonError(error: ReasonError, request: FastifyRequest, reply: FastifyReply, onStoreUnavailable: (code: string) => void): void {
  const entry = REASON_CODES[error.code];
  if (error.code === 'VALIDATION_ERROR') {
    const items = error instanceof RequestValidationError ? error.items : itemsFromProblems(error.problems, request.body);
    send(reply, 422, validationBody(items));
    return;
  }
  const status = entry.status;
  if (status === undefined || status >= 500) {
    const log = { correlation_id: request.correlationId, code: error.fullCode, reason: redactSecrets(error.message) };
    if (status === undefined) {
      // A code that is not meant to reach a client (startup, CLI, store-internal): a bug here.
      request.log.error(log, 'Uncatalogued HTTP use of a reason code');
      renderUnexpected(request, reply);
      return;
    }
    if (entry.area === 'store') {
      // The store's outage log warns once per outage (src/stores/postgres/outage-log.ts); per request it is detail.
      request.log.debug(log, 'Request failed on a dependency');
      onStoreUnavailable(error.code);
    } else {
      request.log.warn(log, 'Request failed on a dependency');
    }
  }
  if (entry.retryAfter !== undefined) void reply.header('Retry-After', String(entry.retryAfter));
  if (entry.challenge !== undefined) void reply.header('WWW-Authenticate', entry.challenge);
  send(reply, status, errorBody(error));
}

function renderUnexpected(request: FastifyRequest, reply: FastifyReply): void {
  send(reply, 500, problemBody(request.url.split('?')[0] ?? '/'), PROBLEM_JSON);
}

/**
 * Query and header values as the client sent them: ajv coerces `?limit=0` to 0 before it
 * reports, while FastAPI's `input` is the text.
 */
function withRawInputs(items: readonly ValidationItem[], request: FastifyRequest): ValidationItem[] {
  const query = new URLSearchParams(request.url.split('?')[1] ?? '');
  return items.map((item) => {
    const [where, name] = item.loc;
    if (item.loc.length !== 2 || typeof name !== 'string') return item;
    if (where === 'query' && query.has(name)) return { ...item, input: query.get(name) };
    const header = where === 'header' ? request.raw.headers[name.toLowerCase()] : undefined;
    return typeof header === 'string' ? { ...item, input: header } : item;
  });
}

function asReasonError(error: FastifyError, request: FastifyRequest): ReasonError | undefined {
  if ('validation' in error && error.validation) {
    return new RequestValidationError(withRawInputs(itemsFromAjv(error.validation, error.validationContext ?? 'body'), request));
  }
  const status = error.statusCode;
  if (status === undefined || status < 400 || status >= 500) return undefined;
  const code = FASTIFY_CODES[error.code] ?? 'BAD_REQUEST';
  return new ReasonError(code, REASON_CODES[code].meaning);
}

/** Renders any error of a request: a catalogued one, a validation failure, Fastify's own, or the unexpected. */
export type ErrorRenderer = (error: FastifyError | ReasonError, request: FastifyRequest, reply: FastifyReply) => void;

export function errorRenderer(options: { readonly onStoreUnavailable?: (code: string) => void } = {}): ErrorRenderer {
  const onStoreUnavailable = options.onStoreUnavailable ?? (() => undefined);
  return (error, request, reply) => {
    const reason = error instanceof ReasonError ? error : asReasonError(error, request);
    if (reason) {
      renderReasonError(reason, request, reply, onStoreUnavailable);
      return;
    }
    request.log.error(
      { correlation_id: request.correlationId, err: { type: error.name, message: redactSecrets(error.message), stack: error.stack && redactSecrets(error.stack) } },
      'Unhandled error while serving request',
    );
    renderUnexpected(request, reply);
  };
}

/**
 * Fastify's `frameworkErrors`: a request the router could not take apart (a path that is not
 * percent-encoded UTF-8). No hook of ours runs for it, so the correlation id, the error code and the
 * completion line are set here.
 */
export function frameworkErrorHandler(render: ErrorRenderer): (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => void {
  return (error, request, reply) => {
    request.correlationId = request.id;
    void reply.header('X-Correlation-Id', request.id);
    const reason = asReasonError(error, request);
    request.errorCode = reason?.code ?? null;
    // Such a request runs no hooks, so its completion line is written here.
    reply.raw.once('finish', () => logRequestCompleted(null, request, reply));
    render(reason ?? error, request, reply);
  };
}

export interface ErrorHandlingOptions {
  readonly render: ErrorRenderer;
  readonly routes: RouteRegistry;
}

export function registerErrorHandling(app: FastifyInstance, options: ErrorHandlingOptions): void {
  const { render } = options;
  app.setNotFoundHandler((request, reply) => {
    const allowed = options.routes.methodsOf(request.url.split('?')[0] ?? '/');
    // A route that takes this method found nothing to serve (callNotFound, e.g. a missing console
    // asset): that is a 404, not a wrong method.
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    if (allowed.length === 0 || allowed.includes(method)) {
      render(new ReasonError('ROUTE_NOT_FOUND', `${request.method} ${request.url.split('?')[0] ?? '/'} does not exist.`), request, reply);
      return;
    }
    void reply.header('Allow', allowed.join(', '));
    render(new ReasonError('METHOD_NOT_ALLOWED', `${request.url.split('?')[0] ?? '/'} does not take ${request.method}.`), request, reply);
  });
  app.setErrorHandler(render);
}
