/**
 * Tracing for the layers below the composition root. They use only the OpenTelemetry API, which
 * does nothing (and costs next to nothing) until src/app/tracing.ts registers the SDK — tracing is
 * off unless the OTEL_* variables turn it on (docs/operations.md#tracing-and-logs).
 */
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Link, type Span, type Tracer } from '@opentelemetry/api';

export { SpanKind };

/** The instrumentation scope of every span this service makes. */
export const TRACER_NAME = 'dpm-rebalance-service';

export function tracer(): Tracer {
  return trace.getTracer(TRACER_NAME);
}

export interface SpanOptions {
  readonly kind?: SpanKind;
  readonly attributes?: Attributes;
  readonly links?: Link[];
}

/** Marks the span failed with the error (its type and message; no stack in attributes). */
export function recordFailure(span: Span, error: unknown): void {
  if (error instanceof Error) span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : String(error) });
}

/**
 * Runs `work` in a child span of the active one. The span ends when `work` returns or, if it
 * returns a promise, when that settles; a failure marks the span and is passed on unchanged.
 */
export function withSpan<T>(name: string, options: SpanOptions, work: (span: Span) => T): T {
  return tracer().startActiveSpan(name, options, (span) => {
    const fail = (error: unknown): never => {
      recordFailure(span, error);
      span.end();
      throw error;
    };
    let result: T;
    try {
      result = work(span);
    } catch (error) {
      return fail(error);
    }
    if (result instanceof Promise) {
      return result.then((value: unknown) => {
        span.end();
        return value;
      }, fail) as T;
    }
    span.end();
    return result;
  });
}

/** W3C trace-context headers (`traceparent`, and `tracestate` when there is one) kept with work that runs later. */
export type TraceCarrier = Readonly<Record<string, string>>;

/** The active trace as a carrier, to store with deferred work; undefined when no trace is active (or tracing is off). */
export function activeTraceCarrier(): TraceCarrier | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier['traceparent'] === undefined ? undefined : carrier;
}

/** The carrier kept in a stored request (`trace_context`), if it holds one. */
export function storedTraceCarrier(stored: unknown): TraceCarrier | undefined {
  if (stored === null || typeof stored !== 'object') return undefined;
  const carrier = (stored as { trace_context?: unknown }).trace_context;
  if (carrier === null || typeof carrier !== 'object') return undefined;
  return Object.values(carrier).every((value) => typeof value === 'string') ? (carrier as TraceCarrier) : undefined;
}

/**
 * Runs deferred work (an async operation) in a span that continues the trace it was submitted in
 * (docs/operations.md#tracing-and-logs): a background worker's span becomes a child of the
 * submitting request's span; work run inside another trace (the execute route) stays a child of
 * that one and links to the submitter. Without a carrier it is a plain span.
 */
export function withSubmittedTrace<T>(carrier: TraceCarrier | undefined, name: string, options: SpanOptions, work: (span: Span) => T): T {
  const submitted = carrier === undefined ? undefined : trace.getSpanContext(propagation.extract(ROOT_CONTEXT, carrier));
  if (submitted === undefined) return withSpan(name, options, work);
  const active = trace.getActiveSpan()?.spanContext();
  if (active === undefined) return context.with(trace.setSpanContext(context.active(), submitted), () => withSpan(name, options, work));
  if (active.traceId === submitted.traceId) return withSpan(name, options, work);
  return withSpan(name, { ...options, links: [...(options.links ?? []), { context: submitted }] }, work);
}
