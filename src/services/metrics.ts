/**
 * The service's Prometheus metrics, in one registry per app (so two apps in one process — as in
 * tests — never share counters). Services count domain outcomes; the HTTP layer counts requests.
 * Counters are per process; Prometheus sums them across replicas.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface ServiceMetrics {
  readonly registry: Registry;
  /** Requests by method, route pattern (never the raw URL, which would explode cardinality) and status. */
  readonly httpRequests: Counter<'method' | 'route' | 'status_code'>;
  readonly httpRequestDuration: Histogram<'method' | 'route' | 'status_code'>;
  /** Simulations this process computed and recorded, by the run's status (READY, PENDING_REVIEW, BLOCKED). */
  readonly dpmSimulations: Counter<'status'>;
  readonly dpmIdempotentReplays: Counter;
  readonly dpmIdempotencyConflicts: Counter;
  /** Async operations this process moved into a state (PENDING on accept, RUNNING on claim, then SUCCEEDED or FAILED). */
  readonly dpmAsyncOperations: Counter<'state'>;
  /** Requests answered 503 because a store was unavailable, by reason code. */
  readonly storeErrors: Counter<'code'>;
  /** Engine calls by where they ran (inline, pool) and how they ended (ok, error, queue_full, timeout, cancelled). */
  readonly engineCalls: Counter<'path' | 'outcome'>;
  /** Engine calls in the worker pool now, running or waiting. */
  readonly enginePoolInFlight: Gauge;
}

export function createServiceMetrics(): ServiceMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({ name: 'http_requests_total', help: 'HTTP requests served.', labelNames: ['method', 'route', 'status_code'], registers }),
    httpRequestDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency.',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    dpmSimulations: new Counter({ name: 'dpm_simulations_total', help: 'DPM simulations computed and recorded, by run status.', labelNames: ['status'], registers }),
    dpmIdempotentReplays: new Counter({ name: 'dpm_idempotent_replays_total', help: 'Simulate calls answered with the stored run of their Idempotency-Key.', registers }),
    dpmIdempotencyConflicts: new Counter({
      name: 'dpm_idempotency_conflicts_total',
      help: 'Simulate calls refused because their Idempotency-Key was used with another request.',
      registers,
    }),
    dpmAsyncOperations: new Counter({ name: 'dpm_async_operations_total', help: 'Async operation state changes made by this process.', labelNames: ['state'], registers }),
    storeErrors: new Counter({ name: 'store_errors_total', help: 'Requests answered 503 because a store was unavailable.', labelNames: ['code'], registers }),
    engineCalls: new Counter({ name: 'engine_calls_total', help: 'Engine calls by path (inline, pool) and outcome.', labelNames: ['path', 'outcome'], registers }),
    enginePoolInFlight: new Gauge({ name: 'engine_pool_in_flight', help: 'Engine calls in the worker pool, running or waiting.', registers }),
  };
}
