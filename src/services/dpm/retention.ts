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
import { redactSecrets } from '../../config/redact.ts';
import type { DpmRunStore } from '../../stores/dpm-runs/port.ts';
import { startPeriodicJob, type PeriodicJob } from '../operations/periodic-job.ts';

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
  readonly store: Pick<DpmRunStore, 'purgeRunsBefore'>;
  readonly days: number;
  readonly intervalMs: number;
  readonly logger: Pick<Logger, 'info' | 'warn'>;
  readonly now?: () => Date;
}

export function createRetentionScheduler(options: RetentionOptions): RetentionScheduler {
  const now = options.now ?? (() => new Date());
  const enabled = options.days >= 1;
  let job: PeriodicJob | null = null;

  async function purgeOnce(): Promise<number> {
    if (!enabled) return 0;
    const cutoff = new Date(now().getTime() - options.days * DAY_MS).toISOString();
    const purged = await options.store.purgeRunsBefore(cutoff);
    if (purged > 0) options.logger.info({ purged_runs: purged, cutoff }, 'Retention purged expired DPM runs');
    return purged;
  }

  return {
    start() {
      if (!enabled || job) return;
      job = startPeriodicJob({
        intervalMs: options.intervalMs,
        run: purgeOnce,
        // The store may be briefly unavailable; the next tick tries again.
        onError: (error) => options.logger.warn({ reason: redactSecrets(error instanceof Error ? error.message : String(error)) }, 'Retention purge failed'),
      });
    },
    purgeOnce,
    async stop() {
      await job?.stop();
      job = null;
    },
  };
}
