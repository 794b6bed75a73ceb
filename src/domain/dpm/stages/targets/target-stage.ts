/**
 * What both target methods share: their result shape, the sell-only redistribution they both
 * start with (docs/engine.md#targets) and small helpers over the working weight map.
 */
import { type Decimal, divide, isPositive, ZERO } from '../../../decimal.ts';
import type { Universe } from '../universe.ts';

export type TargetStageStatus = 'READY' | 'PENDING_REVIEW' | 'BLOCKED';

export interface TargetStageResult {
  readonly status: TargetStageStatus;
  /** Final weights of every eligible instrument; ignored when `status` is BLOCKED. */
  readonly weights: ReadonlyMap<string, Decimal>;
}

export function sumWeights(weights: ReadonlyMap<string, Decimal>, include: (id: string) => boolean): Decimal {
  let total = ZERO;
  for (const [id, weight] of weights) if (include(id)) total = total.plus(weight);
  return total;
}

/**
 * Hands the model weight of SELL_ONLY targets to the buyable targets, pro rata to their
 * weights. Returns true (PENDING_REVIEW) when nobody can take it: the weight becomes cash.
 *
 * Every pro-rata share in the target stage is computed as `amount × (weight / total)`: with
 * 28-digit rounding, `(amount × weight) / total` differs in the last digit, and the 200- and
 * 1,000-position conformance vectors pin this form for this step.
 */
export function redistributeSellOnly(weights: Map<string, Decimal>, universe: Universe): boolean {
  const excess = universe.sellOnlyExcess;
  if (!isPositive(excess)) return false;
  const recipients = [...weights].filter(([id]) => universe.buyable.has(id));
  let total = ZERO;
  for (const [, weight] of recipients) total = total.plus(weight);
  if (!isPositive(total)) return true;
  for (const [id, weight] of recipients) weights.set(id, weight.plus(excess.times(divide(weight, total))));
  return false;
}
