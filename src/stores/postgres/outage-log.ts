/**
 * Calm logs while a database is in trouble (docs/operations.md#what-you-see-during-an-outage).
 * Every store call reports its outcome here; what reaches the log is:
 *
 * - a store that becomes unavailable: one warning, then one summary warning per interval while it
 *   stays down (how many calls failed since the last line), then one info line when a call
 *   succeeds again (how long it was down, how many calls failed in all);
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
  const unavailableCode = `${store}_POSTGRES_UNAVAILABLE`;
  const timeoutCode = `${store}_POSTGRES_TIMEOUT`;
  let down: { since: number; failed: number; failedSinceLine: number; summary: NodeJS.Timeout } | undefined;

  const timeouts = sampledWarning(
    intervalMs,
    (reason) => logger.warn({ store, code: timeoutCode, reason }, 'PostgreSQL call timed out; answered 503'),
    (count) => logger.warn({ store, code: timeoutCode, timeouts: count, interval_ms: intervalMs }, 'PostgreSQL calls timed out'),
  );

  return {
    succeeded() {
      if (!down) return;
      clearInterval(down.summary);
      logger.info({ store, down_ms: Date.now() - down.since, failed_calls: down.failed }, 'PostgreSQL available again');
      down = undefined;
    },
    unavailable(reason: string) {
      if (down) {
        down.failed += 1;
        down.failedSinceLine += 1;
        return;
      }
      logger.warn({ store, code: unavailableCode, reason }, 'PostgreSQL unavailable; calls answer 503 until it is back');
      const since = Date.now();
      const summary = every(intervalMs, () => {
        if (!down) return;
        logger.warn({ store, code: unavailableCode, failed_calls: down.failedSinceLine, down_ms: Date.now() - since }, 'PostgreSQL still unavailable');
        down.failedSinceLine = 0;
      });
      down = { since, failed: 1, failedSinceLine: 0, summary };
    },
    timedOut: (reason: string) => timeouts.note(reason),
    close() {
      if (down) clearInterval(down.summary);
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
    connectionLost: (reason) => lost.note(reason),
    close() {
      for (const availability of stores.values()) availability.close();
      lost.close();
    },
  };
}
