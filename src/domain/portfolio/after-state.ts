/**
 * The portfolio after the trades (docs/engine.md#after-state-and-rules): positions and cash moved
 * by every intent, in execution order. Instruments and currencies not held before are appended at
 * the end. Lots are not touched. Valuation of the result is left to the caller (always CALCULATED).
 */
import { ZERO, type Decimal } from '../decimal.ts';
import type { CashBalance, Intent, PortfolioSnapshot, Position } from './model.ts';

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

export function applyIntents(portfolio: PortfolioSnapshot, intents: readonly Intent[]): PortfolioSnapshot {
  const positions = new RowIndex<Position>(
    [...portfolio.positions],
    (p) => p.instrumentId,
    (instrumentId) => ({ instrumentId, quantity: ZERO, marketValue: null, lots: [] }),
  );
  const cash = new RowIndex<CashBalance>(
    [...portfolio.cashBalances],
    (c) => c.currency,
    (currency) => ({ currency, amount: ZERO, settled: null, pending: null }),
  );
  const moveCash = (currency: string, amount: Decimal): void =>
    cash.update(currency, (c) => ({ ...c, amount: c.amount.plus(amount) }));

  for (const intent of intents) {
    if (intent.intentType === 'SECURITY_TRADE') {
      const { quantity, notional } = intent;
      const buy = intent.side === 'BUY';
      positions.update(intent.instrumentId, (p) => ({
        ...p,
        quantity: buy ? p.quantity.plus(quantity) : p.quantity.minus(quantity),
      }));
      moveCash(notional.currency, buy ? notional.amount.neg() : notional.amount);
    } else {
      moveCash(intent.sellCurrency, intent.sellAmountEstimated.neg());
      moveCash(intent.buyCurrency, intent.buyAmount);
    }
  }
  return { ...portfolio, positions: positions.rows, cashBalances: cash.rows };
}
