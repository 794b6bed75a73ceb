/**
 * The timer behind every periodic background job: no overlapping runs, failures reported and
 * retried on the next tick, an unref'd timer, and a stop that waits for the run in hand.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startPeriodicJob } from '../../src/services/operations/periodic-job.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('startPeriodicJob', () => {
  it('skips ticks while a run is in progress, keeps going after a failure, and stop waits for the run in hand', async () => {
    vi.useFakeTimers();
    let runs = 0;
    let release: (() => void) | undefined;
    const errors: unknown[] = [];
    const job = startPeriodicJob({
      intervalMs: 100,
      run: async () => {
        runs += 1;
        if (runs === 1) throw new Error('store down');
        await new Promise<void>((resolve) => (release = resolve));
      },
      onError: (error) => errors.push(error),
    });

    await vi.advanceTimersByTimeAsync(100);
    expect(runs).toBe(1);
    expect(errors).toEqual([new Error('store down')]);

    // The second run hangs: five more ticks start nothing new.
    await vi.advanceTimersByTimeAsync(100);
    expect(runs).toBe(2);
    await vi.advanceTimersByTimeAsync(500);
    expect(runs).toBe(2);

    let stopped = false;
    const stopping = job.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    release?.();
    await stopping;
    expect(stopped).toBe(true);

    // Stopped means stopped: no tick after it.
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs).toBe(2);
  });

  it('never keeps the process alive by itself', async () => {
    // Node lists only the timers that keep the event loop alive.
    const aliveTimers = (): number => process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
    const before = aliveTimers();
    const job = startPeriodicJob({ intervalMs: 60_000, run: async () => undefined, onError: () => undefined });
    expect(aliveTimers()).toBe(before);
    await job.stop();
  });
});
