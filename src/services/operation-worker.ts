/**
 * A generic poll loop for durable async operations, shared by every store that keeps them
 * (DPM analyze operations, proposal create/version). The store decides who runs what —
 * `claim()` is expected to take an operation under a lease, so several replicas can run loops
 * over one database and each operation is taken by one of them — and this loop only claims,
 * runs one operation at a time, and waits `pollMs` when there is nothing to do.
 *
 * `wake()` skips the wait (a replica that just accepted an operation starts it at once); work
 * accepted elsewhere, or left behind by a dead worker whose lease lapsed, is found by polling.
 */

/** The state of an accepted operation nobody has started: what a submit stores with its request. */
export const NOT_STARTED = {
  status: 'PENDING',
  started_at: null,
  finished_at: null,
  result_json: null,
  error_json: null,
  lease_owner: null,
  lease_expires_at: null,
} as const;

export interface OperationWorkerOptions<T> {
  /** The next operation to run, already leased to this worker; null when there is none. */
  claim(): Promise<T | null>;
  /** Runs a claimed operation to its end (success or recorded failure). */
  run(operation: T): Promise<void>;
  readonly pollMs: number;
  /** A claim or run that threw; the loop goes on after the next wait. */
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

  const pause = (): Promise<void> =>
    new Promise((resolve) => {
      if (woken || !running) {
        woken = false;
        resolve();
        return;
      }
      const timer = setTimeout(done, options.pollMs);
      function done(): void {
        clearTimeout(timer);
        interrupt = undefined;
        woken = false;
        resolve();
      }
      interrupt = done;
    });

  async function cycle(): Promise<void> {
    while (running) {
      let claimed = false;
      try {
        const operation = await options.claim();
        if (operation !== null) {
          claimed = true;
          await options.run(operation);
        }
      } catch (error) {
        claimed = false;
        options.onError(error);
      }
      // Drain without waiting while work is there.
      if (!claimed) await pause();
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
