/**
 * Prometheus metrics of a cluster (WEB_CONCURRENCY > 1) as one instance: the primary shares the
 * port out among its workers connection by connection, so a scrape lands on any one worker, which
 * would otherwise answer with its own counters only — a different process on every scrape. Instead
 * the worker asks the primary, which gathers every worker's registry (prom-client's
 * AggregatorRegistry: counters and histograms summed, each metric by its aggregator) and adds its own
 * `worker_restarts_total`. Per process, `worker_requests_total{pid}` shows how the requests were shared.
 */
import cluster from 'node:cluster';
import type { Server } from 'node:http';
import { AggregatorRegistry, Counter, Registry } from 'prom-client';

const SCRAPE = 'dpm:metrics:scrape';
const SCRAPED = 'dpm:metrics:scraped';
/** Longer than prom-client's own 5 s wait for the workers' answers, so its error is the one reported. */
const SCRAPE_TIMEOUT_MS = 10_000;

interface ScrapeRequest {
  readonly type: typeof SCRAPE;
  readonly id: number;
}

interface ScrapeAnswer {
  readonly type: typeof SCRAPED;
  readonly id: number;
  readonly text?: string;
  readonly error?: string;
}

const isMessage = <T extends { type: string }>(message: unknown, type: T['type']): message is T =>
  typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type;

/** In the primary: answers workers' scrapes with the group's metrics; returns the restart counter. */
export function serveGroupMetrics(): { readonly restarts: Counter } {
  // Constructed in the primary, it gathers; the workers' side answers (clusterWorkerMetrics).
  const aggregator = new AggregatorRegistry();
  const own = new Registry();
  const restarts = new Counter({ name: 'worker_restarts_total', help: 'Server processes that exited unexpectedly and were replaced.', registers: [own] });
  cluster.on('message', (worker, message: unknown) => {
    if (!isMessage<ScrapeRequest>(message, SCRAPE)) return;
    const answer = (fields: Omit<ScrapeAnswer, 'type' | 'id'>): void => {
      if (worker.isConnected()) worker.send({ type: SCRAPED, id: message.id, ...fields } satisfies ScrapeAnswer);
    };
    Promise.all([aggregator.clusterMetrics(), own.metrics()]).then(
      ([group, primary]) => answer({ text: `${group}${primary}` }),
      (error: unknown) => answer({ error: error instanceof Error ? error.message : String(error) }),
    );
  });
  return { restarts };
}

/**
 * In a worker: lets the primary read `registry`, counts the requests this process takes, and gives
 * the scrape GET /metrics answers with — the whole group's metrics, from the primary.
 */
export function clusterWorkerMetrics(registry: Registry): { scrape(): Promise<string>; countRequests(server: Server): void } {
  // prom-client answers the primary's collection in every process that constructed an AggregatorRegistry.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);
  const requests = new Counter({
    name: 'worker_requests_total',
    help: 'HTTP requests taken by each server process of this instance (WEB_CONCURRENCY), by process id.',
    labelNames: ['pid'],
    registers: [registry],
  }).labels({ pid: String(process.pid) });

  const pending = new Map<number, { resolve(text: string): void; reject(error: Error): void; timer: NodeJS.Timeout }>();
  let nextId = 0;
  process.on('message', (message: unknown) => {
    if (!isMessage<ScrapeAnswer>(message, SCRAPED)) return;
    const waiting = pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id);
    clearTimeout(waiting.timer);
    if (message.text !== undefined) waiting.resolve(message.text);
    else waiting.reject(new Error(`Metrics of the server processes could not be gathered: ${message.error ?? 'no answer'}`));
  });
  return {
    scrape: () =>
      new Promise((resolve, reject) => {
        const id = (nextId += 1);
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error('Metrics of the server processes were not gathered in time.'));
        }, SCRAPE_TIMEOUT_MS);
        pending.set(id, { resolve, reject, timer });
        process.send?.({ type: SCRAPE, id } satisfies ScrapeRequest);
      }),
    countRequests(server) {
      server.on('request', () => requests.inc());
    },
  };
}
