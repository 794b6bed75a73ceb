/** The advisory intents and their wire form (docs/advisory.md#pipeline). */
import { formatDecimal as dec, formatFixed, type Decimal } from '../decimal.ts';
import type { FxSpotIntent, Money, TradeIntentCore } from '../portfolio/model.ts';
import { fxSpotOut, moneyOrNull, securityTradeOut } from '../portfolio/serialize.ts';
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

/** An advisor's trade: its base-currency notional is null when the price currency has no rate. */
export interface TradeIntent extends TradeIntentCore {
  readonly notionalBase: Money | null;
}

export type ProposalIntent = CashFlowIntent | TradeIntent | FxSpotIntent;

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
      return fxSpotOut(intent, minor, { code: RATIONALE.FUNDING, message: `Fund ${intent.buyCurrency} buys` });
    case 'SECURITY_TRADE':
      return securityTradeOut(intent, moneyOrNull(intent.notionalBase), { ...RATIONALE.MANUAL_PROPOSAL }, []);
  }
}
