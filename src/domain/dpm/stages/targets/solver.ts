/**
 * SOLVER target method (docs/engine.md#solver-method): instead of adjusting weights step by step,
 * finds the portfolio closest to the model (least squares) that satisfies every constraint at once
 * — weights ≥ 0, single-position cap, group caps, and an invested total inside the cash band.
 * Locked instruments keep their weights and only reduce the room left for the others.
 */
import { Decimal, ONE, quantize, ZERO } from '../../../decimal.ts';
import { infeasible, lockedGroupWeightHint, unknownConstraintAttribute, WARNINGS } from '../../codes.ts';
import type { Diagnostics, EngineOptions, ModelTarget } from '../../../portfolio/model.ts';
import { solveProjection, type SumConstraint } from '../../solver/projection-qp.ts';
import type { MarketContext } from '../../../portfolio/market-context.ts';
import type { Universe } from '../universe.ts';
import { redistributeSellOnly, sumWeights, type TargetStageResult } from './target-stage.ts';

/** The reference's cvxpy status for a problem with no feasible point. */
const INFEASIBLE_STATUS = 'infeasible';
const WEIGHT_DECIMALS = 4;

interface GroupSplit {
  readonly key: string;
  readonly attributeKey: string;
  readonly maxWeight: Decimal;
  /** Indices into the tradeable list. */
  readonly tradeable: number[];
  readonly lockedWeight: Decimal;
}

function splitGroups(
  weights: ReadonlyMap<string, Decimal>,
  tradeableIndex: ReadonlyMap<string, number>,
  options: EngineOptions,
  market: MarketContext,
): GroupSplit[] {
  return options.groupConstraints.map(({ key, attributeKey, attributeValue, maxWeight }) => {
    const tradeable: number[] = [];
    let lockedWeight = ZERO;
    for (const [id, weight] of weights) {
      if (market.shelf(id)?.attributes.get(attributeKey) !== attributeValue) continue;
      const index = tradeableIndex.get(id);
      if (index === undefined) lockedWeight = lockedWeight.plus(weight);
      else tradeable.push(index);
    }
    return { key, attributeKey, maxWeight, tradeable, lockedWeight };
  });
}

function infeasibilityHints(
  investedMin: Decimal,
  investedMax: Decimal,
  tradeableCount: number,
  groups: readonly GroupSplit[],
  options: EngineOptions,
): string[] {
  const hints: string[] = [];
  if (investedMin.gt(investedMax)) hints.push(WARNINGS.INFEASIBILITY_HINT_CASH_BAND_CONTRADICTION);
  const cap = options.singlePositionMaxWeight;
  if (cap !== null && cap.times(Decimal.from(tradeableCount)).lt(investedMin)) {
    hints.push(WARNINGS.INFEASIBILITY_HINT_SINGLE_POSITION_CAPACITY);
  }
  for (const group of groups) {
    if (group.lockedWeight.gt(group.maxWeight)) hints.push(lockedGroupWeightHint(group.key));
  }
  return hints;
}

export function solverTargets(
  universe: Universe,
  modelTargets: readonly ModelTarget[],
  options: EngineOptions,
  market: MarketContext,
  diagnostics: Diagnostics,
): TargetStageResult {
  const weights = new Map(universe.eligible);
  // Only the status effect matters: the solve overwrites tradeable weights.
  const pending = redistributeSellOnly(weights, universe);
  const stageStatus = pending ? 'PENDING_REVIEW' : 'READY';
  const tradeable = [...weights.keys()].filter((id) => universe.buyable.has(id));
  if (tradeable.length === 0) return { status: stageStatus, weights };

  const tradeableIndex = new Map(tradeable.map((id, index) => [id, index]));
  const lockedWeight = sumWeights(weights, (id) => !tradeableIndex.has(id));
  // The objective uses the raw model weights, not the sell-only-redistributed ones.
  const modelWeight = new Map(modelTargets.map((t) => [t.instrumentId, t.weight]));
  const investedMin = ONE.minus(options.cashBandMaxWeight).minus(lockedWeight);
  const investedMax = ONE.minus(options.cashBandMinWeight).minus(lockedWeight);

  const groups = splitGroups(weights, tradeableIndex, options, market);
  const groupCaps: SumConstraint[] = [];
  for (const group of groups) {
    if (!market.attributeKeys.has(group.attributeKey)) {
      diagnostics.warnings.push(unknownConstraintAttribute(group.attributeKey));
      continue;
    }
    if (group.tradeable.length === 0 && group.lockedWeight.isZero()) continue;
    groupCaps.push({ members: group.tradeable, bound: group.maxWeight.minus(group.lockedWeight).toNumber() });
  }

  const everyone = tradeable.map((_, index) => index);
  const cap = options.singlePositionMaxWeight;
  const result = solveProjection({
    target: tradeable.map((id) => (modelWeight.get(id) ?? ZERO).toNumber()),
    lower: tradeable.map(() => 0),
    upper: tradeable.map(() => (cap === null ? Infinity : cap.toNumber())),
    sumAtMost: [{ members: everyone, bound: investedMax.toNumber() }, ...groupCaps],
    sumAtLeast: [{ members: everyone, bound: investedMin.toNumber() }],
  });

  if (result.status === 'optimal') {
    tradeable.forEach((id, index) => {
      // Python: Decimal(str(max(float(value), 0.0))); String() gives the same shortest digits.
      const value = Math.max(result.x[index] as number, 0);
      weights.set(id, quantize(Decimal.from(String(value)), WEIGHT_DECIMALS));
    });
    return { status: stageStatus, weights };
  }
  if (result.status === 'infeasible') {
    diagnostics.warnings.push(
      infeasible(INFEASIBLE_STATUS),
      ...infeasibilityHints(investedMin, investedMax, tradeable.length, groups, options),
    );
  } else diagnostics.warnings.push(WARNINGS.SOLVER_ERROR);
  return { status: 'BLOCKED', weights };
}
