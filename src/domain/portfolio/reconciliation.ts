/**
 * The reconciliation check both engines run (docs/engine.md#reconciliation): trading should move
 * value between positions and cash without creating or losing any, so after-total and the expected
 * total may differ by at most 0.5 + 0.05 % of the value the engine measures against. What that
 * value is differs per engine (dpm/stages/reconciliation.ts, advisory/stages/reconciliation.ts).
 */
import { Decimal } from '../decimal.ts';
import { RULE_IDS, RULE_REASONS } from './codes.ts';
import type { RuleResult } from './model.ts';

const FIXED_TOLERANCE = Decimal.from('0.5');
const RELATIVE_TOLERANCE = Decimal.from('0.0005');

/** 0.5 + 0.05 % of `value` (signed: a negative value gives a smaller tolerance). */
export function reconciliationTolerance(value: Decimal): Decimal {
  return FIXED_TOLERANCE.plus(value.times(RELATIVE_TOLERANCE));
}

/** The HARD `RECONCILIATION` rule a mismatch adds; `hint` is the engine's own advice. */
export function reconciliationRule(difference: Decimal, tolerance: Decimal, hint: string): RuleResult {
  return {
    ruleId: RULE_IDS.RECONCILIATION,
    severity: 'HARD',
    status: 'FAIL',
    measured: difference,
    threshold: [['max', tolerance]],
    reasonCode: RULE_REASONS.VALUE_MISMATCH,
    remediationHint: hint,
  };
}
