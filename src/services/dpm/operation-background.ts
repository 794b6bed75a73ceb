/**
 * The per-process background side of DPM async operations: a lease worker that takes over
 * operations nobody is running (PENDING ones, and RUNNING ones whose process died and whose
 * lease ran out), and the TTL purge on a timer — never on the request path.
 *
 * In ACCEPT_ONLY mode a PENDING operation waits for its explicit execute, so the worker takes
 * over only abandoned ones: RUNNING operations whose executing process died.
 */
import type { Logger } from 'pino';
import type { DpmAsyncExecutionMode } from '../../config/dpm-settings.ts';
import type { AsyncOperation, DpmRunStore } from '../../stores/dpm-runs/port.ts';
import type { DpmOperationService } from './operations.ts';
import { newLeaseOwner } from '../operations/lease-owner.ts';
import { createOperationWorker, workerFailureReporter } from '../operations/worker.ts';
import { startPeriodicJob } from '../operations/periodic-job.ts';

export interface DpmOperationBackgroundDeps {
  readonly store: Pick<DpmRunStore, 'claimRunnable'>;
  readonly operations: Pick<DpmOperationService, 'runClaimed' | 'purgeExpired'>;
  readonly settings: {
    readonly executionMode: DpmAsyncExecutionMode;
    readonly leaseMs: number;
    readonly workerPollMs: number;
    readonly purgeIntervalMs: number;
    /** STORE_RETRY_MAX_BACKOFF_MS: the worker's longest wait after consecutive failures. */
    readonly maxBackoffMs?: number;
  };
  readonly logger: Pick<Logger, 'warn' | 'info' | 'debug'>;
  readonly now?: () => Date;
}

export interface DpmOperationBackground {
  /** Stops the purge timer and the worker, waiting for the purge and the operation in hand. */
  stop(): Promise<void>;
}

export function startDpmOperationBackground(deps: DpmOperationBackgroundDeps): DpmOperationBackground {
  const now = deps.now ?? (() => new Date());
  const { settings, logger } = deps;

  const abandonedOnly = settings.executionMode === 'ACCEPT_ONLY';
  const worker = createOperationWorker<AsyncOperation>({
    claim: () => deps.store.claimRunnable({ workerId: newLeaseOwner(), now: now().toISOString(), leaseMs: settings.leaseMs, abandonedOnly }),
    run: (operation) => deps.operations.runClaimed(operation),
    pollMs: settings.workerPollMs,
    ...(settings.maxBackoffMs === undefined ? {} : { maxBackoffMs: settings.maxBackoffMs }),
    onError: workerFailureReporter(logger, 'DPM async worker: claim or run'),
  });
  worker.start();

  const purge = startPeriodicJob({
    intervalMs: settings.purgeIntervalMs,
    run: async () => {
      const purged = await deps.operations.purgeExpired();
      if (purged > 0) logger.info({ purged }, 'DPM async operations purged after their TTL');
    },
    onError: workerFailureReporter(logger, 'DPM async operation TTL purge (next tick retries)'),
  });

  return {
    async stop() {
      await Promise.all([purge.stop(), worker.stop()]);
    },
  };
}
