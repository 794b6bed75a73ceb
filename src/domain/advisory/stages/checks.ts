/**
 * Stage 4, checks (docs/advisory.md#pipeline): the six post-trade rules of both engines on the
 * after-state, then the proposal's own — PROPOSAL_INPUT_GUARDS (HARD; measured = number of refused
 * inputs, reason = the first), PROPOSAL_FUNDING_DQ (SOFT, FX missing but not blocking) and
 * PROPOSAL_TRADES_SKIPPED (SOFT, unpriced trades while prices do not block).
 */
import { Decimal, ZERO } from '../../decimal.ts';
import type { EngineOptions, RuleResult, SimulatedState } from '../../portfolio/model.ts';
import { evaluateRules } from '../../portfolio/rules.ts';
import { HINTS, RULE_REASONS, RULES } from '../codes.ts';
import type { FundingOutcome } from '../funding.ts';
import type { RunState } from './run-state.ts';

const failedRule = (
  ruleId: string,
  severity: 'HARD' | 'SOFT',
  measured: number,
  reasonCode: string,
  hint: string,
): RuleResult => ({
  ruleId,
  severity,
  status: 'FAIL',
  measured: Decimal.from(measured),
  threshold: [['max', ZERO]],
  reasonCode,
  remediationHint: hint,
});

export function checkProposal(
  after: SimulatedState,
  options: EngineOptions,
  funding: FundingOutcome | null,
  skippedForPrice: number,
  run: RunState,
): RuleResult[] {
  const rules = evaluateRules(after, options, run.diagnostics);
  if (run.hard.length > 0) {
    rules.push(failedRule(RULES.PROPOSAL_INPUT_GUARDS, 'HARD', run.hard.length, run.hard[0] as string, HINTS.INPUT_GUARDS));
  }
  if (funding?.pending) {
    const missing = funding.missingFxPairs.length;
    rules.push(failedRule(RULES.PROPOSAL_FUNDING_DQ, 'SOFT', missing, RULE_REASONS.MISSING_FX_FOR_FUNDING, HINTS.FUNDING_DQ));
  }
  if (skippedForPrice > 0 && !options.blockOnMissingPrices) {
    rules.push(
      failedRule(RULES.PROPOSAL_TRADES_SKIPPED, 'SOFT', skippedForPrice, RULE_REASONS.TRADE_SKIPPED_MISSING_PRICE, HINTS.TRADES_SKIPPED),
    );
  }
  return rules;
}
