/**
 * Stage 2, trades (docs/advisory.md#pipeline): each proposed trade, in input order, becomes a
 * SECURITY_TRADE intent `oi_<i>` (a skipped trade leaves a gap), or is refused or skipped with a
 * reason. A notional trade's quantity is notional ÷ price, unrounded.
 */
import { Decimal, divide } from '../../decimal.ts';
import type { MarketContext } from '../../portfolio/market-context.ts';
import type { EngineOptions } from '../../portfolio/model.ts';
import { HARD_FAILURES, WARNINGS } from '../codes.ts';
import type { TradeIntent } from '../intents.ts';
import type { ProposalSimulateRequest } from '../model/request-schema.ts';
import type { RunState } from './run-state.ts';

/** Statuses a BUY may not have (RESTRICTED only without `allow_restricted`). */
const BUY_BLOCKING_STATUSES = new Set(['SELL_ONLY', 'BANNED', 'SUSPENDED']);

export function buildTrades(
  request: ProposalSimulateRequest,
  options: EngineOptions,
  market: MarketContext,
  run: RunState,
): { trades: TradeIntent[]; skippedForPrice: number } {
  const dq = run.diagnostics.dataQuality;
  const warnings = run.diagnostics.warnings;
  const base = market.baseCurrency;
  const trades: TradeIntent[] = [];
  let skippedForPrice = 0;
  request.proposed_trades.forEach((proposed, i) => {
    const id = proposed.instrument_id;
    const shelf = market.shelf(id);
    if (shelf === undefined) {
      dq.shelfMissing.push(id);
      return;
    }
    if (
      proposed.side === 'BUY' &&
      (BUY_BLOCKING_STATUSES.has(shelf.status) || (shelf.status === 'RESTRICTED' && !options.allowRestricted))
    ) {
      warnings.push(WARNINGS.PROPOSAL_TRADE_NOT_SUPPORTED_BY_SHELF);
      run.hard.push(HARD_FAILURES.PROPOSAL_TRADE_NOT_SUPPORTED_BY_SHELF);
      return;
    }
    const price = market.price(id);
    if (price === undefined) {
      dq.priceMissing.push(id);
      // Never silently (docs/advisory.md#d4-unpriced-trades-are-never-silent): a warning, and a
      // soft rule below when prices do not block.
      if (!warnings.includes(WARNINGS.PROPOSAL_TRADE_SKIPPED_MISSING_PRICE)) {
        warnings.push(WARNINGS.PROPOSAL_TRADE_SKIPPED_MISSING_PRICE);
      }
      skippedForPrice += 1;
      return;
    }
    let quantity: Decimal;
    let notionalAmount: Decimal;
    if (proposed.quantity !== null) {
      quantity = Decimal.from(proposed.quantity);
      notionalAmount = quantity.times(price.price);
    } else {
      // Validation guarantees exactly one of quantity / notional.
      const notional = proposed.notional as { amount: string; currency: string };
      if (notional.currency !== price.currency) {
        warnings.push(WARNINGS.PROPOSAL_INVALID_TRADE_INPUT);
        run.hard.push(HARD_FAILURES.PROPOSAL_INVALID_TRADE_INPUT);
        return;
      }
      notionalAmount = Decimal.from(notional.amount);
      quantity = divide(notionalAmount, price.price);
    }
    const rate = market.fxRate(price.currency, base);
    if (rate === null) dq.fxMissing.push(`${price.currency}/${base}`);
    trades.push({
      intentType: 'SECURITY_TRADE',
      intentId: `oi_${i + 1}`,
      instrumentId: id,
      side: proposed.side,
      quantity,
      notional: { amount: notionalAmount, currency: price.currency },
      notionalBase: rate === null ? null : { amount: notionalAmount.times(rate), currency: base },
      dependencies: [],
    });
  });
  return { trades, skippedForPrice };
}
