/**
 * The proposal simulation (docs/advisory.md#pipeline), stage by stage: the advisor's cash flows
 * and trades applied to the portfolio, auto-funded with FX, checked by the rules both engines
 * share, reconciled, then drift, suitability and the gate decision. Pure: ids come in through the
 * context; no clock, no randomness, no I/O.
 *
 * Deliberate differences from the reference are marked `D<n>`, as in
 * docs/advisory.md#engine-differences-from-the-reference.
 */
import { Book } from '../portfolio/after-state.ts';
import { emptyDiagnostics } from '../portfolio/diagnostics.ts';
import { parseOptions, parseSnapshots } from '../portfolio/engine-input.ts';
import { evaluateGate, statusFromRules } from '../portfolio/gate-decision.ts';
import { buildMarketContext } from '../portfolio/market-context.ts';
import type { RunStatus } from '../portfolio/model.ts';
import { reconciliationRule } from '../portfolio/reconciliation.ts';
import { valuePortfolio, type ValuationMemo } from '../portfolio/valuation.ts';
import { HINTS } from './codes.ts';
import type { ProposalSimulateRequest } from './model/request-schema.ts';
import type { ProposalOutcome } from './outcome.ts';
import { analyseDrift, scanSuitability } from './stages/analytics.ts';
import { applyCashFlows } from './stages/cash-flows.ts';
import { checkProposal } from './stages/checks.ts';
import { execute } from './stages/execution.ts';
import { reconcile } from './stages/reconciliation.ts';
import type { RunState } from './stages/run-state.ts';
import { buildTrades } from './stages/trades.ts';

export function runProposalPipeline(request: ProposalSimulateRequest): ProposalOutcome {
  const options = parseOptions(request.options);
  const snapshots = parseSnapshots({ ...request, model_portfolio: { targets: [] } });
  const portfolio = snapshots.portfolio;
  const market = buildMarketContext({ ...snapshots, options });
  const diagnostics = emptyDiagnostics();
  const run: RunState = { diagnostics, hard: [] };

  // The after valuation reuses the values of positions the proposal does not touch.
  const valued: ValuationMemo = new Map();
  const before = valuePortfolio(portfolio, options.valuationMode, market, diagnostics.dataQuality, valued);
  const book = new Book(portfolio);

  const cashFlows = applyCashFlows(request, book, run);
  const { trades, skippedForPrice } = buildTrades(request, options, market, run);
  const { intents, traded, funding } = execute(request, options, market, book, cashFlows, trades, run);
  const after = valuePortfolio(book.portfolio(), 'CALCULATED', market, diagnostics.dataQuality, valued);

  const rules = checkProposal(after, options, funding, skippedForPrice, run);
  let status: RunStatus = statusFromRules(rules);
  const reconciliation = reconcile(before, after, cashFlows, market, diagnostics);
  if (!reconciliation.ok) {
    status = 'BLOCKED';
    rules.push(reconciliationRule(reconciliation.difference, reconciliation.tolerance, HINTS.RECONCILIATION));
  }
  if (funding?.pending && status === 'READY') status = 'PENDING_REVIEW';

  const ids = {
    portfolioSnapshotId: request.portfolio_snapshot.snapshot_id ?? request.portfolio_snapshot.portfolio_id,
    marketDataSnapshotId: request.market_data_snapshot.snapshot_id ?? 'md',
  };
  const drift = analyseDrift(request, before, after, traded, diagnostics);
  const suitability = scanSuitability(request, before, after, options.allowRestricted, ids);
  const gate = evaluateGate(status, rules, diagnostics, options, {
    suitabilityIssues: suitability?.issues ?? [],
    defaultRequiresClientConsent: true,
  });
  return { status, before, intents, after, reconciliation, rules, diagnostics, funding, drift, suitability, gate, ids };
}
