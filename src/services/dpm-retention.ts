/**
 * Run retention (docs/dpm-api.md#retention): when DPM_SUPPORTABILITY_RETENTION_DAYS ≥ 1, runs older
 * than that are purged — with their artifacts, idempotency mappings and history, decisions and the
 * lineage edges that touch them — on a timer every DPM_SUPPORTABILITY_PURGE_INTERVAL_MS.
 *
 * The reference purged at the start of every request, so reads issued DELETEs and contended with
 * writers; here requests never purge. Between two ticks an expired run may still be served, which
 * is harmless: retention is a storage bound, not an access rule.
 */
import type { Logger } from 'pino';
import { redactSecrets } from '../config/redact.ts';
import type { DpmSupportabilityStore } from '../stores/dpm-supportability/port.ts';

const DAY_MS = 86_400_000;

export interface RetentionScheduler {
  /** Starts the timer (no-op when retention is off). */
  start(): void;
  /** One purge now; returns how many runs went (0 when retention is off). */
  purgeOnce(): Promise<number>;
  /** Stops the timer and waits for a purge in progress. */
  stop(): Promise<void>;
}

export interface RetentionOptions {
  readonly store: Pick<DpmSupportabilityStore, 'purgeRunsBefore'>;
  readonly days: number;
  readonly intervalMs: number;
  readonly logger: Pick<Logger, 'info' | 'warn'>;
  readonly now?: () => Date;
}

export function createRetentionScheduler(options: RetentionOptions): RetentionScheduler {
  const now = options.now ?? (() => new Date());
  const enabled = options.days >= 1;
  let timer: NodeJS.Timeout | null = null;
  let inFlight: Promise<unknown> = Promise.resolve();
  let running = false;

  async function purgeOnce(): Promise<number> {
    if (!enabled) return 0;
    const cutoff = new Date(now().getTime() - options.days * DAY_MS).toISOString();
    const purged = await options.store.purgeRunsBefore(cutoff);
    if (purged > 0) options.logger.info({ purged_runs: purged, cutoff }, 'Retention purged expired DPM runs');
    return purged;
  }

  function tick(): void {
    // A slow purge is never overlapped by the next tick.
    if (running) return;
    running = true;
    inFlight = purgeOnce()
      .catch((error: unknown) => {
        // The store may be briefly unavailable; the next tick tries again.
        options.logger.warn({ reason: redactSecrets(error instanceof Error ? error.message : String(error)) }, 'Retention purge failed');
      })
      .finally(() => {
        running = false;
      });
  }

  return {
    start() {
      if (!enabled || timer) return;
      timer = setInterval(tick, options.intervalMs);
      // The timer alone never keeps the process alive.
      timer.unref();
    },
    purgeOnce,
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await inFlight;
    },
  };
}
