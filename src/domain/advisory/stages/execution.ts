/**
 * Stage 3, execution (docs/advisory.md#pipeline): SELLs applied (sorted by instrument), then
 * funding of what the BUYs need (docs/advisory.md#funding), then the BUYs applied (sorted by
 * instrument) — a BUY in a currency funding could not cover is dropped. A BUY depends on its
 * currency's FX and, only with `link_buy_to_same_currency_sell_dependency`, on the last SELL in
 * that currency. Intents come out CASH_FLOW, SELL, FX, BUY.
 */
import { compareCodePoints } from '../../canonical-json.ts';
import type { Book } from '../../portfolio/after-state.ts';
import type { MarketContext } from '../../portfolio/market-context.ts';
import type { EngineOptions, FxSpotIntent } from '../../portfolio/model.ts';
import { WARNINGS } from '../codes.ts';
import { planFunding, type FundingOutcome } from '../funding.ts';
import type { CashFlowIntent, ProposalIntent, TradeIntent } from '../intents.ts';
import type { ProposalSimulateRequest } from '../model/request-schema.ts';
import type { RunState } from './run-state.ts';

export interface Execution {
  readonly intents: ProposalIntent[];
  /** The SELLs and the BUYs that were applied, in execution order. */
  readonly traded: TradeIntent[];
  /** Null with `auto_funding=false`. */
  readonly funding: FundingOutcome | null;
}

const bySortKey = (a: TradeIntent, b: TradeIntent): number => compareCodePoints(a.instrumentId, b.instrumentId);

export function execute(
  request: ProposalSimulateRequest,
  options: EngineOptions,
  market: MarketContext,
  book: Book,
  cashFlows: readonly CashFlowIntent[],
  trades: readonly TradeIntent[],
  run: RunState,
): Execution {
  const { diagnostics } = run;
  const sells = trades.filter((t) => t.side === 'SELL').sort(bySortKey);
  const buys = trades.filter((t) => t.side === 'BUY').sort(bySortKey);
  for (const sell of sells) book.applyTrade(sell);

  const funding = request.options.auto_funding
    ? planFunding(
        buys,
        book.cash,
        market,
        { fundingSource: request.options.fx_funding_source_currency, blockOnMissingFx: options.blockOnMissingFx },
        diagnostics,
      )
    : null;
  if (funding !== null) run.hard.push(...funding.hard);

  const linkSells = options.linkBuyToSameCurrencySellDependency ?? false;
  const lastSellByCurrency = new Map<string, string>();
  for (const sell of sells) lastSellByCurrency.set(sell.notional.currency, sell.intentId);
  const keptBuys: TradeIntent[] = [];
  for (const buy of buys) {
    const currency = buy.notional.currency;
    if (funding?.unfunded.has(currency)) {
      if (!diagnostics.warnings.includes(WARNINGS.PROPOSAL_BUY_SKIPPED_UNFUNDED)) {
        diagnostics.warnings.push(WARNINGS.PROPOSAL_BUY_SKIPPED_UNFUNDED);
      }
      continue;
    }
    book.applyTrade(buy);
    const dependencies: string[] = [];
    const fxId = funding?.fxByCurrency.get(currency);
    if (fxId !== undefined) dependencies.push(fxId);
    const sellId = linkSells ? lastSellByCurrency.get(currency) : undefined;
    if (sellId !== undefined && !dependencies.includes(sellId)) dependencies.push(sellId);
    keptBuys.push({ ...buy, dependencies });
  }
  const fxIntents: FxSpotIntent[] = [...(funding?.fxIntents ?? [])].sort((a, b) => compareCodePoints(a.pair, b.pair));
  return {
    intents: [...cashFlows, ...sells, ...fxIntents, ...keptBuys],
    traded: [...sells, ...keptBuys],
    funding,
  };
}
