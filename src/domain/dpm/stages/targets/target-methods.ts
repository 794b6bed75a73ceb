/**
 * Runs the requested target method and, when asked, the other one for comparison
 * (docs/engine.md#comparing-the-methods).
 * The comparison is advisory: it never changes the primary weights or status.
 */
import { compareCodePoints } from '../../../canonical-json.ts';
import { ZERO, type Decimal } from '../../../decimal.ts';
import { WARNINGS } from '../../codes.ts';
import type {
  Diagnostics,
  EngineInput,
  TargetInstrument,
  TargetMethod,
  TargetMethodComparison,
} from '../../../portfolio/model.ts';
import { emptyDiagnostics } from '../../../portfolio/diagnostics.ts';
import type { MarketContext } from '../../../portfolio/market-context.ts';
import type { Universe } from '../universe.ts';
import { heuristicTargets } from './heuristic.ts';
import { solverTargets } from './solver.ts';
import type { TargetStageResult } from './target-stage.ts';
import { buildTargetTrace } from './target-trace.ts';

export function runTargetMethod(
  method: TargetMethod,
  universe: Universe,
  input: EngineInput,
  market: MarketContext,
  diagnostics: Diagnostics,
): TargetStageResult {
  return method === 'SOLVER'
    ? solverTargets(universe, input.modelTargets, input.options, market, diagnostics)
    : heuristicTargets(universe, input.options, market, diagnostics);
}

/** The table a method produced; empty when it blocked. */
export function traceOf(
  result: TargetStageResult,
  universe: Universe,
  input: EngineInput,
  totalValue: Decimal,
): TargetInstrument[] {
  if (result.status === 'BLOCKED') return [];
  return buildTargetTrace(input.modelTargets, result.weights, universe, totalValue, input.portfolio.baseCurrency);
}

function finalWeights(trace: readonly TargetInstrument[]): Map<string, Decimal> {
  return new Map(trace.map((row) => [row.instrumentId, row.finalWeight]));
}

/**
 * Runs the other method on the same universe with its own diagnostics, compares final weights
 * per instrument, and adds the divergence warnings to the run's diagnostics.
 */
export function compareTargetMethods(
  primary: { readonly result: TargetStageResult; readonly trace: readonly TargetInstrument[] },
  universe: Universe,
  input: EngineInput,
  market: MarketContext,
  totalValue: Decimal,
  diagnostics: Diagnostics,
): TargetMethodComparison {
  const { options } = input;
  const alternateMethod: TargetMethod = options.targetMethod === 'SOLVER' ? 'HEURISTIC' : 'SOLVER';
  const alternateDiagnostics = emptyDiagnostics();
  const alternate = runTargetMethod(alternateMethod, universe, input, market, alternateDiagnostics);

  const primaryWeights = finalWeights(primary.trace);
  const alternateWeights = finalWeights(traceOf(alternate, universe, input, totalValue));
  const ids = new Set([...primaryWeights.keys(), ...alternateWeights.keys()]);
  const differing = [...ids]
    .filter((id) =>
      (primaryWeights.get(id) ?? ZERO)
        .minus(alternateWeights.get(id) ?? ZERO)
        .abs()
        .gt(options.compareTargetMethodsTolerance),
    )
    .sort(compareCodePoints);

  if (alternate.status !== primary.result.status) {
    diagnostics.warnings.push(WARNINGS.TARGET_METHOD_STATUS_DIVERGENCE);
  }
  if (differing.length > 0) diagnostics.warnings.push(WARNINGS.TARGET_METHOD_WEIGHT_DIVERGENCE);

  return {
    primaryMethod: options.targetMethod,
    primaryStatus: primary.result.status,
    alternateMethod,
    alternateStatus: alternate.status,
    tolerance: options.compareTargetMethodsToleranceText,
    differingInstruments: differing,
    alternateWarnings: [...new Set(alternateDiagnostics.warnings)].sort(compareCodePoints),
  };
}
