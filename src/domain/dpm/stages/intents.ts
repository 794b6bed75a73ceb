/**
 * Trade intents (docs/engine.md#intents): for each row of the target table, the trade that moves
 * the holding from its current value to its target value, in whole units (quantity truncated,
 * never rounded up), limited by the tax budget and dropped as dust below the minimum notional.
 */
import { type Decimal, divide, isPositive, ONE, ZERO } from '../../decimal.ts';
import {
  CONSTRAINT_MIN_NOTIONAL,
  CONSTRAINT_TAX_BUDGET,
  SUPPRESSION_BELOW_MIN_NOTIONAL,
  WARNINGS,
} from '../codes.ts';
import type {
  Diagnostics,
  EngineOptions,
  Money,
  SecurityTradeIntent,
  TargetInstrument,
} from '../../portfolio/model.ts';
import type { MarketContext } from '../../portfolio/market-context.ts';
import { TaxLedger } from './tax-lots.ts';

export interface IntentStageResult {
  readonly intents: SecurityTradeIntent[];
  /** Non-null exactly when tax awareness is on. */
  readonly ledger: TaxLedger | null;
}

/** The value held now, in the instrument's price currency terms (docs/engine.md#intents). */
function currentValue(market: MarketContext, instrumentId: string, price: Decimal): Decimal {
  const position = market.position(instrumentId);
  if (position === undefined) return ZERO;
  // The reference takes a snapshot market value as is — whatever the valuation mode and currency.
  return position.marketValue?.amount ?? position.quantity.times(price);
}

export function generateIntents(
  trace: readonly TargetInstrument[],
  options: EngineOptions,
  market: MarketContext,
  diagnostics: Diagnostics,
): IntentStageResult {
  const base = market.baseCurrency;
  const dataQuality = diagnostics.dataQuality;
  const ledger = options.enableTaxAwareness ? new TaxLedger(options.maxRealizedCapitalGains, base) : null;
  // Duplicate ids collapse: first position kept, last row wins (the reference's dict).
  const rows = new Map<string, TargetInstrument>();
  for (const row of trace) rows.set(row.instrumentId, row);

  const intents: SecurityTradeIntent[] = [];
  for (const [instrumentId, row] of rows) {
    const priceRow = market.price(instrumentId);
    if (priceRow === undefined) {
      dataQuality.priceMissing.push(instrumentId);
      continue;
    }
    const rate = market.fxRate(priceRow.currency, base);
    if (rate === null) {
      dataQuality.fxMissing.push(`${priceRow.currency}/${base}`);
      continue;
    }
    const price: Money = { amount: priceRow.price, currency: priceRow.currency };
    // The row's final value is total value × final weight, in base currency.
    const targetValue = row.finalValue.amount;
    // Dividing or multiplying an operation result (≤ 28 digits) by exactly 1 cannot change it;
    // skipping it for base-currency instruments saves work without changing any digit.
    const sameCurrency = rate === ONE;
    const targetInstrument = sameCurrency ? targetValue : divide(targetValue, rate);
    const delta = targetInstrument.minus(currentValue(market, instrumentId, price.amount));
    const side = isPositive(delta) ? 'BUY' : 'SELL';
    const requested = divide(delta.abs(), price.amount).trunc();

    let quantity = requested;
    let taxLimited = false;
    if (side === 'SELL' && isPositive(requested) && ledger !== null) {
      quantity = ledger.allowedSellQuantity(market.position(instrumentId), requested, price, rate, market, dataQuality);
      if (quantity.lt(requested)) {
        taxLimited = true;
        if (!diagnostics.warnings.includes(WARNINGS.TAX_BUDGET_LIMIT_REACHED)) {
          diagnostics.warnings.push(WARNINGS.TAX_BUDGET_LIMIT_REACHED);
        }
        diagnostics.taxBudgetConstraintEvents.push({
          instrumentId,
          requestedQuantity: requested,
          allowedQuantity: quantity,
          reasonCode: WARNINGS.TAX_BUDGET_LIMIT_REACHED,
        });
      }
    }

    const notional = quantity.times(price.amount);
    const notionalBase = sameCurrency ? notional : notional.times(rate);
    // A request-level threshold beats the shelf's; currencies are not compared (reference quirk).
    const threshold = options.minTradeNotional ?? market.shelf(instrumentId)?.minNotional ?? null;
    if (options.suppressDustTrades && threshold !== null && notional.lt(threshold.amount)) {
      diagnostics.suppressedIntents.push({
        instrumentId,
        reason: SUPPRESSION_BELOW_MIN_NOTIONAL,
        intendedNotional: { amount: notional, currency: price.currency },
        threshold,
      });
      continue;
    }
    if (!isPositive(quantity)) continue;
    const constraintsApplied: string[] = [];
    if (threshold !== null) constraintsApplied.push(CONSTRAINT_MIN_NOTIONAL);
    if (taxLimited) constraintsApplied.push(CONSTRAINT_TAX_BUDGET);
    intents.push({
      intentType: 'SECURITY_TRADE',
      intentId: `oi_${intents.length + 1}`,
      instrumentId,
      side,
      quantity,
      notional: { amount: notional, currency: price.currency },
      notionalBase: { amount: notionalBase, currency: base },
      dependencies: [],
      constraintsApplied,
    });
  }
  return { intents, ledger };
}
