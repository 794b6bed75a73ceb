/**
 * The trace context of each request (docs/operations.md#tracing-and-logs).
 *
 * A W3C `traceparent` from the caller is accepted: the request joins that trace, and its server
 * span — when tracing is on — is a child of the caller's span. The trace id goes on every log line
 * of the request, tracing on or off; without a `traceparent` and with tracing off, a fresh trace id
 * still groups the request's lines. Route handlers run inside the server span, so the engine and
 * store spans they cause are its children.
 *
 * The trace begins where Fastify creates the request's logger (`childLoggerFactory`), the first
 * moment the request is known, so its ids can be bound to the logger once.
 */
import type { IncomingMessage } from 'node:http';
import {
  context,
  defaultTextMapGetter,
  INVALID_SPAN_CONTEXT,
  isSpanContextValid,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_PATH,
} from '@opentelemetry/semantic-conventions';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { randomHex } from '../services/ids.ts';
import { tracer } from '../services/observability/telemetry.ts';

export interface RequestTrace {
  readonly traceId: string;
  /** The server span's id; undefined while tracing is off (or the trace is not sampled). */
  readonly spanId: string | undefined;
  readonly span: Span;
  /** The context route handlers run in: the server span active. */
  readonly context: Context;
}

declare module 'fastify' {
  interface FastifyRequest {
    requestTrace: RequestTrace;
  }
}

/** Span attributes of this service, next to the semantic conventions'. */
const ATTR_CORRELATION_ID = 'dpm.correlation_id';
export const ATTR_ERROR_CODE = 'dpm.error_code';

// Used directly rather than through the global propagator, so `traceparent` is honoured for the
// logs even while the tracing SDK is not registered.
const W3C = new W3CTraceContextPropagator();
const traces = new WeakMap<IncomingMessage, RequestTrace>();
/** Probes and scrapes, every few seconds from every replica: their lines are logged, but they make no spans. */
const UNTRACED_PATHS: ReadonlySet<string> = new Set(['/health/live', '/health/ready', '/metrics']);
/** An aborted request may still complete its response afterwards: its span ends once. */
const ended = new WeakSet<Span>();

function pathOf(url: string | undefined): string {
  const path = url ?? '/';
  const query = path.indexOf('?');
  return query === -1 ? path : path.slice(0, query);
}

/** Starts the request's trace (called once per request, from the logger factory). */
export function beginRequestTrace(raw: IncomingMessage, correlationId: string): RequestTrace {
  const parent = W3C.extract(ROOT_CONTEXT, raw.headers, defaultTextMapGetter);
  const method = raw.method ?? 'HTTP';
  const path = pathOf(raw.url);
  const span = UNTRACED_PATHS.has(path)
    ? trace.wrapSpanContext(trace.getSpanContext(parent) ?? INVALID_SPAN_CONTEXT)
    : tracer().startSpan(method, { kind: SpanKind.SERVER, attributes: { [ATTR_HTTP_REQUEST_METHOD]: method, [ATTR_URL_PATH]: path, [ATTR_CORRELATION_ID]: correlationId } }, parent);
  const own = span.spanContext();
  const traceId = isSpanContextValid(own) ? own.traceId : (trace.getSpanContext(parent)?.traceId ?? randomHex(16));
  const started: RequestTrace = { traceId, spanId: span.isRecording() ? own.spanId : undefined, span, context: trace.setSpan(parent, span) };
  traces.set(raw, started);
  return started;
}

/** The log fields of a request's trace. */
export function traceLogFields(requestTrace: RequestTrace): Record<string, string> {
  return requestTrace.spanId === undefined ? { trace_id: requestTrace.traceId } : { trace_id: requestTrace.traceId, span_id: requestTrace.spanId };
}

function finish(request: FastifyRequest, status: number | undefined): void {
  const { span } = request.requestTrace;
  if (!span.isRecording() || ended.has(span)) return;
  ended.add(span);
  const route = request.routeOptions.url;
  if (route !== undefined) {
    span.updateName(`${request.method} ${route}`);
    span.setAttribute(ATTR_HTTP_ROUTE, route);
  }
  if (status === undefined) {
    span.setAttribute(ATTR_ERROR_TYPE, 'aborted');
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'client aborted the request' });
  } else {
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
    if (request.errorCode !== null) span.setAttribute(ATTR_ERROR_CODE, request.errorCode);
    // Server spans fail on 5xx only: a 4xx is the caller's mistake, answered correctly.
    if (status >= 500) {
      span.setAttribute(ATTR_ERROR_TYPE, String(status));
      span.setStatus({ code: SpanStatusCode.ERROR, message: request.errorCode ?? String(status) });
    }
  }
  span.end();
}

/** Hooks that attach each request's trace, run its handler inside it, and end its span. */
export function registerRequestTracing(app: FastifyInstance): void {
  app.decorateRequest('requestTrace', null as unknown as RequestTrace);
  app.addHook('onRequest', (request, _reply, done) => {
    request.requestTrace = traces.get(request.raw) ?? beginRequestTrace(request.raw, request.id);
    done();
  });
  app.addHook('onRoute', (route) => {
    const handler = route.handler;
    route.handler = function traced(this: FastifyInstance, request, reply) {
      return context.with(request.requestTrace.context, handler, this, request, reply);
    };
  });
  app.addHook('onResponse', (request, reply, done) => {
    finish(request, reply.statusCode);
    done();
  });
  app.addHook('onRequestAbort', (request, done) => {
    finish(request, undefined);
    done();
  });
}
