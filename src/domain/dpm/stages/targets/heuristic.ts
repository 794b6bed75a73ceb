/**
 * HEURISTIC target method (docs/engine.md#heuristic-method): adjusts model weights step by step —
 * sell-only redistribution, group caps, over-100% normalisation, single-position cap, minimum cash
 * buffer. Each step is single-pass, as in the reference: a later step can undo an earlier one.
 */
import { Decimal, divide, isPositive, maxOf, minOf, ONE, ZERO } from '../../../decimal.ts';
import { cappedByGroupLimit, unknownConstraintAttribute, WARNINGS } from '../../codes.ts';
import type { Diagnostics, EngineOptions } from '../../../portfolio/model.ts';
import type { MarketContext } from '../../../portfolio/market-context.ts';
import type { Universe } from '../universe.ts';
import { redistributeSellOnly, sumWeights, type TargetStageResult } from './target-stage.ts';

/** Group weights may exceed their cap by this much before the cap bites. */
const GROUP_TOLERANCE = Decimal.from('0.0001');
/** Only totals above this are scaled back to 100 %. */
const OVERWEIGHT_THRESHOLD = Decimal.from('1.0001');
/** Cap redistribution left over above this means the model could not be honoured. */
const CAP_REMAINDER_TOLERANCE = Decimal.from('0.001');

function scaleBuyable(weights: Map<string, Decimal>, universe: Universe, factor: Decimal): void {
  for (const [id, weight] of weights) if (universe.buyable.has(id)) weights.set(id, weight.times(factor));
}

/** Returns false when a group cannot be capped (nobody to receive the released weight). */
function applyGroupConstraints(
  weights: Map<string, Decimal>,
  universe: Universe,
  options: EngineOptions,
  market: MarketContext,
  diagnostics: Diagnostics,
): boolean {
  for (const constraint of options.groupConstraints) {
    if (!market.attributeKeys.has(constraint.attributeKey)) {
      diagnostics.warnings.push(unknownConstraintAttribute(constraint.attributeKey));
      continue;
    }
    const isMember = (id: string): boolean =>
      market.shelf(id)?.attributes.get(constraint.attributeKey) === constraint.attributeValue;
    const members = [...weights.keys()].filter(isMember);
    if (members.length === 0) continue;
    const current = sumWeights(weights, isMember);
    if (current.lte(constraint.maxWeight.plus(GROUP_TOLERANCE))) continue;

    const scale = divide(constraint.maxWeight, current);
    const excess = current.minus(constraint.maxWeight);
    for (const id of members) weights.set(id, (weights.get(id) as Decimal).times(scale));

    const candidates = new Set([...weights.keys()].filter((id) => universe.buyable.has(id) && !isMember(id)));
    const candidateTotal = sumWeights(weights, (id) => candidates.has(id));
    diagnostics.warnings.push(cappedByGroupLimit(constraint.key));
    if (!isPositive(candidateTotal)) {
      diagnostics.warnings.push(WARNINGS.NO_ELIGIBLE_REDISTRIBUTION_DESTINATION);
      diagnostics.groupConstraintEvents.push({
        constraintKey: constraint.key,
        groupWeightBefore: current,
        maxWeight: constraint.maxWeight,
        releasedWeight: excess,
        recipients: new Map(),
        status: 'BLOCKED',
      });
      return false;
    }
    const recipients = new Map<string, Decimal>();
    for (const id of candidates) {
      const weight = weights.get(id) as Decimal;
      const share = excess.times(divide(weight, candidateTotal));
      weights.set(id, weight.plus(share));
      recipients.set(id, share);
    }
    diagnostics.groupConstraintEvents.push({
      constraintKey: constraint.key,
      groupWeightBefore: current,
      maxWeight: constraint.maxWeight,
      releasedWeight: excess,
      recipients,
      status: 'CAPPED',
    });
  }
  return true;
}

/** Scales buyable weights down when the whole book adds up to more than 100 %. */
function normaliseOverweight(weights: Map<string, Decimal>, universe: Universe): boolean {
  if (!sumWeights(weights, () => true).gt(OVERWEIGHT_THRESHOLD)) return false;
  const locked = sumWeights(weights, (id) => !universe.buyable.has(id));
  const space = maxOf(ZERO, ONE.minus(locked));
  let pending = locked.gt(ONE);
  const buyable = sumWeights(weights, (id) => universe.buyable.has(id));
  if (buyable.gt(space)) {
    if (isPositive(buyable)) scaleBuyable(weights, universe, divide(space, buyable));
    pending = true;
  }
  return pending;
}

/**
 * Clamps every weight (locked ones too) to the cap and hands the excess to buyable weights
 * under the cap, pro rata. `remaining` shrinks as shares are handed out while the divisor stays
 * the original candidate total — the reference's arithmetic, kept for identical weights.
 */
function applySinglePositionCap(weights: Map<string, Decimal>, universe: Universe, cap: Decimal): boolean {
  let excess = ZERO;
  for (const [id, weight] of weights) {
    if (weight.gt(cap)) {
      excess = excess.plus(weight.minus(cap));
      weights.set(id, cap);
    }
  }
  if (!isPositive(excess)) return false;
  const candidates = [...weights].filter(([id, weight]) => universe.buyable.has(id) && weight.lt(cap));
  let candidateTotal = ZERO;
  for (const [, weight] of candidates) candidateTotal = candidateTotal.plus(weight);
  if (!isPositive(candidateTotal)) return true;
  let remaining = excess;
  for (const [id, weight] of candidates) {
    const share = minOf(remaining.times(divide(weight, candidateTotal)), cap.minus(weight));
    weights.set(id, weight.plus(share));
    remaining = remaining.minus(share);
  }
  return remaining.gt(CAP_REMAINDER_TOLERANCE);
}

/** Keeps at least `bufferPct` of the book in cash by scaling buyable weights down. */
function applyMinCashBuffer(weights: Map<string, Decimal>, universe: Universe, bufferPct: Decimal): boolean {
  const buyable = sumWeights(weights, (id) => universe.buyable.has(id));
  const locked = sumWeights(weights, (id) => !universe.buyable.has(id));
  const allowed = maxOf(ZERO, ONE.minus(bufferPct).minus(locked));
  if (!buyable.gt(allowed)) return false;
  if (isPositive(buyable)) scaleBuyable(weights, universe, divide(allowed, buyable));
  return true;
}

export function heuristicTargets(
  universe: Universe,
  options: EngineOptions,
  market: MarketContext,
  diagnostics: Diagnostics,
): TargetStageResult {
  const weights = new Map(universe.eligible);
  let pending = redistributeSellOnly(weights, universe);
  if (!applyGroupConstraints(weights, universe, options, market, diagnostics)) {
    return { status: 'BLOCKED', weights };
  }
  if (normaliseOverweight(weights, universe)) pending = true;
  const cap = options.singlePositionMaxWeight;
  if (cap !== null && applySinglePositionCap(weights, universe, cap)) pending = true;
  if (isPositive(options.minCashBufferPct) && applyMinCashBuffer(weights, universe, options.minCashBufferPct)) {
    pending = true;
  }
  return { status: pending ? 'PENDING_REVIEW' : 'READY', weights };
}
