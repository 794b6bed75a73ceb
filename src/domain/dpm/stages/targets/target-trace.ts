/**
 * The target table shown to the portfolio manager (docs/engine.md#target-table): one row per model
 * target (model order, excluded ones included), then one row per other eligible instrument (held
 * positions the model does not mention). Tags only compare final with model weight.
 */
import { ZERO, type Decimal } from '../../../decimal.ts';
import { TARGET_TAGS } from '../../codes.ts';
import type { ModelTarget, TargetInstrument } from '../../../portfolio/model.ts';
import type { Universe } from '../universe.ts';

/** The reference writes the model weight of non-model rows as `Decimal("0.0")`. */
const NOT_IN_MODEL_WEIGHT = ZERO;

export function buildTargetTrace(
  modelTargets: readonly ModelTarget[],
  weights: ReadonlyMap<string, Decimal>,
  universe: Universe,
  totalValue: Decimal,
  baseCurrency: string,
): TargetInstrument[] {
  const row = (instrumentId: string, modelWeight: Decimal, finalWeight: Decimal, tags: string[]): TargetInstrument => ({
    instrumentId,
    modelWeight,
    finalWeight,
    finalValue: { amount: totalValue.times(finalWeight), currency: baseCurrency },
    tags,
  });

  const inModel = new Set<string>();
  const rows = modelTargets.map(({ instrumentId, weight: modelWeight }) => {
    inModel.add(instrumentId);
    const finalWeight = weights.get(instrumentId) ?? ZERO;
    const tags: string[] = [];
    if (modelWeight.gt(finalWeight)) tags.push(TARGET_TAGS.CAPPED_BY_MAX_WEIGHT);
    if (finalWeight.gt(modelWeight)) tags.push(TARGET_TAGS.REDISTRIBUTED_RECIPIENT);
    return row(instrumentId, modelWeight, finalWeight, tags);
  });
  for (const [instrumentId, finalWeight] of weights) {
    if (inModel.has(instrumentId)) continue;
    const sellToZero = universe.buyable.has(instrumentId) || finalWeight.isZero();
    const tag = sellToZero ? TARGET_TAGS.IMPLICIT_SELL_TO_ZERO : TARGET_TAGS.LOCKED_POSITION;
    rows.push(row(instrumentId, NOT_IN_MODEL_WEIGHT, finalWeight, [tag]));
  }
  return rows;
}
