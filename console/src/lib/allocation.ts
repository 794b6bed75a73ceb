/**
 * The rows of the allocation chart: for each instrument (or asset class) its weight before the
 * rebalance, its target and its weight after the simulated trades. Weights stay the decimal
 * strings of the result; `value` is a number for drawing only.
 */
import type { RebalanceResult } from '../api/results.ts';

export interface AllocationRow {
  readonly key: string;
  readonly before: string | null;
  readonly target: string | null;
  readonly after: string | null;
}

export const SERIES = ['before', 'target', 'after'] as const;
export type Series = (typeof SERIES)[number];

export const SERIES_LABEL: Readonly<Record<Series, string>> = { before: 'Before', target: 'Target', after: 'After trades' };

export const value = (weight: string | null): number => (weight === null ? 0 : Number(weight));

function largestFirst(rows: AllocationRow[]): AllocationRow[] {
  const size = (row: AllocationRow) => Math.max(value(row.before), value(row.target), value(row.after));
  return rows.sort((a, b) => size(b) - size(a) || a.key.localeCompare(b.key));
}

function merge(keys: Iterable<string>, before: Map<string, string>, target: Map<string, string>, after: Map<string, string>): AllocationRow[] {
  return largestFirst([...new Set(keys)].map((key) => ({ key, before: before.get(key) ?? null, target: target.get(key) ?? null, after: after.get(key) ?? null })));
}

const byKey = (metrics: readonly { key: string; weight: string }[]) => new Map(metrics.map((m) => [m.key, m.weight]));

/** One row per instrument that is held before, targeted, or held after. */
export function allocationByInstrument(result: RebalanceResult): AllocationRow[] {
  const before = byKey(result.before.allocation_by_instrument);
  const after = byKey(result.after_simulated.allocation_by_instrument);
  const target = new Map(result.target.targets.map((t) => [t.instrument_id, t.final_weight]));
  return merge([...before.keys(), ...target.keys(), ...after.keys()], before, target, after);
}

/** Four decimals, as the engine prints weights. */
function fixed4(n: number): string {
  return (Math.round(n * 10_000) / 10_000).toFixed(4);
}

/**
 * One row per asset class. The result states the target per instrument only, so the target of
 * a class is the sum of its instruments' final weights (cash: what the targets leave over).
 */
export function allocationByAssetClass(result: RebalanceResult): AllocationRow[] {
  const before = byKey(result.before.allocation_by_asset_class);
  const after = byKey(result.after_simulated.allocation_by_asset_class);
  const classOf = new Map<string, string>();
  for (const p of [...result.before.positions, ...result.after_simulated.positions]) classOf.set(p.instrument_id, p.asset_class);
  const sums = new Map<string, number>();
  let invested = 0;
  for (const t of result.target.targets) {
    const cls = classOf.get(t.instrument_id) ?? 'UNKNOWN';
    sums.set(cls, (sums.get(cls) ?? 0) + Number(t.final_weight));
    invested += Number(t.final_weight);
  }
  if (result.target.targets.length > 0) sums.set('CASH', Math.max(0, 1 - invested) + (sums.get('CASH') ?? 0));
  const target = new Map([...sums].map(([k, v]) => [k, fixed4(v)]));
  return merge([...before.keys(), ...target.keys(), ...after.keys()], before, target, after);
}

/** Drift of a proposal against its reference model: portfolio weight before and after, model weight as the target. */
export function allocationFromDrift(buckets: readonly { bucket: string; model_weight: string; portfolio_weight_before: string; portfolio_weight_after: string }[]): AllocationRow[] {
  return largestFirst(buckets.map((b) => ({ key: b.bucket, before: b.portfolio_weight_before, target: b.model_weight, after: b.portfolio_weight_after })));
}

/** Before and after only (no target), e.g. a proposal without a reference model. */
export function allocationBeforeAfter(before: readonly { key: string; weight: string }[], after: readonly { key: string; weight: string }[]): AllocationRow[] {
  const b = byKey(before);
  const a = byKey(after);
  return merge([...b.keys(), ...a.keys()], b, new Map(), a);
}
