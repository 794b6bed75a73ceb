/**
 * Calm logs while a database is in trouble (docs/operations.md#what-you-see-during-an-outage).
 * Every store call reports its outcome here; what reaches the log is:
 *
 * - a store that becomes unavailable: one warning, then one summary warning per interval while it
 *   stays down (how many calls failed since the last line), then one info line when a call
 *   succeeds again (how long it was down, how many calls failed in all); a store that keeps
 *   dropping out right after (sessions killed one after another) gets one summary per interval
 *   for those short outages instead of a warning and an info line each;
 * - timeouts (statement, lock, query, transaction) and lost idle connections, which do not mean
 *   the database is down: the first one is logged at once, further ones within the interval are
 *   counted into one summary line at its end.
 *
 * Requests still answer 503 one by one; only the log is folded. Timers never keep the process alive.
 */
import type { Logger } from 'pino';
import type { StorePrefix } from './errors.ts';

/** How one store's calls fare; each method is cheap when nothing changes. */
export interface StoreAvailability {
  /** A call succeeded: if the store was unavailable, it is back. */
  succeeded(): void;
  /** A call failed because PostgreSQL could not be reached or went away. */
  unavailable(reason: string): void;
  /** A statement, lock wait, query or transaction outlasted its limit. */
  timedOut(reason: string): void;
}

export interface OutageLog {
  store(store: StorePrefix): StoreAvailability;
  /** Whether the store is in an outage now: a call found it unavailable and none has succeeded since (a gauge at /metrics). */
  isDown(store: StorePrefix): boolean;
  /** An idle pooled connection was lost; the pool opens a new one when it is next needed. */
  connectionLost(reason: string): void;
  /** Stops the summary timers. */
  close(): void;
}

export interface OutageLogOptions {
  readonly logger: Pick<Logger, 'warn' | 'info'>;
  /** STORE_OUTAGE_LOG_INTERVAL_MS. */
  readonly intervalMs: number;
}

export const SILENT_AVAILABILITY: StoreAvailability = { succeeded() {}, unavailable() {}, timedOut() {} };

const every = (intervalMs: number, tick: () => void): NodeJS.Timeout => setInterval(tick, intervalMs).unref();

/**
 * An event worth a warning, but not one per occurrence: the first is logged at once, later ones
 * within an interval become one summary line at its end; a quiet interval closes the window.
 */
function sampledWarning(intervalMs: number, first: (reason: string) => void, summary: (count: number) => void) {
  let window: NodeJS.Timeout | undefined;
  let count = 0;
  return {
    note(reason: string): void {
      if (window !== undefined) {
        count += 1;
        return;
      }
      first(reason);
      window = every(intervalMs, () => {
        if (count > 0) summary(count);
        else {
          clearInterval(window);
          window = undefined;
        }
        count = 0;
      });
    },
    close(): void {
      clearInterval(window);
      window = undefined;
    },
  };
}

function storeAvailability(store: StorePrefix, options: OutageLogOptions) {
  const { logger, intervalMs } = options;
  const code = `${store}_POSTGRES_UNAVAILABLE`;
  const timeoutCode = `${store}_POSTGRES_TIMEOUT`;
  // The outage in progress, if any; `announced` once a line told the operator about it, so that
  // its end gets the "available again" line too.
  let down: { since: number; failed: number; announced: boolean } | undefined;
  // Open while failures are recent: an outage that starts while it is open (the database
  // flapping — sessions killed one after another, a failover in steps) is counted into the
  // interval's summary instead of getting a warning and a recovery line of its own.
  let window: NodeJS.Timeout | undefined;
  let failedInWindow = 0;
  let outagesInWindow = 0;

  function tick(): void {
    if (down) {
      logger.warn({ store, code, failed_calls: failedInWindow, down_ms: Date.now() - down.since }, 'PostgreSQL still unavailable');
      down.announced = true;
    } else if (failedInWindow > 0) {
      logger.warn({ store, code, outages: outagesInWindow, failed_calls: failedInWindow, interval_ms: intervalMs }, 'PostgreSQL briefly unavailable, again');
    } else {
      clearInterval(window);
      window = undefined;
    }
    failedInWindow = 0;
    outagesInWindow = 0;
  }

  const timeouts = sampledWarning(
    intervalMs,
    (reason) => logger.warn({ store, code: timeoutCode, reason }, 'PostgreSQL call timed out; answered 503'),
    (count) => logger.warn({ store, code: timeoutCode, timeouts: count, interval_ms: intervalMs }, 'PostgreSQL calls timed out'),
  );

  return {
    succeeded() {
      if (!down) return;
      if (down.announced) {
        logger.info({ store, down_ms: Date.now() - down.since, failed_calls: down.failed }, 'PostgreSQL available again');
        // Counted in this line; what fails from now on is news.
        failedInWindow = 0;
        outagesInWindow = 0;
      }
      down = undefined;
    },
    unavailable(reason: string) {
      if (!down) {
        down = { since: Date.now(), failed: 0, announced: window === undefined };
        outagesInWindow += 1;
        if (down.announced) {
          // This line reports the first failure; the summaries count the ones after it.
          logger.warn({ store, code, reason }, 'PostgreSQL unavailable; calls answer 503 until it is back');
          window = every(intervalMs, tick);
          down.failed = 1;
          return;
        }
      }
      down.failed += 1;
      failedInWindow += 1;
    },
    timedOut: (reason: string) => timeouts.note(reason),
    isDown: () => down !== undefined,
    close() {
      clearInterval(window);
      timeouts.close();
    },
  };
}

export function createOutageLog(options: OutageLogOptions): OutageLog {
  const stores = new Map<StorePrefix, ReturnType<typeof storeAvailability>>();
  const lost = sampledWarning(
    options.intervalMs,
    (reason) => options.logger.warn({ reason }, 'PostgreSQL connection lost; the pool opens a new one when needed'),
    (count) => options.logger.warn({ connections_lost: count, interval_ms: options.intervalMs }, 'PostgreSQL connections lost'),
  );
  return {
    store(store) {
      let availability = stores.get(store);
      if (!availability) {
        availability = storeAvailability(store, options);
        stores.set(store, availability);
      }
      return availability;
    },
    isDown: (store) => stores.get(store)?.isDown() ?? false,
    connectionLost: (reason) => lost.note(reason),
    close() {
      for (const availability of stores.values()) availability.close();
      lost.close();
    },
  };
}
