/**
 * A reproduce report's differences by part of the result (docs/console.md#reproduce-report): for
 * each part the page names (a run's `intents`, `diagnostics`, …), whether today's engine matches
 * the record there. A difference belongs to the first part its path starts with (`intents` holds
 * `intents[3].quantity`, not `intents_summary`); one that no part holds is counted under its own
 * first segment, so nothing is hidden. When the report lists only the first differences, a part
 * without a listed one is "not listed" rather than a claimed match.
 */

export type PartVerdict = 'MATCH' | 'MISMATCH' | 'NOT_LISTED';

export interface PartComparison {
  readonly part: string;
  readonly verdict: PartVerdict;
  /** Listed differences under this part. */
  readonly differences: number;
}

const holds = (part: string, path: string): boolean => path === part || path.startsWith(`${part}.`) || path.startsWith(`${part}[`);

/** `$` stays the whole value; otherwise the path up to its first `.` or `[`. */
const firstSegment = (path: string): string => path.split(/[.[]/)[0] || path;

export function compareParts(parts: readonly string[], paths: readonly string[], truncated: boolean): PartComparison[] {
  const counts = new Map<string, number>(parts.map((part) => [part, 0]));
  for (const path of paths) {
    const part = parts.find((p) => holds(p, path)) ?? firstSegment(path);
    counts.set(part, (counts.get(part) ?? 0) + 1);
  }
  return [...counts].map(([part, differences]) => ({ part, differences, verdict: differences > 0 ? 'MISMATCH' : truncated ? 'NOT_LISTED' : 'MATCH' }));
}
