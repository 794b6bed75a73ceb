/**
 * What the log says about each request (docs/operations.md#tracing-and-logs): one completion line
 * with the route, status, error code and duration, and a debug line when it arrives. Every line of
 * a request — these, and whatever a route or the error handler logs through `request.log` — carries
 * the request's `correlation_id` and `trace_id`, bound once to its child logger (server.ts). The
 * URL is logged with the values of credential-like query parameters (`?token=…`) as `***`.
 */
import { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { redactUrl } from '../config/redact.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The `code` of the error body this request was answered with, if any. */
    errorCode: string | null;
  }
}

/** The log key of the correlation id (Fastify's request id). */
export const CORRELATION_ID_LOG_KEY = 'correlation_id';

/** `code` of a JSON error body, without caring how the error handler built it. */
function errorCodeIn(payload: string): string | null {
  try {
    const code = (JSON.parse(payload) as { code?: unknown } | null)?.code;
    return typeof code === 'string' ? code : null;
  } catch {
    return null;
  }
}

/** Remembers each error response's code for the completion line and the request span. */
export function registerErrorCodeCapture(app: FastifyInstance): void {
  app.decorateRequest('errorCode', null);
  app.addHook('onSend', (request, reply, payload, done) => {
    // Error bodies are small; successful ones (up to megabytes) are never parsed.
    if (reply.statusCode >= 400 && typeof payload === 'string') request.errorCode = errorCodeIn(payload);
    done(null, payload);
  });
}

/** Replaces Fastify's `incoming request` / `request completed` lines with the service's own. */
export class RequestLogController extends LogController {
  constructor() {
    super({ requestIdLogLabel: CORRELATION_ID_LOG_KEY });
  }

  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ method: request.method, url: redactUrl(request.url) }, 'request received');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    logRequestCompleted(error, request, reply);
  }
}

/** The completion line; also written for requests the router refused, which run no hooks (errors.ts). */
export function logRequestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
  const line = {
    method: request.method,
    route: request.routeOptions.url ?? null,
    url: redactUrl(request.url),
    status: reply.statusCode,
    error_code: request.errorCode,
    duration_ms: Math.round(reply.elapsedTime * 10) / 10,
  };
  // `error` is a failure writing the response (the client went away mid-body), not an error reply.
  if (error) reply.log.warn({ ...line, err: { message: error.message } }, 'request completed');
  else reply.log.info(line, 'request completed');
}
