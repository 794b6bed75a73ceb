/**
 * Tax-aware selling (docs/engine.md#tax-aware-selling): sells the highest-cost lots first (HIFO)
 * and stops taking lots once realised gains would exceed the run's capital-gains budget. The budget
 * is shared by all sells of the run, consumed in target-table order; lots sold at a loss or at cost
 * are free.
 */
import { compareCodePoints } from '../../canonical-json.ts';
import { Decimal, divide, isNegative, isPositive, minOf, ZERO } from '../../decimal.ts';
import type { Money, Position, TaxImpact } from '../../portfolio/model.ts';
import type { DataQuality } from '../../portfolio/diagnostics.ts';
import type { MarketContext } from '../../portfolio/market-context.ts';

/** Budget use this close to the limit is reported as exactly the limit. */
const BUDGET_SNAP = Decimal.from('1e-10');

export interface CostedLot {
  readonly lotId: string;
  readonly quantity: Decimal;
  readonly purchaseDate: string;
  readonly unitCost: Decimal;
}

/** Descending on (unit cost, purchase date text, lot id), all three — the reference's order. */
export function hifoOrder(a: CostedLot, b: CostedLot): number {
  const byCost = b.unitCost.comparedTo(a.unitCost);
  if (byCost !== 0) return byCost;
  const byDate = compareCodePoints(b.purchaseDate, a.purchaseDate);
  return byDate !== 0 ? byDate : compareCodePoints(b.lotId, a.lotId);
}

export class TaxLedger {
  private gainTotal = ZERO;
  private lossTotal = ZERO;
  private budgetUsed = ZERO;

  constructor(
    private readonly limit: Decimal | null,
    private readonly baseCurrency: string,
  ) {}

  /**
   * How much of `requested` may be sold. Without lots the request stands. If a lot's cost
   * cannot be converted to the price currency, the pair is reported as missing FX and the full
   * request stands (the data-quality check after intent generation then decides).
   */
  allowedSellQuantity(
    position: Position | undefined,
    requested: Decimal,
    price: Money,
    priceToBase: Decimal,
    market: MarketContext,
    dataQuality: DataQuality,
  ): Decimal {
    if (position === undefined || position.lots.length === 0) return requested;
    const lots: CostedLot[] = [];
    for (const lot of position.lots) {
      const rate = market.fxRate(lot.unitCost.currency, price.currency);
      if (rate === null) {
        dataQuality.fxMissing.push(`${lot.unitCost.currency}/${price.currency}`);
        return requested;
      }
      const unitCost = lot.unitCost.currency === price.currency ? lot.unitCost.amount : lot.unitCost.amount.times(rate);
      lots.push({ lotId: lot.lotId, quantity: lot.quantity, purchaseDate: lot.purchaseDate, unitCost });
    }
    lots.sort(hifoOrder);

    let remaining = requested;
    let allowed = ZERO;
    for (const lot of lots) {
      if (!isPositive(remaining)) break;
      if (!isPositive(lot.quantity)) continue;
      const lotQuantity = minOf(remaining, lot.quantity);
      const gainPerUnit = price.amount.minus(lot.unitCost).times(priceToBase);
      let take = lotQuantity;
      if (this.limit !== null && isPositive(gainPerUnit)) {
        take = this.budgetUsed.lt(this.limit)
          ? minOf(lotQuantity, divide(this.limit.minus(this.budgetUsed), gainPerUnit))
          : ZERO;
      }
      if (!isPositive(take)) break;
      const realised = gainPerUnit.times(take);
      if (!isNegative(realised)) {
        this.gainTotal = this.gainTotal.plus(realised);
        this.budgetUsed = this.budgetUsed.plus(realised);
      } else this.lossTotal = this.lossTotal.plus(realised.abs());
      allowed = allowed.plus(take);
      remaining = remaining.minus(take);
      if (take.lt(lotQuantity)) break;
    }
    return allowed;
  }

  impact(): TaxImpact {
    const money = (amount: Decimal): Money => ({ amount, currency: this.baseCurrency });
    const limit = this.limit;
    let budgetUsed: Money | null = null;
    if (limit !== null) {
      const used = limit.minus(this.budgetUsed).abs().lte(BUDGET_SNAP) ? limit : this.budgetUsed;
      budgetUsed = money(minOf(used, limit));
    }
    return {
      totalRealizedGain: money(this.gainTotal),
      totalRealizedLoss: money(this.lossTotal),
      budgetLimit: limit === null ? null : money(limit),
      budgetUsed,
    };
  }
}
