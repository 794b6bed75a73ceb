/**
 * FX and execution order (docs/engine.md#fx-and-execution-order). Hub-and-spoke: every foreign
 * currency is settled against the base currency with at most one FX trade — a FUNDING buy (plus the
 * FX buffer) where trades leave the currency short, a SWEEP back to base where cash is left over.
 * BUYs then depend on their funding FX and on the last SELL in the same currency. Execution order:
 * SELLs, FX, BUYs.
 */
import { type Decimal, isNegative, ONE, ZERO } from '../../decimal.ts';
import type {
  CashBalance,
  Diagnostics,
  EngineOptions,
  FxSpotIntent,
  Intent,
  SecurityTradeIntent,
} from '../../portfolio/model.ts';
import type { MarketContext } from '../../portfolio/market-context.ts';

export type FxStageResult =
  | { readonly blocked: false; readonly intents: readonly Intent[] }
  /** A currency without a rate while `block_on_missing_fx` is on (earlier checks normally catch it). */
  | { readonly blocked: true };

/** Cash per currency after all trades, in first-seen order (cash list first). */
function projectedCash(cash: readonly CashBalance[], trades: readonly SecurityTradeIntent[]): Map<string, Decimal> {
  const projected = new Map<string, Decimal>();
  for (const balance of cash) projected.set(balance.currency, balance.amount);
  for (const trade of trades) {
    const { currency, amount } = trade.notional;
    const current = projected.get(currency) ?? ZERO;
    projected.set(currency, trade.side === 'SELL' ? current.plus(amount) : current.minus(amount));
  }
  return projected;
}

const EXECUTION_RANK = { SELL: 1, FX_SPOT: 2, BUY: 3 } as const;

function executionRank(intent: Intent): number {
  return intent.intentType === 'FX_SPOT' ? EXECUTION_RANK.FX_SPOT : EXECUTION_RANK[intent.side];
}

export function generateFxAndOrder(
  trades: readonly SecurityTradeIntent[],
  cash: readonly CashBalance[],
  options: EngineOptions,
  market: MarketContext,
  diagnostics: Diagnostics,
): FxStageResult {
  const base = market.baseCurrency;
  const intents: Intent[] = [...trades];
  const fundingFx = new Map<string, string>();

  for (const [currency, balance] of projectedCash(cash, trades)) {
    if (currency === base) continue;
    // The rate is looked up (and reported missing) even for a zero balance, as the reference does.
    const rate = market.fxRate(currency, base);
    if (rate === null) {
      diagnostics.dataQuality.fxMissing.push(`${currency}/${base}`);
      if (options.blockOnMissingFx) return { blocked: true };
      continue;
    }
    if (balance.isZero()) continue;
    const intentId = `oi_fx_${intents.length + 1}`;
    const pair = `${currency}/${base}`;
    let fx: FxSpotIntent;
    if (isNegative(balance)) {
      const buyAmount = balance.abs().times(ONE.plus(options.fxBufferPct));
      fx = {
        intentType: 'FX_SPOT',
        intentId,
        pair,
        buyCurrency: currency,
        buyAmount,
        sellCurrency: base,
        sellAmountEstimated: buyAmount.times(rate),
        purpose: 'FUNDING',
      };
      fundingFx.set(currency, intentId);
    } else {
      fx = {
        intentType: 'FX_SPOT',
        intentId,
        pair,
        buyCurrency: base,
        buyAmount: balance.times(rate),
        sellCurrency: currency,
        sellAmountEstimated: balance,
        purpose: 'SWEEP',
      };
    }
    intents.push(fx);
  }

  const linkSells = options.linkBuyToSameCurrencySellDependency ?? true;
  const lastSellByCurrency = new Map<string, string>();
  if (linkSells) {
    for (const trade of trades) {
      if (trade.side === 'SELL') lastSellByCurrency.set(trade.notional.currency, trade.intentId);
    }
  }
  const linked = intents.map((intent): Intent => {
    if (intent.intentType !== 'SECURITY_TRADE' || intent.side !== 'BUY') return intent;
    const currency = intent.notional.currency;
    const dependencies = [fundingFx.get(currency), lastSellByCurrency.get(currency)].filter(
      (id, index, all): id is string => id !== undefined && all.indexOf(id) === index,
    );
    return { ...intent, dependencies };
  });

  // Array.prototype.sort is stable: creation order is kept within each class.
  return { blocked: false, intents: linked.sort((a, b) => executionRank(a) - executionRank(b)) };
}
