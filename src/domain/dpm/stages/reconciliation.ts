/**
 * Reconciliation (docs/engine.md#reconciliation): trading should move value between positions and
 * cash without creating or losing any. A difference above 0.5 + 0.05 % of the before value is a
 * mismatch — typically a snapshot market value that disagrees with price × quantity.
 */
import { Decimal } from '../../decimal.ts';
import { RULE_IDS, RULE_REASONS } from '../codes.ts';
import type { Reconciliation, RuleResult, SimulatedState } from '../../portfolio/model.ts';

const FIXED_TOLERANCE = Decimal.from('0.5');
const RELATIVE_TOLERANCE = Decimal.from('0.0005');

export function reconcile(before: SimulatedState, after: SimulatedState): Reconciliation {
  const beforeTotal = before.totalValue.amount;
  const afterTotal = after.totalValue.amount;
  const currency = before.totalValue.currency;
  const delta = afterTotal.minus(beforeTotal);
  // Signed on purpose (reference): a negative before value gives a negative tolerance.
  const tolerance = FIXED_TOLERANCE.plus(beforeTotal.times(RELATIVE_TOLERANCE));
  return {
    beforeTotalValue: before.totalValue,
    afterTotalValue: after.totalValue,
    delta: { amount: delta, currency },
    tolerance: { amount: tolerance, currency },
    status: delta.abs().lte(tolerance) ? 'OK' : 'MISMATCH',
  };
}

export function reconciliationRule(reconciliation: Reconciliation): RuleResult {
  return {
    ruleId: RULE_IDS.RECONCILIATION,
    severity: 'HARD',
    status: 'FAIL',
    measured: reconciliation.delta.amount.abs(),
    threshold: [['max', reconciliation.tolerance.amount]],
    reasonCode: RULE_REASONS.VALUE_MISMATCH,
    remediationHint: 'Check pricing/FX or engine logic.',
  };
}
