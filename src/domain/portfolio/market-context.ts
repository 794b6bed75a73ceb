/**
 * Lookups every stage shares, built once per run so no stage scans a list inside a loop.
 * First match wins for prices, shelf entries and positions (the reference's `next(...)`),
 * except the settlement ladder, which reads the last shelf row (`shelfForSettlement`).
 */
import { divide, ONE, type Decimal } from '../decimal.ts';
import type { EngineInput, Position, Price, ShelfEntry } from './model.ts';

export interface MarketContext {
  readonly baseCurrency: string;
  price(instrumentId: string): Price | undefined;
  shelf(instrumentId: string): ShelfEntry | undefined;
  shelfForSettlement(instrumentId: string): ShelfEntry | undefined;
  position(instrumentId: string): Position | undefined;
  /** Attribute keys used by any shelf entry (group constraints on other keys are unknown). */
  readonly attributeKeys: ReadonlySet<string>;
  /**
   * Units of `to` per unit of `from`: 1 for the same currency, else the first non-zero
   * `from/to` rate, else 1 / the first non-zero `to/from` rate, else null (missing).
   */
  fxRate(from: string, to: string): Decimal | null;
}

function firstBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) {
    const k = key(item);
    if (!map.has(k)) map.set(k, item);
  }
  return map;
}

export function buildMarketContext(input: EngineInput): MarketContext {
  const prices = firstBy(input.marketData.prices, (p) => p.instrumentId);
  const shelf = firstBy(input.shelf, (s) => s.instrumentId);
  const positions = firstBy(input.portfolio.positions, (p) => p.instrumentId);
  const lastShelf = new Map<string, ShelfEntry>();
  const attributeKeys = new Set<string>();
  for (const entry of input.shelf) {
    lastShelf.set(entry.instrumentId, entry);
    for (const key of entry.attributes.keys()) attributeKeys.add(key);
  }
  const directRates = new Map<string, Decimal>();
  for (const { pair, rate } of input.marketData.fxRates) {
    if (!rate.isZero() && !directRates.has(pair)) directRates.set(pair, rate);
  }
  const resolved = new Map<string, Decimal | null>();

  function fxRate(from: string, to: string): Decimal | null {
    if (from === to) return ONE;
    const pair = `${from}/${to}`;
    let rate = resolved.get(pair);
    if (rate === undefined) {
      const direct = directRates.get(pair);
      const inverse = directRates.get(`${to}/${from}`);
      rate = direct ?? (inverse === undefined ? null : divide(ONE, inverse));
      resolved.set(pair, rate);
    }
    return rate;
  }

  return {
    baseCurrency: input.portfolio.baseCurrency,
    price: (id) => prices.get(id),
    shelf: (id) => shelf.get(id),
    shelfForSettlement: (id) => lastShelf.get(id),
    position: (id) => positions.get(id),
    attributeKeys,
    fxRate,
  };
}
