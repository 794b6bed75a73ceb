/**
 * The reference's model validators: checks that look at more than one field. They run on
 * already-normalised values (decimal text), so they only parse what they compare.
 */
import { Decimal, sum } from '../../decimal.ts';
import type { Position } from '../request-schema.ts';
import type { PathSegment, ProblemList } from './problems.ts';
import type { Refinement } from './schema-walker.ts';

const LOT_TOLERANCE = Decimal.from('0.0001');

function lotsSumToQuantity(position: Position, path: readonly PathSegment[], problems: ProblemList): boolean {
  if (position.lots.length === 0) return true;
  const lotTotal = sum(position.lots.map((lot) => Decimal.from(lot.quantity)));
  if (lotTotal.minus(Decimal.from(position.quantity)).abs().lte(LOT_TOLERANCE)) return true;
  problems.add(
    [...path, 'lots'],
    'value_error',
    'Value error, sum(lot.quantity) must equal position.quantity within tolerance 0.0001',
  );
  return false;
}

function suitabilityCashBandOrdered(
  thresholds: { cash_band_min_weight: string; cash_band_max_weight: string },
  path: readonly PathSegment[],
  problems: ProblemList,
): boolean {
  if (Decimal.from(thresholds.cash_band_min_weight).lte(Decimal.from(thresholds.cash_band_max_weight))) return true;
  problems.add(path, 'value_error', 'Value error, suitability cash band min cannot exceed max');
  return false;
}

/** The checks of the shared request parts, by the name their schema gives (`x-dpm-refine`). */
export const PORTFOLIO_REFINEMENTS: Readonly<Record<string, Refinement>> = {
  'lots-sum-to-quantity': lotsSumToQuantity as Refinement,
  'suitability-cash-band-ordered': suitabilityCashBandOrdered as Refinement,
};
