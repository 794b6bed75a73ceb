/**
 * Valuation (docs/engine.md#valuation): values every position and cash balance in the base currency
 * and derives weights and allocations. Missing prices and FX rates are recorded in the
 * run's data-quality lists (duplicates included: the DATA_QUALITY rule counts them) and valued at 0.
 */
import { divide, ONE, sum, ZERO, type Decimal } from '../../decimal.ts';
import type {
  AllocationMetric,
  Money,
  PortfolioSnapshot,
  PositionSummary,
  SimulatedState,
} from '../model/engine-model.ts';
import type { DataQuality } from './diagnostics.ts';
import type { MarketContext } from './market-context.ts';

export type ValuationMode = 'CALCULATED' | 'TRUST_SNAPSHOT';

const CASH_BUCKET = 'CASH';
const UNKNOWN_ASSET_CLASS = 'UNKNOWN';

/** Adds `value` to `key`, keeping first-insertion order (the reference's dict). */
function accumulate(buckets: Map<string, Decimal>, key: string, value: Decimal): void {
  buckets.set(key, (buckets.get(key) ?? ZERO).plus(value));
}

function metrics(buckets: Map<string, Decimal>, divisor: Decimal, base: string): AllocationMetric[] {
  return [...buckets].map(([key, value]) => ({
    key,
    weight: divide(value, divisor),
    value: { amount: value, currency: base },
  }));
}

export function valuePortfolio(
  portfolio: PortfolioSnapshot,
  mode: ValuationMode,
  market: MarketContext,
  dataQuality: DataQuality,
): SimulatedState {
  const base = portfolio.baseCurrency;

  const valued = portfolio.positions.map((position) => {
    const priceRow = market.price(position.instrumentId);
    if (priceRow === undefined) dataQuality.priceMissing.push(position.instrumentId);
    const priceValue = priceRow?.price ?? ZERO;
    let currency = priceRow?.currency ?? base;
    let valueInstrument: Decimal;
    const trusted = mode === 'TRUST_SNAPSHOT' && position.marketValue !== null;
    if (trusted) {
      valueInstrument = (position.marketValue as Money).amount;
      currency = (position.marketValue as Money).currency;
    } else valueInstrument = position.quantity.times(priceValue);
    const rate = market.fxRate(currency, base);
    if (rate === null && currency !== base) dataQuality.fxMissing.push(`${currency}/${base}`);
    // × 1 cannot change a product (already ≤ 28 digits); a trusted input value may need rounding.
    let valueBase = ZERO;
    if (rate !== null) valueBase = rate === ONE && !trusted ? valueInstrument : valueInstrument.times(rate);
    const price: Money | null = priceRow === undefined ? null : { amount: priceValue, currency };
    return { position, currency, price, valueInstrument, valueBase };
  });

  const cashValues = portfolio.cashBalances.map((cash) => {
    if (cash.currency === base) return cash.amount;
    const rate = market.fxRate(cash.currency, base);
    if (rate === null) {
      dataQuality.fxMissing.push(`${cash.currency}/${base}`);
      return ZERO;
    }
    return cash.amount.times(rate);
  });
  const cashTotal = sum(cashValues);

  let total = ZERO;
  for (const row of valued) total = total.plus(row.valueBase);
  for (const value of cashValues) total = total.plus(value);
  const divisor = total.isZero() ? ONE : total;

  const byAssetClass = new Map<string, Decimal>();
  const byAttribute = new Map<string, Map<string, Decimal>>();
  const positions: PositionSummary[] = valued.map(({ position, currency, price, valueInstrument, valueBase }) => {
    const shelf = market.shelf(position.instrumentId);
    const assetClass = shelf?.assetClass ?? UNKNOWN_ASSET_CLASS;
    accumulate(byAssetClass, assetClass, valueBase);
    if (shelf !== undefined) {
      for (const [attributeKey, attributeValue] of shelf.attributes) {
        let values = byAttribute.get(attributeKey);
        if (values === undefined) byAttribute.set(attributeKey, (values = new Map()));
        accumulate(values, attributeValue, valueBase);
      }
    }
    return {
      instrumentId: position.instrumentId,
      quantity: position.quantity,
      instrumentCurrency: currency,
      assetClass,
      price,
      valueInInstrumentCcy: { amount: valueInstrument, currency },
      valueInBaseCcy: { amount: valueBase, currency: base },
      weight: divide(valueBase, divisor),
    };
  });
  accumulate(byAssetClass, CASH_BUCKET, cashTotal);

  const byInstrument = positions.map((p) => ({ key: p.instrumentId, weight: p.weight, value: p.valueInBaseCcy }));
  return {
    totalValue: { amount: total, currency: base },
    cashBalances: portfolio.cashBalances,
    positions,
    allocationByAssetClass: metrics(byAssetClass, divisor, base),
    allocationByInstrument: byInstrument,
    allocationByAttribute: new Map([...byAttribute].map(([key, values]) => [key, metrics(values, divisor, base)])),
  };
}
