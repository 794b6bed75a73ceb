/**
 * WEB_CONCURRENCY server processes on one port (docs/deployment.md#processes-per-instance), with
 * node:cluster: this primary process forks the workers, which each run the whole app (stores,
 * pools, engine, background loops) and listen on the same address; the primary accepts the
 * connections and hands them to the workers in turn. It opens no store and serves no request.
 *
 * - **Serving** is logged once every worker listens, with the address (as a single process logs it).
 * - **A worker that dies** is replaced after a backoff that doubles with each quick death (250 ms up
 *   to STORE_RETRY_MAX_BACKOFF_MS) and starts over once a worker has served for a while; the other
 *   workers keep serving meanwhile. A worker refusing to start before the group ever served (exit
 *   78: a configuration or schema problem every worker would hit) stops the group with that code.
 * - **SIGTERM/SIGINT** go to every worker, which finishes its requests in flight and exits 0 (its
 *   own APP_SHUTDOWN_GRACE_MS applies); the primary exits 0 once all have, 1 if any failed or the
 *   grace period (plus a margin) ran out, after killing the rest.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';
import { EX_CONFIG, EX_FAILURE } from '../cli/exit-codes.ts';
import { backoffDelay, type Backoff } from '../services/operations/backoff.ts';
import { serveGroupMetrics } from './cluster-metrics.ts';

/** A worker that listened this long before dying counts as a fresh failure, not another quick one. */
const STABLE_AFTER_MS = 10_000;
/** How long past the workers' own grace period the primary waits before killing them. */
const KILL_MARGIN_MS = 2_000;
const RESTART_BASE_MS = 250;

export interface ClusterOptions {
  readonly workers: number;
  readonly logger: Logger;
  readonly shutdownGraceMs: number;
  /** STORE_RETRY_MAX_BACKOFF_MS: the longest wait before replacing a worker that keeps dying. */
  readonly maxRestartBackoffMs: number;
}

export function superviseWorkers(options: ClusterOptions): void {
  const { workers, logger } = options;
  const backoff: Backoff = { baseMs: RESTART_BASE_MS, capMs: Math.max(RESTART_BASE_MS, options.maxRestartBackoffMs) };
  const { restarts } = serveGroupMetrics();
  const listeningSince = new Map<Worker, number>();
  let quickDeaths = 0;
  let serving = false;
  let stopping = false;
  let failedStop = false;

  const live = (): Worker[] => Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined);

  cluster.on('listening', (worker, address) => {
    listeningSince.set(worker, Date.now());
    if (serving) {
      logger.info({ pid: worker.process.pid }, 'Replacement server process serving');
    } else if (listeningSince.size === workers) {
      serving = true;
      const family = address.addressType === 6 ? 'IPv6' : 'IPv4';
      logger.info({ address: [{ address: address.address, family, port: address.port }], workers, pids: live().map((w) => w.process.pid) }, 'Serving');
    }
  });

  cluster.on('exit', (worker, code, signal) => {
    const since = listeningSince.get(worker);
    listeningSince.delete(worker);
    if (stopping) {
      if (code !== 0) failedStop = true;
      if (live().length === 0) finish();
      return;
    }
    if (!serving && code === EX_CONFIG) {
      logger.fatal({ pid: worker.process.pid }, 'A server process refused to start; stopping the others');
      process.exitCode = EX_CONFIG;
      stop();
      return;
    }
    const attempt = since !== undefined && Date.now() - since >= STABLE_AFTER_MS ? 0 : quickDeaths;
    quickDeaths = attempt + 1;
    const delayMs = backoffDelay(attempt, backoff);
    restarts.inc();
    logger.error({ pid: worker.process.pid, code, signal, restartInMs: delayMs }, 'Server process exited; replacing it');
    setTimeout(() => {
      if (!stopping) cluster.fork();
    }, delayMs).unref();
  });

  function finish(): void {
    logger.info('Shutdown complete');
    process.exit(process.exitCode ?? (failedStop ? EX_FAILURE : 0));
  }

  function stop(signal?: NodeJS.Signals): void {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, workers: live().length }, 'Shutting down: every server process finishes its requests in flight');
    const remaining = live();
    if (remaining.length === 0) return finish();
    for (const worker of remaining) worker.process.kill('SIGTERM');
    setTimeout(() => {
      logger.error({ graceMs: options.shutdownGraceMs }, 'Shutdown grace period exceeded; killing the server processes left');
      for (const worker of live()) worker.process.kill('SIGKILL');
      process.exit(EX_FAILURE);
    }, options.shutdownGraceMs + KILL_MARGIN_MS).unref();
  }

  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  for (let i = 0; i < workers; i += 1) cluster.fork();
}
