/**
 * Turnover cap (docs/engine.md#turnover-cap): when the trades add up to more than
 * `max_turnover_pct` of the portfolio, keep the largest trades that still fit the budget and drop
 * the rest. Ranking is by size (largest first); a trade that does not fit is skipped and smaller
 * ones are still tried. Kept trades come out in ranked order; intent ids are not renumbered.
 */
import { compareCodePoints } from '../../canonical-json.ts';
import { type Decimal, divide, isNegative, isPositive, ZERO } from '../../decimal.ts';
import { DROP_TURNOVER_LIMIT, WARNINGS } from '../codes.ts';
import type { Diagnostics, SecurityTradeIntent } from '../../portfolio/model.ts';

interface Ranked {
  readonly intent: SecurityTradeIntent;
  readonly notional: Decimal;
  readonly score: Decimal;
}

/** |notional_base| (copied only when negative, which needs a negative FX rate). */
function magnitude(intent: SecurityTradeIntent): Decimal {
  const amount = intent.notionalBase.amount;
  return isNegative(amount) ? amount.abs() : amount;
}

function rankOrder(a: Ranked, b: Ranked): number {
  return (
    b.score.comparedTo(a.score) ||
    a.notional.comparedTo(b.notional) ||
    compareCodePoints(a.intent.instrumentId, b.intent.instrumentId) ||
    compareCodePoints(a.intent.intentId, b.intent.intentId)
  );
}

export function applyTurnoverCap(
  intents: SecurityTradeIntent[],
  maxTurnoverPct: Decimal | null,
  totalValue: Decimal,
  diagnostics: Diagnostics,
): SecurityTradeIntent[] {
  if (maxTurnoverPct === null) return intents;
  const budget = totalValue.times(maxTurnoverPct);
  let proposed = ZERO;
  for (const intent of intents) proposed = proposed.plus(magnitude(intent));
  if (proposed.lte(budget)) return intents;

  const ranked: Ranked[] = intents.map((intent) => {
    const notional = magnitude(intent);
    const score = isPositive(totalValue) ? divide(notional, totalValue) : ZERO;
    return { intent, notional, score };
  });
  ranked.sort(rankOrder);

  const kept: SecurityTradeIntent[] = [];
  let used = ZERO;
  for (const { intent, notional, score } of ranked) {
    if (used.plus(notional).lte(budget)) {
      used = used.plus(notional);
      kept.push(intent);
    } else {
      diagnostics.droppedIntents.push({
        instrumentId: intent.instrumentId,
        reason: DROP_TURNOVER_LIMIT,
        potentialNotional: { amount: notional, currency: intent.notionalBase.currency },
        score,
      });
    }
  }
  if (kept.length < intents.length) diagnostics.warnings.push(WARNINGS.PARTIAL_REBALANCE_TURNOVER_LIMIT);
  return kept;
}
