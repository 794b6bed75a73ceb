/**
 * The service's Prometheus metrics (docs/operations.md#metrics), built in one function so each app
 * has its own registry (two apps in one process — as in tests — never share counters) and a
 * cluster primary can aggregate its workers' registries with prom-client's AggregatorRegistry
 * (each worker calls `AggregatorRegistry.setRegistries(metrics.registry)`; every gauge below says
 * how its values combine across processes).
 *
 * Names follow Prometheus's conventions: one prefix, `dpm_rebalance_`, base units in the name,
 * `_total` on counters. Labels take bounded values only — route patterns, catalogue codes,
 * states, store names — never ids. Three kinds of family:
 *
 * - counted where things happen: the HTTP layer and the services (through observers the app
 *   passes in, metric-observers.ts);
 * - set when they change: the engine pool's calls in flight;
 * - read at scrape time (`collect`): PostgreSQL pool clients, store outages and the async queue
 *   depth, from the sources `observe()` is given once the app has built them.
 */
import { Counter, Gauge, Histogram, collectDefaultMetrics, type Aggregator } from 'prom-client';
import type { RunnableCount } from '../../stores/sql/operation-leases.ts';
import { RegistryWithFormerNames } from './metric-former-names.ts';

export const METRIC_PREFIX = 'dpm_rebalance_';

/**
 * The families of the previous release, which had these names without the prefix; exported under
 * both for one release (metric-former-names.ts), as are prom-client's runtime metrics.
 */
export const RENAMED_FAMILIES: readonly string[] = [
  'http_requests_total',
  'http_request_duration_seconds',
  'dpm_simulations_total',
  'dpm_idempotent_replays_total',
  'dpm_idempotency_conflicts_total',
  'dpm_async_operations_total',
  'store_errors_total',
  'engine_calls_total',
  'engine_pool_in_flight',
];

/** Where async operations come from: DPM analyze batches, proposal creates and versions. */
export type OperationKind = 'dpm' | 'proposal';
export type CreateMode = 'sync' | 'async';

/** The build that runs, as `build_info` labels it. */
export interface BuildLabels {
  readonly version: string;
  /** Null when neither a build record nor a git checkout says (labelled `unknown`). */
  readonly commit: string | null;
}

/** A PostgreSQL pool now, with every store it serves (stores sharing a DSN share one pool). */
export interface PoolReading {
  readonly stores: readonly string[];
  readonly total: number;
  readonly idle: number;
  readonly waiting: number;
  readonly max: number;
}

/** What the scrape-time families read; each is optional, and a family without its source has no samples. */
export interface ScrapeSources {
  readonly pools?: () => readonly PoolReading[];
  /** Each PostgreSQL store and whether the outage log has it down now. */
  readonly outages?: () => readonly { readonly store: string; readonly down: boolean }[];
  /** Counts the runnable operations of a kind in its store. */
  readonly runnable?: Partial<Readonly<Record<OperationKind, (now: string) => Promise<RunnableCount>>>>;
}

export interface EnginePoolLimits {
  /** ENGINE_WORKER_THREADS (0: every call inline). */
  readonly threads: number;
  /** ENGINE_QUEUE_MAX. */
  readonly queueMax: number;
}

export interface ServiceMetrics {
  readonly registry: RegistryWithFormerNames;
  /** Requests by method, route pattern (never the raw URL) and status. */
  readonly httpRequests: Counter<'method' | 'route' | 'status_code'>;
  readonly httpRequestDuration: Histogram<'method' | 'route' | 'status_code'>;
  /** Simulations this process computed and recorded, by the run's status (READY, PENDING_REVIEW, BLOCKED). */
  readonly dpmSimulations: Counter<'status'>;
  readonly dpmIdempotentReplays: Counter;
  readonly dpmIdempotencyConflicts: Counter;
  /** DPM async operations this process moved into a state (PENDING on accept, RUNNING on claim, then SUCCEEDED or FAILED). */
  readonly dpmAsyncOperations: Counter<'state'>;
  /** Requests answered 503 because a store was unavailable, by reason code. */
  readonly storeErrors: Counter<'code'>;
  /** Engine calls by where they ran (inline, pool) and how they ended (ok, error, queue_full, timeout, cancelled). */
  readonly engineCalls: Counter<'path' | 'outcome'>;
  /** Proposal creates and new versions by mode and outcome: created, replayed, or the reason code that refused it. */
  readonly proposalCreates: Counter<'mode' | 'outcome'>;
  readonly proposalVersionCreates: Counter<'mode' | 'outcome'>;
  /** Workflow events written, by event type and the state the proposal moved to. */
  readonly proposalTransitions: Counter<'event' | 'to_state'>;
  readonly proposalApprovals: Counter<'approval_type' | 'decision'>;
  /** POST /rebalance/proposals/simulate and /artifact by outcome: simulated, replayed, or the reason code. */
  readonly proposalSimulations: Counter<'endpoint' | 'outcome'>;
  /** Async operations this process took under a lease, and how many of those were takeovers of a lapsed lease. */
  readonly asyncClaims: Counter<'kind'>;
  readonly asyncLeaseTakeovers: Counter<'kind'>;
  /** Async operations this process finished as lease holder, by final status. */
  readonly asyncFinished: Counter<'kind' | 'status'>;
  /** The engine pool's limits (once) and its calls in flight (on every change: the pool's `inFlight` observer). */
  engineLimits(limits: EnginePoolLimits): void;
  engineInFlight(count: number): void;
  /** Hands the scrape-time families their sources (once the app has opened the stores). */
  observe(sources: ScrapeSources): void;
}

/**
 * A scrape waits at most this long for the queue-depth counts. Prometheus's default scrape
 * timeout is 10 s and a slow count must not cost the whole scrape: past this the family has no
 * samples for that kind (the outage gauge says why, when it is an outage).
 */
const SCRAPE_QUERY_LIMIT_MS = 2_000;

/**
 * `query` with at most one call in flight (a scrape arriving while the last count still runs
 * joins it, so a slow database never piles up counts), waited on for at most `limitMs`;
 * undefined when it failed or took longer.
 */
function boundedQuery<T>(query: () => Promise<T>, limitMs: number): () => Promise<T | undefined> {
  let running: Promise<T | undefined> | undefined;
  return async () => {
    running ??= query()
      .catch(() => undefined)
      .finally(() => {
        running = undefined;
      });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), limitMs).unref();
    });
    try {
      return await Promise.race([running, late]);
    } finally {
      clearTimeout(timer);
    }
  };
}

export function createServiceMetrics(build: BuildLabels = { version: 'unknown', commit: null }): ServiceMetrics {
  const registry = new RegistryWithFormerNames(
    METRIC_PREFIX,
    RENAMED_FAMILIES.map((name) => METRIC_PREFIX + name),
  );
  const registers = [registry];
  // Process and Node.js runtime metrics, prefixed like every other family.
  collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
  registry.renamed(registry.getMetricsAsArray().map((metric) => metric.name));

  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> =>
    new Counter<L>({ name: METRIC_PREFIX + name, help, labelNames, registers });
  const gauge = <L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    aggregator: Aggregator,
    collect?: (this: Gauge<L>) => void | Promise<void>,
  ): Gauge<L> => new Gauge<L>({ name: METRIC_PREFIX + name, help, labelNames, registers, aggregator, ...(collect ? { collect } : {}) });

  let sources: ScrapeSources = {};
  const runnableCounts = new Map<OperationKind, () => Promise<RunnableCount | undefined>>();

  gauge('build_info', 'The running build: package version, git commit and Node.js version; always 1.', ['version', 'commit', 'node_version'], 'first').set(
    { version: build.version, commit: build.commit ?? 'unknown', node_version: process.version },
    1,
  );

  const httpLabels = ['method', 'route', 'status_code'] as const;
  const metrics = {
    registry,
    httpRequests: counter('http_requests_total', 'HTTP requests served, by method, route pattern and status.', httpLabels),
    httpRequestDuration: new Histogram({
      name: `${METRIC_PREFIX}http_request_duration_seconds`,
      help: 'HTTP request latency, by method, route pattern and status.',
      labelNames: httpLabels,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    dpmSimulations: counter('dpm_simulations_total', 'DPM simulations computed and recorded, by run status.', ['status']),
    dpmIdempotentReplays: counter('dpm_idempotent_replays_total', 'Simulate calls answered with the stored run of their Idempotency-Key.'),
    dpmIdempotencyConflicts: counter(
      'dpm_idempotency_conflicts_total',
      'Simulate calls refused because their Idempotency-Key was used with another request.',
    ),
    dpmAsyncOperations: counter('dpm_async_operations_total', 'DPM async operation state changes made by this process.', ['state']),
    storeErrors: counter('store_errors_total', 'Requests answered 503 because a store was unavailable, by reason code.', ['code']),
    engineCalls: counter('engine_calls_total', 'Engine calls by path (inline, pool) and outcome.', ['path', 'outcome']),
    proposalCreates: counter('proposal_creates_total', 'Proposal creates by mode (sync, async) and outcome (created, replayed, or the refusing reason code).', ['mode', 'outcome']),
    proposalVersionCreates: counter(
      'proposal_version_creates_total',
      'New proposal versions by mode (sync, async) and outcome (created, replayed, or the refusing reason code).',
      ['mode', 'outcome'],
    ),
    proposalTransitions: counter('proposal_transitions_total', 'Proposal workflow events written, by event type and resulting state.', ['event', 'to_state']),
    proposalApprovals: counter('proposal_approvals_total', 'Proposal approvals recorded, by approval type and decision (approved, rejected).', ['approval_type', 'decision']),
    proposalSimulations: counter(
      'proposal_simulations_total',
      'Proposal simulate and artifact calls by endpoint and outcome (simulated, replayed, or the refusing reason code).',
      ['endpoint', 'outcome'],
    ),
    asyncClaims: counter('async_operations_claimed_total', 'Async operations this process took under a lease (takeovers included), by kind.', ['kind']),
    asyncLeaseTakeovers: counter(
      'async_lease_takeovers_total',
      'Async operations this process took over from a worker whose lease lapsed (it died or lost its database), by kind.',
      ['kind'],
    ),
    asyncFinished: counter('async_operations_finished_total', 'Async operations this process finished as lease holder, by kind and status (SUCCEEDED, FAILED).', ['kind', 'status']),
  };

  // Engine pool utilisation: what the pool's admission rule sees (docs/operations.md#engine-worker-pool).
  const engineThreads = gauge('engine_pool_threads', 'Engine worker threads (ENGINE_WORKER_THREADS; 0 runs every call inline).', [], 'sum');
  const engineQueueMax = gauge('engine_pool_queue_max_calls', 'Engine calls that may wait for a thread (ENGINE_QUEUE_MAX); one more is refused ENGINE_QUEUE_FULL.', [], 'sum');
  const engineInFlight = gauge('engine_pool_in_flight', 'Engine calls in the worker pool, running or waiting.', [], 'sum');
  const engineBusy = gauge('engine_pool_busy_threads', 'Engine worker threads running a call.', [], 'sum');
  const engineQueued = gauge('engine_pool_queued_calls', 'Engine calls waiting for a thread.', [], 'sum');
  let threads = 0;
  const setEngineInFlight = (count: number): void => {
    const busy = Math.min(count, threads);
    engineInFlight.set(count);
    engineBusy.set(busy);
    engineQueued.set(count - busy);
  };

  // One series per pool, named by every store it serves (docs/operations.md#metrics).
  const poolGauges: readonly [string, string, (pool: PoolReading) => number][] = [
    ['postgres_pool_connections', 'Open connections of a PostgreSQL pool, in use or idle, by the stores it serves.', (pool) => pool.total],
    ['postgres_pool_idle_connections', 'Idle connections of a PostgreSQL pool, by the stores it serves.', (pool) => pool.idle],
    ['postgres_pool_waiting_requests', 'Callers waiting for a connection of a PostgreSQL pool (all in use), by the stores it serves.', (pool) => pool.waiting],
    ['postgres_pool_max_connections', 'Most connections a PostgreSQL pool opens (POSTGRES_POOL_MAX), by the stores it serves.', (pool) => pool.max],
  ];
  for (const [name, help, read] of poolGauges) {
    gauge(name, help, ['store'], 'sum', function collect() {
      this.reset();
      for (const pool of sources.pools?.() ?? []) this.set({ store: pool.stores.join(',') }, read(pool));
    });
  }

  gauge('store_unavailable', '1 while the outage log has a PostgreSQL store down (a call found it unavailable, none succeeded since), else 0.', ['store'], 'max', function collect() {
    this.reset();
    for (const { store, down } of sources.outages?.() ?? []) this.set({ store }, down ? 1 : 0);
  });

  gauge(
    'async_runnable_operations',
    'Async operations a worker could claim now, counted in the database at scrape time: PENDING, or LEASE_EXPIRED (RUNNING, its worker gone). The same for every replica.',
    ['kind', 'state'],
    'max',
    async function collect() {
      const counts = await Promise.all([...runnableCounts].map(async ([kind, count]) => [kind, await count()] as const));
      this.reset();
      for (const [kind, count] of counts) {
        if (!count) continue;
        this.set({ kind, state: 'PENDING' }, count.pending);
        this.set({ kind, state: 'LEASE_EXPIRED' }, count.leaseExpired);
      }
    },
  );

  return {
    ...metrics,
    engineLimits(limits) {
      threads = limits.threads;
      engineThreads.set(limits.threads);
      engineQueueMax.set(limits.threads === 0 ? 0 : limits.queueMax);
      setEngineInFlight(0);
    },
    engineInFlight: setEngineInFlight,
    observe(given) {
      sources = given;
      runnableCounts.clear();
      for (const [kind, count] of Object.entries(given.runnable ?? {}) as [OperationKind, (now: string) => Promise<RunnableCount>][]) {
        runnableCounts.set(kind, boundedQuery(() => count(new Date().toISOString()), SCRAPE_QUERY_LIMIT_MS));
      }
    },
  };
}
