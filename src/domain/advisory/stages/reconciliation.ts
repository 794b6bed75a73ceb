/**
 * Stage 5, reconciliation (docs/advisory.md#pipeline): after = before + the cash flows (in base),
 * within 0.5 + 0.05 % of the expected value. Unlike the DPM engine the tolerance is taken on the
 * absolute expected value, and the result is always present.
 */
import { sum, type Decimal } from '../../decimal.ts';
import type { MarketContext } from '../../portfolio/market-context.ts';
import type { Diagnostics, SimulatedState } from '../../portfolio/model.ts';
import { reconciliationTolerance } from '../../portfolio/reconciliation.ts';
import type { CashFlowIntent } from '../intents.ts';

export interface AdvisoryReconciliation {
  readonly beforeTotal: Decimal;
  readonly afterTotal: Decimal;
  readonly tolerance: Decimal;
  readonly difference: Decimal;
  readonly ok: boolean;
}

export function reconcile(
  before: SimulatedState,
  after: SimulatedState,
  flows: readonly CashFlowIntent[],
  market: MarketContext,
  diagnostics: Diagnostics,
): AdvisoryReconciliation {
  const base = market.baseCurrency;
  const flowValues = flows.flatMap((flow) => {
    const rate = market.fxRate(flow.currency, base);
    if (rate === null) {
      diagnostics.dataQuality.fxMissing.push(`${flow.currency}/${base}`);
      return [];
    }
    return [flow.amount.times(rate)];
  });
  const expected = before.totalValue.amount.plus(sum(flowValues));
  const tolerance = reconciliationTolerance(expected.abs());
  const difference = after.totalValue.amount.minus(expected).abs();
  return {
    beforeTotal: before.totalValue.amount,
    afterTotal: after.totalValue.amount,
    tolerance,
    difference,
    ok: difference.lte(tolerance),
  };
}
