/**
 * The one timer every periodic background job runs on (retention purge, async-operation TTL purge).
 *
 * Three rules that each job would otherwise have to remember:
 * - a slow run is never overlapped by the next tick (the tick is skipped, not queued);
 * - the timer alone never keeps the process alive (`unref`), so a CLI or test that forgets to stop
 *   it still exits;
 * - `stop()` clears the timer and waits for the run in progress, so shutdown never closes a pool
 *   under a purge.
 *
 * A run's failure goes to `onError` and the next tick tries again: a store outage must not end the
 * job.
 */
export interface PeriodicJob {
  /** Stops the timer and waits for the run in progress, if any. Idempotent. */
  stop(): Promise<void>;
}

export interface PeriodicJobOptions {
  readonly intervalMs: number;
  readonly run: () => Promise<unknown>;
  readonly onError: (error: unknown) => void;
}

export function startPeriodicJob(options: PeriodicJobOptions): PeriodicJob {
  let inFlight: Promise<void> | null = null;

  const tick = (): void => {
    if (inFlight) return;
    inFlight = options
      .run()
      .then(
        () => undefined,
        (error: unknown) => options.onError(error),
      )
      .finally(() => {
        inFlight = null;
      });
  };

  const timer = setInterval(tick, options.intervalMs).unref();

  return {
    async stop() {
      clearInterval(timer);
      await inFlight;
    },
  };
}
