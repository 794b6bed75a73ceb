/**
 * The background loop behind every async operation (DPM analyze, proposal create/version).
 * Operations live in a store; a worker claims one under a lease, renews the lease while it
 * works, and completes or fails it as the lease holder. If the process dies, the lease runs
 * out and any worker — on another replica or the restarted one — claims the operation again,
 * so an accepted operation is never lost, and the store's guarded completion means it
 * finishes exactly once.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface OperationWorkerOptions<T> {
  /** Atomically claims one runnable operation under this worker's lease; null when none is runnable. */
  claim(): Promise<T | null>;
  /** Runs a claimed operation to its end (completing or failing it in the store). */
  run(operation: T): Promise<void>;
  /** Idle wait between claims when nothing was runnable. */
  readonly pollMs: number;
  /** A claim or run that threw: logged by the caller; the loop carries on. */
  onError(error: unknown): void;
}

export interface OperationWorker {
  start(): void;
  /** Ends the idle wait so a just-accepted operation is picked up at once. */
  wake(): void;
  /** Stops claiming and waits for the operation in hand to finish. */
  stop(): Promise<void>;
}

export function createOperationWorker<T>(options: OperationWorkerOptions<T>): OperationWorker {
  let running = false;
  let loop: Promise<void> = Promise.resolve();
  let idle: AbortController | null = null;

  async function drainOnce(): Promise<boolean> {
    try {
      const operation = await options.claim();
      if (operation === null) return false;
      await options.run(operation);
      return true;
    } catch (error) {
      options.onError(error);
      return false;
    }
  }

  async function runLoop(): Promise<void> {
    while (running) {
      if (await drainOnce()) continue;
      // stop() may have come while the claim was in flight, when there was no idle wait to end.
      if (!running) break;
      idle = new AbortController();
      await sleep(options.pollMs, undefined, { signal: idle.signal }).catch(() => {});
      idle = null;
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = runLoop();
    },
    wake() {
      idle?.abort();
    },
    async stop() {
      running = false;
      idle?.abort();
      await loop;
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
): Promise<R> {
  const lost = new AbortController();
  const timer = setInterval(() => {
    renew().then(
      (held) => {
        if (!held) lost.abort();
      },
      // A failed renewal is not yet a lost lease: the next tick tries again before it expires.
      () => {},
    );
  }, Math.max(1, Math.floor(leaseMs / 3)));
  try {
    return await work(lost.signal);
  } finally {
    clearInterval(timer);
  }
}
