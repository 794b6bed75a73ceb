/**
 * How long a retry loop waits before its next attempt: exponential with jitter, up to a cap.
 * Attempt n (from 0) waits a random time between d/2 and d, d = min(cap, base · 2ⁿ) — the
 * "equal jitter" of the AWS Architecture Blog's "Exponential Backoff And Jitter": replicas that
 * failed together do not retry together, and a long outage costs one attempt per cap, not one
 * per poll interval.
 */
export interface Backoff {
  readonly baseMs: number;
  readonly capMs: number;
}

export function backoffDelay(attempt: number, backoff: Backoff, random: () => number = Math.random): number {
  const ceiling = Math.min(backoff.capMs, backoff.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
