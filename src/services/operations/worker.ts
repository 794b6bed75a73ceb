/**
 * A generic poll loop for durable async operations, shared by every store that keeps them
 * (DPM analyze operations, proposal create/version). The store decides who runs what —
 * `claim()` is expected to take an operation under a lease, so several replicas can run loops
 * over one database and each operation is taken by one of them — and this loop only claims,
 * runs one operation at a time, and waits `pollMs` when there is nothing to do.
 *
 * `wake()` skips the wait (a replica that just accepted an operation starts it at once); work
 * accepted elsewhere, or left behind by a dead worker whose lease lapsed, is found by polling.
 * After a failed claim or run the loop backs off: the waits double from `pollMs` up to
 * `maxBackoffMs`, with jitter (backoff.ts), and return to `pollMs` after the next success — so a
 * database outage costs a handful of attempts per replica, not one per poll interval.
 */
import type { Logger } from 'pino';
import { redactSecrets } from '../../config/redact.ts';
import { isStoreOutage } from '../../stores/postgres/errors.ts';
import type { LeasedOperation } from '../../stores/sql/operation-leases.ts';
import { backoffDelay } from './backoff.ts';


/** The state of an accepted operation nobody has started: what a submit stores with its request. */
export const NOT_STARTED = {
  status: 'PENDING',
  started_at: null,
  finished_at: null,
  result_json: null,
  error_json: null,
  lease_owner: null,
  lease_expires_at: null,
  attempts: 0,
} as const;

/** Who holds an operation and how often it was claimed, as every operation payload reports it (docs/operations.md#lease-owners). */
export function leaseFields(operation: LeasedOperation): Pick<LeasedOperation, 'attempts' | 'lease_owner' | 'lease_expires_at'> {
  return { attempts: operation.attempts, lease_owner: operation.lease_owner, lease_expires_at: operation.lease_expires_at };
}

export interface OperationWorkerOptions<T> {
  /** The next operation to run, already leased to this worker; null when there is none. */
  claim(): Promise<T | null>;
  /** Runs a claimed operation to its end (success or recorded failure). */
  run(operation: T): Promise<void>;
  readonly pollMs: number;
  /** The longest wait after consecutive failures (STORE_RETRY_MAX_BACKOFF_MS); `pollMs` when unset. */
  readonly maxBackoffMs?: number;
  /** A claim or run that threw; the loop goes on after a backoff wait. */
  onError(error: unknown): void;
}

export interface OperationWorker {
  start(): void;
  /** Look for work now instead of at the end of the current wait. */
  wake(): void;
  /** Stops claiming and resolves once the operation in hand (if any) has finished. */
  stop(): Promise<void>;
}

export function createOperationWorker<T>(options: OperationWorkerOptions<T>): OperationWorker {
  let running = false;
  let loop: Promise<void> | undefined;
  let interrupt: (() => void) | undefined;
  // A wake() that arrives while an operation runs must not be lost.
  let woken = false;
  const backoff = { baseMs: options.pollMs, capMs: Math.max(options.pollMs, options.maxBackoffMs ?? options.pollMs) };

  const pause = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      if (woken || !running) {
        woken = false;
        resolve();
        return;
      }
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        interrupt = undefined;
        woken = false;
        resolve();
      }
      interrupt = done;
    });

  async function cycle(): Promise<void> {
    let failures = 0;
    while (running) {
      let claimed = false;
      try {
        const operation = await options.claim();
        if (operation !== null) {
          claimed = true;
          await options.run(operation);
        }
        failures = 0;
      } catch (error) {
        claimed = false;
        options.onError(error);
        failures += 1;
      }
      // Drain without waiting while work is there.
      if (!claimed) await pause(failures === 0 ? options.pollMs : backoffDelay(failures - 1, backoff));
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = cycle();
    },
    wake() {
      woken = true;
      interrupt?.();
    },
    async stop() {
      running = false;
      interrupt?.();
      await loop;
      loop = undefined;
    },
  };
}

/**
 * Runs `work` while renewing its lease every third of the lease time. If a renewal finds the
 * lease lost (another worker took over after a stall), the signal aborts so the work can stop
 * early; its result would be refused by the store's lease-holder check anyway.
 */
export async function withLeaseHeartbeat<R>(
  renew: () => Promise<boolean>,
  leaseMs: number,
  work: (signal: AbortSignal) => Promise<R>,
  onRenewalError: (error: unknown) => void = () => {},
): Promise<R> {
  const lost = new AbortController();
  const timer = setInterval(() => {
    renew().then(
      (held) => {
        if (!held) lost.abort();
      },
      // A failed renewal is not yet a lost lease: the next tick tries again before it expires.
      onRenewalError,
    );
  }, Math.max(1, Math.floor(leaseMs / 3)));
  try {
    return await work(lost.signal);
  } finally {
    clearInterval(timer);
  }
}

/**
 * How a background loop reports a failed attempt. A store outage is the outage log's to report
 * (one warning per outage, src/stores/postgres/outage-log.ts), so here it is only detail; any
 * other failure is a warning with its stack, once per attempt — and attempts back off.
 */
export function workerFailureReporter(logger: Pick<Logger, 'warn' | 'debug'>, what: string): (error: unknown) => void {
  return (error) => {
    if (isStoreOutage(error)) {
      logger.debug({ code: (error as { fullCode?: string }).fullCode, reason: redactSecrets((error as Error).message) }, `${what}: store unavailable; retrying`);
      return;
    }
    const err = error instanceof Error ? { message: redactSecrets(error.message), stack: error.stack && redactSecrets(error.stack) } : { message: String(error) };
    logger.warn({ err }, `${what} failed; retrying`);
  };
}
