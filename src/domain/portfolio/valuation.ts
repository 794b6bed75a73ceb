/**
 * Valuation (docs/engine.md#valuation): values every position and cash balance in the base currency
 * and derives weights and allocations. Missing prices and FX rates are recorded in the
 * run's data-quality lists (duplicates included: the DATA_QUALITY rule counts them) and valued at 0.
 */
import { divide, ONE, sum, ZERO, type Decimal } from '../decimal.ts';
import type {
  AllocationMetric,
  Money,
  PortfolioSnapshot,
  Position,
  PositionSummary,
  SimulatedState,
} from './model.ts';
import type { DataQuality } from './diagnostics.ts';
import type { MarketContext } from './market-context.ts';

export type ValuationMode = 'CALCULATED' | 'TRUST_SNAPSHOT';

/**
 * Positions already valued in this run (at market prices, not trusted snapshot values), by
 * Position object. The trades replace the Position objects they change, so a position found
 * here is one the trades did not touch: its values are reused instead of multiplied again, and
 * its whole summary when the portfolio total (the weights' divisor) is also unchanged.
 */
export type ValuationMemo = Map<Position, { readonly summary: PositionSummary; readonly divisor: Decimal }>;

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

interface ValuedRow {
  readonly position: Position;
  readonly currency: string;
  readonly price: Money | null;
  readonly valueInstrument: Decimal;
  readonly valueBase: Decimal;
  /** The earlier valuation of the same, untouched position at market prices. */
  readonly known: { readonly summary: PositionSummary; readonly divisor: Decimal } | undefined;
  readonly trusted: boolean;
}

export function valuePortfolio(
  portfolio: PortfolioSnapshot,
  mode: ValuationMode,
  market: MarketContext,
  dataQuality: DataQuality,
  memo?: ValuationMemo,
): SimulatedState {
  const base = portfolio.baseCurrency;

  const valued = portfolio.positions.map((position): ValuedRow => {
    // Lookups (and the data-quality entries they record) happen on every valuation, as in the reference.
    const priceRow = market.price(position.instrumentId);
    if (priceRow === undefined) dataQuality.priceMissing.push(position.instrumentId);
    const trusted = mode === 'TRUST_SNAPSHOT' && position.marketValue !== null;
    const currency = trusted ? (position.marketValue as Money).currency : (priceRow?.currency ?? base);
    const rate = market.fxRate(currency, base);
    if (rate === null && currency !== base) dataQuality.fxMissing.push(`${currency}/${base}`);
    const known = trusted ? undefined : memo?.get(position);
    if (known !== undefined) {
      const { price, valueInInstrumentCcy, valueInBaseCcy } = known.summary;
      return { position, currency, price, valueInstrument: valueInInstrumentCcy.amount, valueBase: valueInBaseCcy.amount, known, trusted };
    }
    const priceValue = priceRow?.price ?? ZERO;
    const valueInstrument = trusted ? (position.marketValue as Money).amount : position.quantity.times(priceValue);
    // × 1 cannot change a product (already ≤ 28 digits); a trusted input value may need rounding.
    let valueBase = ZERO;
    if (rate !== null) valueBase = rate === ONE && !trusted ? valueInstrument : valueInstrument.times(rate);
    const price: Money | null = priceRow === undefined ? null : { amount: priceValue, currency };
    return { position, currency, price, valueInstrument, valueBase, known, trusted };
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
  const positions: PositionSummary[] = valued.map(({ position, currency, price, valueInstrument, valueBase, known, trusted }) => {
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
    // The same value over an equal divisor is the same weight (a result's value never depends on
    // the exponents its operands happen to carry, and output text is normalised).
    if (known !== undefined && known.divisor.eq(divisor)) return known.summary;
    const summary: PositionSummary = {
      instrumentId: position.instrumentId,
      quantity: position.quantity,
      instrumentCurrency: currency,
      assetClass,
      price,
      valueInInstrumentCcy: { amount: valueInstrument, currency },
      valueInBaseCcy: { amount: valueBase, currency: base },
      weight: divide(valueBase, divisor),
    };
    if (!trusted) memo?.set(position, { summary, divisor });
    return summary;
  });
  accumulate(byAssetClass, CASH_BUCKET, cashTotal);

  return {
    totalValue: { amount: total, currency: base },
    cashBalances: portfolio.cashBalances,
    positions,
    allocationByAssetClass: metrics(byAssetClass, divisor, base),
    allocationByAttribute: new Map([...byAttribute].map(([key, values]) => [key, metrics(values, divisor, base)])),
  };
}
