/** The DPM request's own cross-field check: a batch holds 1 to MAX_SCENARIOS scenarios. */
import type { PathSegment, ProblemList } from '../../portfolio/validation/problems.ts';
import { PORTFOLIO_REFINEMENTS } from '../../portfolio/validation/refinements.ts';
import type { Refinement } from '../../portfolio/validation/schema-walker.ts';
import { MAX_SCENARIOS } from '../model/request-schema.ts';

function scenarioCount(
  scenarios: Record<string, unknown>,
  path: readonly PathSegment[],
  problems: ProblemList,
): boolean {
  const count = Object.keys(scenarios).length;
  if (count === 0) problems.add(path, 'value_error', 'Value error, at least one scenario is required');
  else if (count > MAX_SCENARIOS) {
    problems.add(path, 'value_error', `Value error, scenario count exceeds maximum of ${MAX_SCENARIOS}`);
  } else return true;
  return false;
}

export const REBALANCE_REFINEMENTS: Readonly<Record<string, Refinement>> = {
  ...PORTFOLIO_REFINEMENTS,
  'scenario-count': scenarioCount as Refinement,
};
