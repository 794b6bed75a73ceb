/**
 * Settlement ladder (docs/engine.md#settlement-ladder; only with `enable_settlement_awareness`):
 * projects each currency's cash day by day (T+0 … T+H) as trades settle — securities on their shelf
 * settlement days, FX on `fx_settlement_days` — and flags every day a balance falls below the
 * allowed overdraft. Any breach blocks the run.
 */
import { compareCodePoints } from '../../canonical-json.ts';
import { type Decimal, isNegative, isPositive, ZERO } from '../../decimal.ts';
import { RULE_IDS } from '../../portfolio/codes.ts';
import { overdraftOnDay, WARNINGS } from '../codes.ts';
import type {
  CashBalance,
  CashLadderBreach,
  Diagnostics,
  EngineOptions,
  Intent,
  RuleResult,
} from '../../portfolio/model.ts';
import type { MarketContext } from '../../portfolio/market-context.ts';

const DEFAULT_SETTLEMENT_DAYS = 2;

/** The first breach (which names the run's warning and rule), or null when the ladder holds. */
export function checkSettlementLadder(
  intents: readonly Intent[],
  cash: readonly CashBalance[],
  options: EngineOptions,
  market: MarketContext,
  diagnostics: Diagnostics,
): CashLadderBreach | null {
  const settlementDays = (instrumentId: string): number =>
    market.shelfForSettlement(instrumentId)?.settlementDays ?? DEFAULT_SETTLEMENT_DAYS;
  let horizon = Math.max(options.settlementHorizonDays, options.fxSettlementDays);
  for (const intent of intents) {
    if (intent.intentType === 'SECURITY_TRADE') horizon = Math.max(horizon, settlementDays(intent.instrumentId));
  }

  const flows = new Map<string, Decimal[]>();
  const addFlow = (currency: string, day: number, amount: Decimal): void => {
    let days = flows.get(currency);
    if (days === undefined) flows.set(currency, (days = new Array<Decimal>(horizon + 1).fill(ZERO)));
    days[day] = (days[day] as Decimal).plus(amount);
  };
  for (const balance of cash) addFlow(balance.currency, 0, balance.settled ?? balance.amount);
  const byId = [...intents].sort((a, b) => compareCodePoints(a.intentId, b.intentId));
  for (const intent of byId) {
    if (intent.intentType === 'SECURITY_TRADE') {
      const { amount, currency } = intent.notional;
      addFlow(currency, settlementDays(intent.instrumentId), intent.side === 'SELL' ? amount : amount.neg());
    } else {
      addFlow(intent.sellCurrency, options.fxSettlementDays, intent.sellAmountEstimated.neg());
      addFlow(intent.buyCurrency, options.fxSettlementDays, intent.buyAmount);
    }
  }

  let overdraftUsed = false;
  for (const currency of [...flows.keys()].sort(compareCodePoints)) {
    const allowance = options.maxOverdraftByCcy.get(currency) ?? ZERO;
    const floor = allowance.neg();
    let balance = ZERO;
    (flows.get(currency) as Decimal[]).forEach((flow, day) => {
      balance = balance.plus(flow);
      diagnostics.cashLadder.push({ dateOffset: day, currency, projectedBalance: balance });
      if (isNegative(balance) && isPositive(allowance)) overdraftUsed = true;
      if (balance.lt(floor)) {
        diagnostics.cashLadderBreaches.push({
          dateOffset: day,
          currency,
          projectedBalance: balance,
          allowedFloor: floor,
          reasonCode: overdraftOnDay(day),
        });
      }
    });
  }

  if (overdraftUsed) diagnostics.warnings.push(WARNINGS.SETTLEMENT_OVERDRAFT_UTILIZED);
  const firstBreach = diagnostics.cashLadderBreaches[0];
  if (firstBreach === undefined) return null;
  diagnostics.warnings.push(firstBreach.reasonCode);
  return firstBreach;
}

/** The only rule of a settlement-blocked result: how far the first breach went below its floor. */
export function settlementRule(firstBreach: CashLadderBreach): RuleResult {
  return {
    ruleId: RULE_IDS.SETTLEMENT_CASH_LADDER,
    severity: 'HARD',
    status: 'FAIL',
    measured: firstBreach.allowedFloor.minus(firstBreach.projectedBalance),
    threshold: [['min', firstBreach.allowedFloor]],
    reasonCode: firstBreach.reasonCode,
    remediationHint: 'Adjust timing, funding, or overdraft settings.',
  };
}
