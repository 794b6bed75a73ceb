/**
 * Stage 6, drift and suitability (docs/advisory.md#drift, docs/advisory.md#suitability), each only
 * when its option is on. Drift needs a reference model in the portfolio's base currency.
 */
import { Decimal } from '../../decimal.ts';
import type { Diagnostics, SimulatedState } from '../../portfolio/model.ts';
import type { ShelfEntry as WireShelfEntry } from '../../portfolio/request-schema.ts';
import { WARNINGS } from '../codes.ts';
import { computeDrift } from '../drift.ts';
import type { TradeIntent } from '../intents.ts';
import type { ProposalSimulateRequest } from '../model/request-schema.ts';
import type { DriftAnalysis } from '../model/result-schema.ts';
import { computeSuitability, type SuitabilityThresholds } from '../suitability.ts';

export interface SnapshotIds {
  readonly portfolioSnapshotId: string;
  readonly marketDataSnapshotId: string;
}

export function analyseDrift(
  request: ProposalSimulateRequest,
  before: SimulatedState,
  after: SimulatedState,
  traded: readonly TradeIntent[],
  diagnostics: Diagnostics,
): DriftAnalysis | null {
  const options = request.options;
  const model = request.reference_model;
  if (!options.enable_drift_analytics || model === null) return null;
  if (model.base_currency !== request.portfolio_snapshot.base_currency) {
    diagnostics.warnings.push(WARNINGS.REFERENCE_MODEL_BASE_CURRENCY_MISMATCH);
    return null;
  }
  return computeDrift(
    before,
    after,
    model,
    traded.map((t) => t.instrumentId),
    {
      enableInstrumentDrift: options.enable_instrument_drift,
      topContributorsLimit: options.drift_top_contributors_limit,
      unmodeledExposureThreshold: Decimal.from(options.drift_unmodeled_exposure_threshold),
    },
  ).output;
}

export type Suitability = ReturnType<typeof computeSuitability>;

function firstShelfEntries(entries: readonly WireShelfEntry[]): Map<string, WireShelfEntry> {
  const map = new Map<string, WireShelfEntry>();
  for (const entry of entries) if (!map.has(entry.instrument_id)) map.set(entry.instrument_id, entry);
  return map;
}

export function scanSuitability(
  request: ProposalSimulateRequest,
  before: SimulatedState,
  after: SimulatedState,
  allowRestricted: boolean,
  ids: SnapshotIds,
): Suitability | null {
  if (!request.options.enable_suitability_scanner) return null;
  const shelf = firstShelfEntries(request.shelf_entries);
  return computeSuitability({
    before,
    after,
    shelf: (id) => shelf.get(id),
    thresholds: request.options.suitability_thresholds as SuitabilityThresholds,
    allowRestricted,
    proposedTrades: request.proposed_trades,
    ...ids,
  });
}
