/**
 * The rebalance pipeline (docs/engine.md#pipeline), stage by stage. Pure: the same input and
 * context always give the same outcome; ids come in through the context, nothing reads a clock or a
 * random source. An optional observer is told which stage group runs (stage-observer.ts).
 */
import { WARNINGS } from './codes.ts';
import { RULE_IDS } from '../portfolio/codes.ts';
import type { EngineInput, RebalanceOutcome, RuleResult, RunStatus } from '../portfolio/model.ts';
import { completed, earlyBlocked, settlementBlocked, type EngineContext, type RunBasics } from './outcomes.ts';
import type { StageObserver } from './stage-observer.ts';
import { applyIntents } from '../portfolio/after-state.ts';
import { emptyDiagnostics, hasBlockingDataQuality } from '../portfolio/diagnostics.ts';
import { generateFxAndOrder } from './stages/fx-funding.ts';
import { statusFromRules } from '../portfolio/gate-decision.ts';
import { generateIntents } from './stages/intents.ts';
import { buildMarketContext } from '../portfolio/market-context.ts';
import { reconcile, reconciliationRule } from './stages/reconciliation.ts';
import { evaluateRules } from '../portfolio/rules.ts';
import { checkSettlementLadder, settlementRule } from './stages/settlement.ts';
import { compareTargetMethods, runTargetMethod, traceOf } from './stages/targets/target-methods.ts';
import { applyTurnoverCap } from './stages/turnover.ts';
import { buildUniverse } from './stages/universe.ts';
import { valuePortfolio, type ValuationMemo } from '../portfolio/valuation.ts';

function failed(rules: readonly RuleResult[], ruleId: string): boolean {
  return rules.some((r) => r.ruleId === ruleId && r.status === 'FAIL');
}

export function runPipeline(input: EngineInput, context: EngineContext, observer?: StageObserver): RebalanceOutcome {
  const { portfolio, options } = input;
  observer?.enter('valuation');
  const diagnostics = emptyDiagnostics();
  const dataQuality = diagnostics.dataQuality;
  const market = buildMarketContext(input);

  // Each valuation reuses the values of positions an earlier one already valued.
  const valued: ValuationMemo = new Map();
  const before = valuePortfolio(portfolio, options.valuationMode, market, dataQuality, valued);
  const totalValue = before.totalValue.amount;
  const universe = buildUniverse(input.modelTargets, portfolio, before, options, market, dataQuality);

  observer?.enter('targets');
  const primary = runTargetMethod(options.targetMethod, universe, input, market, diagnostics);
  const targets = traceOf(primary, universe, input, totalValue);
  const comparison = options.compareTargetMethods
    ? compareTargetMethods({ result: primary, trace: targets }, universe, input, market, totalValue, diagnostics)
    : null;
  const basics: RunBasics = { context, input, before, universe, targets, diagnostics };
  if (primary.status === 'BLOCKED' || hasBlockingDataQuality(diagnostics, options)) return earlyBlocked(basics);

  observer?.enter('intents');
  const { intents: trades, ledger } = generateIntents(targets, options, market, diagnostics);
  if (hasBlockingDataQuality(diagnostics, options)) return earlyBlocked(basics);
  const taxImpact = ledger?.impact() ?? null;

  const kept = applyTurnoverCap(trades, options.maxTurnoverPct, totalValue, diagnostics);
  const funded = generateFxAndOrder(kept, portfolio.cashBalances, options, market, diagnostics);
  if (funded.blocked) return earlyBlocked(basics);
  const intents = funded.intents;

  if (options.enableSettlementAwareness) {
    observer?.enter('settlement');
    const breach = checkSettlementLadder(intents, portfolio.cashBalances, options, market, diagnostics);
    if (breach !== null) {
      const unchanged = valuePortfolio(portfolio, options.valuationMode, market, dataQuality, valued);
      return settlementBlocked(basics, intents, unchanged, settlementRule(breach), taxImpact, comparison);
    }
  }

  observer?.enter('rules');
  const after = valuePortfolio(applyIntents(portfolio, intents), 'CALCULATED', market, dataQuality, valued);
  const rules = evaluateRules(after, options, diagnostics);
  let status: RunStatus;
  let reconciliation = null;
  if (rules.some((r) => r.severity === 'HARD' && r.status === 'FAIL')) {
    if (failed(rules, RULE_IDS.NO_SHORTING)) diagnostics.warnings.push(WARNINGS.SIMULATION_SAFETY_CHECK_FAILED);
    if (failed(rules, RULE_IDS.INSUFFICIENT_CASH)) diagnostics.warnings.push(WARNINGS.SIMULATION_SAFETY_CHECK_FAILED);
    status = 'BLOCKED';
  } else {
    reconciliation = reconcile(before, after);
    if (reconciliation.status === 'MISMATCH') {
      rules.push(reconciliationRule(reconciliation));
      status = 'BLOCKED';
    } else status = statusFromRules(rules);
  }
  // A target-stage shortfall alone still needs review (but leaves the gate at EXECUTION_READY).
  if (primary.status === 'PENDING_REVIEW' && status === 'READY') status = 'PENDING_REVIEW';
  return completed(basics, status, intents, after, rules, reconciliation, taxImpact, comparison);
}
