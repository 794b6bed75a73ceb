/**
 * Universe and shelf filtering (docs/engine.md#universe). Decides, per instrument, whether the
 * model may buy it, must sell it, or has to leave it where it is ("locked" at its current weight).
 *
 * `eligible` is the working set of target weights the target stage edits: model targets first
 * (model order), then held instruments the model does not mention (position order).
 */
import { ZERO, type Decimal } from '../../decimal.ts';
import { EXCLUSIONS } from '../codes.ts';
import type { EngineOptions, Exclusion, ModelTarget, PortfolioSnapshot, SimulatedState } from '../../portfolio/model.ts';
import type { DataQuality } from '../../portfolio/diagnostics.ts';
import type { MarketContext } from '../../portfolio/market-context.ts';

export interface Universe {
  readonly eligible: ReadonlyMap<string, Decimal>;
  /** Instruments the target stage may raise; every other eligible id is locked or a sell. */
  readonly buyable: ReadonlySet<string>;
  readonly eligibleForBuy: readonly string[];
  readonly eligibleForSell: readonly string[];
  readonly excluded: readonly Exclusion[];
  /** Model weight of SELL_ONLY targets, handed to the buyable targets. */
  readonly sellOnlyExcess: Decimal;
}

const EXCLUDED_REASON = {
  BANNED: EXCLUSIONS.SHELF_STATUS_BANNED,
  SUSPENDED: EXCLUSIONS.SHELF_STATUS_SUSPENDED,
} as const;

const LOCKED_REASON = {
  SUSPENDED: EXCLUSIONS.LOCKED_DUE_TO_SUSPENDED,
  BANNED: EXCLUSIONS.LOCKED_DUE_TO_BANNED,
  RESTRICTED: EXCLUSIONS.LOCKED_DUE_TO_RESTRICTED,
} as const;

export function buildUniverse(
  modelTargets: readonly ModelTarget[],
  portfolio: PortfolioSnapshot,
  before: SimulatedState,
  options: EngineOptions,
  market: MarketContext,
  dataQuality: DataQuality,
): Universe {
  const eligible = new Map<string, Decimal>();
  const buyable = new Set<string>();
  const eligibleForBuy: string[] = [];
  const eligibleForSell: string[] = [];
  const excluded: Exclusion[] = [];
  let sellOnlyExcess = ZERO;

  for (const { instrumentId, weight } of modelTargets) {
    const shelf = market.shelf(instrumentId);
    if (shelf === undefined) {
      dataQuality.shelfMissing.push(instrumentId);
    } else if (shelf.status === 'BANNED' || shelf.status === 'SUSPENDED') {
      excluded.push({ instrumentId, reasonCode: EXCLUDED_REASON[shelf.status] });
    } else if (shelf.status === 'RESTRICTED' && !options.allowRestricted) {
      excluded.push({ instrumentId, reasonCode: EXCLUSIONS.SHELF_STATUS_RESTRICTED });
    } else if (shelf.status === 'SELL_ONLY') {
      sellOnlyExcess = sellOnlyExcess.plus(weight);
      eligible.set(instrumentId, ZERO);
      eligibleForSell.push(instrumentId);
      excluded.push({ instrumentId, reasonCode: EXCLUSIONS.SHELF_STATUS_SELL_ONLY });
    } else {
      eligible.set(instrumentId, weight);
      buyable.add(instrumentId);
      eligibleForBuy.push(instrumentId);
      eligibleForSell.push(instrumentId);
    }
  }

  portfolio.positions.forEach((position, index) => {
    const { instrumentId } = position;
    if (position.quantity.isZero() || eligible.has(instrumentId)) return;
    const shelf = market.shelf(instrumentId);
    const currentWeight = (before.positions[index] as { weight: Decimal }).weight;
    if (shelf === undefined) {
      eligible.set(instrumentId, currentWeight);
      excluded.push({ instrumentId, reasonCode: EXCLUSIONS.LOCKED_DUE_TO_MISSING_SHELF });
    } else if (shelf.status === 'SUSPENDED' || shelf.status === 'BANNED' || shelf.status === 'RESTRICTED') {
      eligible.set(instrumentId, currentWeight);
      excluded.push({ instrumentId, reasonCode: LOCKED_REASON[shelf.status] });
    } else {
      eligible.set(instrumentId, ZERO);
      eligibleForSell.push(instrumentId);
    }
  });

  return { eligible, buyable, eligibleForBuy, eligibleForSell, excluded, sellOnlyExcess };
}
