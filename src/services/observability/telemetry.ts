/**
 * Tracing for the layers below the composition root. They use only the OpenTelemetry API, which
 * does nothing (and costs next to nothing) until src/app/tracing.ts registers the SDK — tracing is
 * off unless the OTEL_* variables turn it on (docs/operations.md#tracing-and-logs).
 */
import { SpanKind, SpanStatusCode, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';

export { SpanKind };

/** The instrumentation scope of every span this service makes. */
export const TRACER_NAME = 'dpm-rebalance-service';

export function tracer(): Tracer {
  return trace.getTracer(TRACER_NAME);
}

export interface SpanOptions {
  readonly kind?: SpanKind;
  readonly attributes?: Attributes;
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
