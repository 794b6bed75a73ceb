/**
 * The run's diagnostics object and the data-quality blocking test
 * (docs/engine.md#data-quality-blocks).
 */
import type { Diagnostics, EngineOptions } from './model.ts';

export function emptyDiagnostics(): Diagnostics {
  return {
    warnings: [],
    suppressedIntents: [],
    droppedIntents: [],
    groupConstraintEvents: [],
    taxBudgetConstraintEvents: [],
    cashLadder: [],
    cashLadderBreaches: [],
    dataQuality: { priceMissing: [], fxMissing: [], shelfMissing: [] },
  };
}

export type DataQuality = Diagnostics['dataQuality'];

/** Missing shelf always blocks; missing prices / FX block only when their option says so. */
export function hasBlockingDataQuality(diagnostics: Diagnostics, options: EngineOptions): boolean {
  const dq = diagnostics.dataQuality;
  return (
    dq.shelfMissing.length > 0 ||
    (options.blockOnMissingPrices && dq.priceMissing.length > 0) ||
    (options.blockOnMissingFx && dq.fxMissing.length > 0)
  );
}
