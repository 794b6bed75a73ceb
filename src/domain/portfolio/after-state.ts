/**
 * The portfolio after the trades (docs/engine.md#after-state-and-rules): positions and cash moved
 * by every intent, in execution order. Instruments and currencies not held before are appended at
 * the end. Lots are not touched. Valuation of the result is left to the caller (always CALCULATED).
 */
import { ZERO, type Decimal } from '../decimal.ts';
import type { CashBalance, FxSpotIntent, Intent, PortfolioSnapshot, Position, TradeIntentCore } from './model.ts';

/** Index of the first row per key, appending a fresh row when the key is new. */
export class RowIndex<T> {
  private readonly index = new Map<string, number>();

  constructor(
    readonly rows: T[],
    key: (row: T) => string,
    private readonly create: (key: string) => T,
  ) {
    rows.forEach((row, i) => {
      const k = key(row);
      if (!this.index.has(k)) this.index.set(k, i);
    });
  }

  /** Position of the row for `key`, appending a fresh row when absent. */
  private slot(key: string): number {
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.rows.push(this.create(key)) - 1;
      this.index.set(key, i);
    }
    return i;
  }

  /** The row for `key` (appended fresh when absent). */
  get(key: string): T {
    return this.rows[this.slot(key)] as T;
  }

  update(key: string, change: (row: T) => T): void {
    const i = this.slot(key);
    this.rows[i] = change(this.rows[i] as T);
  }
}

/**
 * A portfolio while trades are applied to it: quantity and the notional's cash move together, FX
 * moves cash between currencies. Rows keep their input order; new instruments and currencies are
 * appended.
 */
export class Book {
  readonly positions: RowIndex<Position>;
  readonly cash: RowIndex<CashBalance>;

  constructor(private readonly start: PortfolioSnapshot) {
    this.positions = new RowIndex<Position>(
      [...start.positions],
      (p) => p.instrumentId,
      (instrumentId) => ({ instrumentId, quantity: ZERO, marketValue: null, lots: [] }),
    );
    this.cash = new RowIndex<CashBalance>(
      [...start.cashBalances],
      (c) => c.currency,
      (currency) => ({ currency, amount: ZERO, settled: null, pending: null }),
    );
  }

  moveCash(currency: string, delta: Decimal): void {
    this.cash.update(currency, (c) => ({ ...c, amount: c.amount.plus(delta) }));
  }

  applyTrade(trade: TradeIntentCore): void {
    const buy = trade.side === 'BUY';
    this.positions.update(trade.instrumentId, (p) => ({
      ...p,
      quantity: buy ? p.quantity.plus(trade.quantity) : p.quantity.minus(trade.quantity),
    }));
    this.moveCash(trade.notional.currency, buy ? trade.notional.amount.neg() : trade.notional.amount);
  }

  applyFx(fx: FxSpotIntent): void {
    this.moveCash(fx.sellCurrency, fx.sellAmountEstimated.neg());
    this.moveCash(fx.buyCurrency, fx.buyAmount);
  }

  /** The starting snapshot with the moved positions and cash. */
  portfolio(): PortfolioSnapshot {
    return { ...this.start, positions: this.positions.rows, cashBalances: this.cash.rows };
  }
}

export function applyIntents(portfolio: PortfolioSnapshot, intents: readonly Intent[]): PortfolioSnapshot {
  const book = new Book(portfolio);
  for (const intent of intents) {
    if (intent.intentType === 'SECURITY_TRADE') book.applyTrade(intent);
    else book.applyFx(intent);
  }
  return book.portfolio();
}
