/** The advisory intents and their wire form (docs/advisory.md#pipeline). */
import { formatDecimal as dec, formatFixed, type Decimal } from '../decimal.ts';
import type { Money } from '../portfolio/model.ts';
import { money, moneyOrNull } from '../portfolio/serialize.ts';
import { RATIONALE } from './codes.ts';
import { minorUnits } from './funding.ts';
import type { ProposalIntentOut } from './model/result-schema.ts';

export interface CashFlowIntent {
  readonly intentType: 'CASH_FLOW';
  readonly intentId: string;
  readonly currency: string;
  readonly amount: Decimal;
  readonly description: string | null;
}

export interface TradeIntent {
  readonly intentType: 'SECURITY_TRADE';
  readonly intentId: string;
  readonly instrumentId: string;
  readonly side: 'BUY' | 'SELL';
  readonly quantity: Decimal;
  readonly notional: Money;
  /** Null when the price currency has no rate to the base currency. */
  readonly notionalBase: Money | null;
  readonly dependencies: readonly string[];
}

export interface FxIntent {
  readonly intentType: 'FX_SPOT';
  readonly intentId: string;
  /** `<TARGET>/<FUNDING>` */
  readonly pair: string;
  readonly buyCurrency: string;
  readonly buyAmount: Decimal;
  readonly sellCurrency: string;
  readonly sellAmountEstimated: Decimal;
}

export type ProposalIntent = CashFlowIntent | TradeIntent | FxIntent;

/** FX amounts are in minor units: printed with them ("5000.00", JPY "150000"). */
const minor = (value: Decimal, currency: string): string => formatFixed(value, minorUnits(currency));

export function serializeIntent(intent: ProposalIntent): ProposalIntentOut {
  switch (intent.intentType) {
    case 'CASH_FLOW':
      return {
        intent_type: 'CASH_FLOW',
        intent_id: intent.intentId,
        currency: intent.currency,
        amount: dec(intent.amount),
        description: intent.description,
      };
    case 'FX_SPOT':
      return {
        intent_type: 'FX_SPOT',
        intent_id: intent.intentId,
        pair: intent.pair,
        buy_currency: intent.buyCurrency,
        buy_amount: minor(intent.buyAmount, intent.buyCurrency),
        sell_currency: intent.sellCurrency,
        sell_amount_estimated: minor(intent.sellAmountEstimated, intent.sellCurrency),
        dependencies: [],
        rationale: { code: RATIONALE.FUNDING, message: `Fund ${intent.buyCurrency} buys` },
      };
    case 'SECURITY_TRADE':
      return {
        intent_type: 'SECURITY_TRADE',
        intent_id: intent.intentId,
        instrument_id: intent.instrumentId,
        side: intent.side,
        quantity: dec(intent.quantity),
        notional: money(intent.notional),
        notional_base: moneyOrNull(intent.notionalBase),
        dependencies: [...intent.dependencies],
        rationale: { ...RATIONALE.MANUAL_PROPOSAL },
        constraints_applied: [],
      };
  }
}
