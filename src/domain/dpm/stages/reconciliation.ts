/**
 * Reconciliation (docs/engine.md#reconciliation): the after value against the before value. The
 * tolerance is taken on the signed before value (as the reference: a negative before value gives a
 * negative tolerance). A mismatch is typically a snapshot market value that disagrees with
 * price × quantity.
 */
import type { Reconciliation, RuleResult, SimulatedState } from '../../portfolio/model.ts';
import { reconciliationRule as rule, reconciliationTolerance } from '../../portfolio/reconciliation.ts';

export function reconcile(before: SimulatedState, after: SimulatedState): Reconciliation {
  const beforeTotal = before.totalValue.amount;
  const afterTotal = after.totalValue.amount;
  const currency = before.totalValue.currency;
  const delta = afterTotal.minus(beforeTotal);
  const tolerance = reconciliationTolerance(beforeTotal);
  return {
    beforeTotalValue: before.totalValue,
    afterTotalValue: after.totalValue,
    delta: { amount: delta, currency },
    tolerance: { amount: tolerance, currency },
    status: delta.abs().lte(tolerance) ? 'OK' : 'MISMATCH',
  };
}

export function reconciliationRule(reconciliation: Reconciliation): RuleResult {
  return rule(reconciliation.delta.amount.abs(), reconciliation.tolerance.amount, 'Check pricing/FX or engine logic.');
}
