/**
 * The proposal simulation (docs/advisory.md#pipeline): the advisor's cash flows and trades applied
 * to the portfolio, auto-funded with FX, checked by the shared DPM rule engine, reconciled, then
 * drift, suitability and the workflow gate. Pure: ids come in through the context; no clock, no
 * randomness, no I/O. Valuation, rules, the gate, decimals and canonical JSON are the DPM engine's
 * own modules.
 *
 * Deliberate differences from the reference are marked `D<n>`, as in
 * docs/advisory.md#engine-differences-from-the-reference.
 */
import { canonicalHash, compareCodePoints, sha256Hex } from '../canonical-json.ts';
import { Decimal, divide, formatFixed, isNegative, sum, ZERO } from '../decimal.ts';
import { parseOptions, parseSnapshots } from '../portfolio/engine-input.ts';
import type {
  CashBalance,
  Diagnostics,
  EngineOptions,
  PortfolioSnapshot,
  Position,
  RuleResult,
  RunStatus,
  SimulatedState,
} from '../portfolio/model.ts';
import type { ShelfEntry as WireShelfEntry } from '../portfolio/request-schema.ts';
import { serializeDiagnostics, serializeGate, serializeRule, serializeStates, money } from '../portfolio/serialize.ts';
import { RowIndex } from '../portfolio/after-state.ts';
import { emptyDiagnostics } from '../portfolio/diagnostics.ts';
import { evaluateGate, statusFromRules } from '../portfolio/gate-decision.ts';
import { buildMarketContext, type MarketContext } from '../portfolio/market-context.ts';
import { evaluateRules } from '../portfolio/rules.ts';
import { valuePortfolio, type ValuationMemo } from '../portfolio/valuation.ts';
import { RULE_IDS, RULE_REASONS as DPM_RULE_REASONS } from '../dpm/codes.ts';
import { ENGINE_VERSION, HARD_FAILURES, HINTS, RULE_REASONS, RULES, WARNINGS } from './codes.ts';
import { computeDrift } from './drift.ts';
import { minorUnits, planFunding, type FundingOutcome } from './funding.ts';
import { serializeIntent, type CashFlowIntent, type FxIntent, type ProposalIntent, type TradeIntent } from './intents.ts';
import type { ProposalSimulateRequest } from './model/request-schema.ts';
import type { DriftAnalysis, ProposalResult, SuitabilityResult } from './model/result-schema.ts';
import { computeSuitability, type SuitabilityThresholds } from './suitability.ts';

export interface ProposalContext {
  /** `pr_` + 8 hex; see `proposalRunIdFor` for the reference's deterministic form. */
  readonly runId: string;
  /** Defaults to `c_none` (a direct engine call). */
  readonly correlationId?: string;
  /** Defaults to `no_hash`. */
  readonly requestHash?: string;
  /** The `Idempotency-Key` header, echoed in the lineage (null for lifecycle versions). */
  readonly idempotencyKey?: string | null;
}

/** `sha256:<hex>` over the canonical JSON of the validated request (defaults filled in). */
export function proposalRequestHash(request: ProposalSimulateRequest): string {
  return canonicalHash(request);
}

/**
 * The reference's run id for a hashed request: `pr_` + the first 8 hex of SHA-256 of the hash
 * text (incl. its `sha256:` prefix). Only 32 bits — callers that need uniqueness across many
 * runs should not use it as a key.
 */
export function proposalRunIdFor(requestHash: string): string {
  return `pr_${sha256Hex(requestHash).slice(0, 8)}`;
}

const RECONCILIATION_FIXED_TOLERANCE = Decimal.from('0.5');
const RECONCILIATION_RELATIVE_TOLERANCE = Decimal.from('0.0005');

/** Statuses a BUY may not have (RESTRICTED only without `allow_restricted`). */
const BUY_BLOCKING_STATUSES = new Set(['SELL_ONLY', 'BANNED', 'SUSPENDED']);

const bySortKey = (a: TradeIntent, b: TradeIntent): number => compareCodePoints(a.instrumentId, b.instrumentId);

interface Working {
  readonly positions: RowIndex<Position>;
  readonly cash: RowIndex<CashBalance>;
}

function workingCopy(portfolio: PortfolioSnapshot): Working {
  return {
    positions: new RowIndex<Position>(
      [...portfolio.positions],
      (p) => p.instrumentId,
      (instrumentId) => ({ instrumentId, quantity: ZERO, marketValue: null, lots: [] }),
    ),
    cash: new RowIndex<CashBalance>(
      [...portfolio.cashBalances],
      (c) => c.currency,
      (currency) => ({ currency, amount: ZERO, settled: null, pending: null }),
    ),
  };
}

function moveCash(book: Working, currency: string, delta: Decimal): void {
  book.cash.update(currency, (c) => ({ ...c, amount: c.amount.plus(delta) }));
}

/**
 * As the DPM after-state (docs/engine.md#after-state-and-rules): quantity and the notional's cash
 * move together.
 */
function applyTrade(book: Working, trade: TradeIntent): void {
  const buy = trade.side === 'BUY';
  book.positions.update(trade.instrumentId, (p) => ({
    ...p,
    quantity: buy ? p.quantity.plus(trade.quantity) : p.quantity.minus(trade.quantity),
  }));
  moveCash(book, trade.notional.currency, buy ? trade.notional.amount.neg() : trade.notional.amount);
}

interface RunState {
  readonly diagnostics: Diagnostics;
  /** Hard-failure reason codes (PROPOSAL_INPUT_GUARDS), in order. */
  readonly hard: string[];
}

/**
 * Step 1. The negative-cash guard looks at each currency once, after all flows
 * (docs/advisory.md#d5-negative-cash-judged-after-all-flows).
 */
function applyCashFlows(request: ProposalSimulateRequest, book: Working, run: RunState): CashFlowIntent[] {
  const touched: string[] = [];
  const intents = request.proposed_cash_flows.map((flow, i): CashFlowIntent => {
    const amount = Decimal.from(flow.amount);
    moveCash(book, flow.currency, amount);
    if (!touched.includes(flow.currency)) touched.push(flow.currency);
    return { intentType: 'CASH_FLOW', intentId: `oi_cf_${i + 1}`, currency: flow.currency, amount, description: flow.description };
  });
  if (request.options.proposal_block_negative_cash) {
    for (const currency of touched) {
      if (!isNegative(book.cash.get(currency).amount)) continue;
      run.diagnostics.warnings.push(WARNINGS.PROPOSAL_WITHDRAWAL_NEGATIVE_CASH);
      run.hard.push(HARD_FAILURES.PROPOSAL_WITHDRAWAL_NEGATIVE_CASH);
    }
  }
  return intents;
}

/** Step 2: proposed trades → SECURITY_TRADE intents, or skipped with a reason. */
function buildTrades(
  request: ProposalSimulateRequest,
  options: EngineOptions,
  market: MarketContext,
  run: RunState,
): { trades: TradeIntent[]; skippedForPrice: number } {
  const dq = run.diagnostics.dataQuality;
  const warnings = run.diagnostics.warnings;
  const base = market.baseCurrency;
  const trades: TradeIntent[] = [];
  let skippedForPrice = 0;
  request.proposed_trades.forEach((proposed, i) => {
    const id = proposed.instrument_id;
    const shelf = market.shelf(id);
    if (shelf === undefined) {
      dq.shelfMissing.push(id);
      return;
    }
    if (
      proposed.side === 'BUY' &&
      (BUY_BLOCKING_STATUSES.has(shelf.status) || (shelf.status === 'RESTRICTED' && !options.allowRestricted))
    ) {
      warnings.push(WARNINGS.PROPOSAL_TRADE_NOT_SUPPORTED_BY_SHELF);
      run.hard.push(HARD_FAILURES.PROPOSAL_TRADE_NOT_SUPPORTED_BY_SHELF);
      return;
    }
    const price = market.price(id);
    if (price === undefined) {
      dq.priceMissing.push(id);
      // Never silently (docs/advisory.md#d4-unpriced-trades-are-never-silent): a warning, and a
      // soft rule below when prices do not block.
      if (!warnings.includes(WARNINGS.PROPOSAL_TRADE_SKIPPED_MISSING_PRICE)) {
        warnings.push(WARNINGS.PROPOSAL_TRADE_SKIPPED_MISSING_PRICE);
      }
      skippedForPrice += 1;
      return;
    }
    let quantity: Decimal;
    let notionalAmount: Decimal;
    if (proposed.quantity !== null) {
      quantity = Decimal.from(proposed.quantity);
      notionalAmount = quantity.times(price.price);
    } else {
      // Validation guarantees exactly one of quantity / notional.
      const notional = proposed.notional as { amount: string; currency: string };
      if (notional.currency !== price.currency) {
        warnings.push(WARNINGS.PROPOSAL_INVALID_TRADE_INPUT);
        run.hard.push(HARD_FAILURES.PROPOSAL_INVALID_TRADE_INPUT);
        return;
      }
      notionalAmount = Decimal.from(notional.amount);
      quantity = divide(notionalAmount, price.price);
    }
    const rate = market.fxRate(price.currency, base);
    if (rate === null) dq.fxMissing.push(`${price.currency}/${base}`);
    trades.push({
      intentType: 'SECURITY_TRADE',
      intentId: `oi_${i + 1}`,
      instrumentId: id,
      side: proposed.side,
      quantity,
      notional: { amount: notionalAmount, currency: price.currency },
      notionalBase: rate === null ? null : { amount: notionalAmount.times(rate), currency: base },
      dependencies: [],
    });
  });
  return { trades, skippedForPrice };
}

const ruleOf = (
  ruleId: string,
  severity: 'HARD' | 'SOFT',
  measured: number | Decimal,
  max: Decimal,
  reasonCode: string,
  hint: string,
): RuleResult => ({
  ruleId,
  severity,
  status: 'FAIL',
  measured: typeof measured === 'number' ? Decimal.from(measured) : measured,
  threshold: [['max', max]],
  reasonCode,
  remediationHint: hint,
});

interface AdvisoryReconciliation {
  readonly beforeTotal: Decimal;
  readonly afterTotal: Decimal;
  readonly tolerance: Decimal;
  readonly difference: Decimal;
  readonly ok: boolean;
}

/** Step 14: after = before + the cash flows (in base), within 0.5 + 0.05 % of the expected value. */
function reconcile(
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
  const tolerance = RECONCILIATION_FIXED_TOLERANCE.plus(expected.abs().times(RECONCILIATION_RELATIVE_TOLERANCE));
  const difference = after.totalValue.amount.minus(expected).abs();
  return {
    beforeTotal: before.totalValue.amount,
    afterTotal: after.totalValue.amount,
    tolerance,
    difference,
    ok: difference.lte(tolerance),
  };
}

function firstShelfEntries(entries: readonly WireShelfEntry[]): Map<string, WireShelfEntry> {
  const map = new Map<string, WireShelfEntry>();
  for (const entry of entries) if (!map.has(entry.instrument_id)) map.set(entry.instrument_id, entry);
  return map;
}

function fundingDiagnostics(funding: FundingOutcome | null): Pick<
  ProposalResult['diagnostics'],
  'missing_fx_pairs' | 'funding_plan' | 'insufficient_cash'
> {
  if (funding === null) return { missing_fx_pairs: [], funding_plan: [], insufficient_cash: [] };
  return {
    missing_fx_pairs: [...funding.missingFxPairs],
    funding_plan: funding.plan.map((row) => {
      const places = minorUnits(row.targetCurrency);
      return {
        target_currency: row.targetCurrency,
        required: formatFixed(row.required, places),
        available_before_fx: formatFixed(row.availableBeforeFx, places),
        fx_needed: formatFixed(row.fxNeeded, places),
        fx_pair: row.fxPair,
        funding_currency: row.fundingCurrency,
      };
    }),
    insufficient_cash: funding.insufficientCash.map((c) => ({
      currency: c.currency,
      deficit: formatFixed(c.deficit, minorUnits(c.currency)),
    })),
  };
}

/**
 * Runs the proposal simulation on a validated request. Never throws on a validated request
 * except for arithmetic the reference also refuses (a `DecimalArithmeticError`) — an HTTP 500.
 */
export function simulateProposal(request: ProposalSimulateRequest, context: ProposalContext): ProposalResult {
  const wireOptions = request.options;
  const options = parseOptions(wireOptions);
  const snapshots = parseSnapshots({ ...request, model_portfolio: { targets: [] } });
  const portfolio = snapshots.portfolio;
  const market = buildMarketContext({ ...snapshots, options });
  const diagnostics = emptyDiagnostics();
  const run: RunState = { diagnostics, hard: [] };

  // The after valuation reuses the values of positions the proposal does not touch.
  const valued: ValuationMemo = new Map();
  const before = valuePortfolio(portfolio, options.valuationMode, market, diagnostics.dataQuality, valued);
  const book = workingCopy(portfolio);

  const cashFlows = applyCashFlows(request, book, run);
  const { trades, skippedForPrice } = buildTrades(request, options, market, run);
  const sells = trades.filter((t) => t.side === 'SELL').sort(bySortKey);
  const buys = trades.filter((t) => t.side === 'BUY').sort(bySortKey);
  for (const sell of sells) applyTrade(book, sell);

  const funding = wireOptions.auto_funding
    ? planFunding(
        buys,
        book.cash,
        market,
        { fundingSource: wireOptions.fx_funding_source_currency, blockOnMissingFx: options.blockOnMissingFx },
        diagnostics,
      )
    : null;
  if (funding !== null) run.hard.push(...funding.hard);

  const linkSells = options.linkBuyToSameCurrencySellDependency ?? false;
  const lastSellByCurrency = new Map<string, string>();
  for (const sell of sells) lastSellByCurrency.set(sell.notional.currency, sell.intentId);
  const keptBuys: TradeIntent[] = [];
  for (const buy of buys) {
    const currency = buy.notional.currency;
    if (funding?.unfunded.has(currency)) {
      if (!diagnostics.warnings.includes(WARNINGS.PROPOSAL_BUY_SKIPPED_UNFUNDED)) {
        diagnostics.warnings.push(WARNINGS.PROPOSAL_BUY_SKIPPED_UNFUNDED);
      }
      continue;
    }
    applyTrade(book, buy);
    const dependencies: string[] = [];
    const fxId = funding?.fxByCurrency.get(currency);
    if (fxId !== undefined) dependencies.push(fxId);
    const sellId = linkSells ? lastSellByCurrency.get(currency) : undefined;
    if (sellId !== undefined && !dependencies.includes(sellId)) dependencies.push(sellId);
    keptBuys.push({ ...buy, dependencies });
  }
  const fxIntents: FxIntent[] = [...(funding?.fxIntents ?? [])].sort((a, b) => compareCodePoints(a.pair, b.pair));
  const intents: ProposalIntent[] = [...cashFlows, ...sells, ...fxIntents, ...keptBuys];

  const afterPortfolio: PortfolioSnapshot = { ...portfolio, positions: book.positions.rows, cashBalances: book.cash.rows };
  const after = valuePortfolio(afterPortfolio, 'CALCULATED', market, diagnostics.dataQuality, valued);

  const rules = evaluateRules(after, options, diagnostics);
  if (run.hard.length > 0) {
    rules.push(
      ruleOf(RULES.PROPOSAL_INPUT_GUARDS, 'HARD', run.hard.length, ZERO, run.hard[0] as string, HINTS.INPUT_GUARDS),
    );
  }
  const pending = funding?.pending ?? false;
  if (pending) {
    const missing = funding?.missingFxPairs.length ?? 0;
    rules.push(
      ruleOf(RULES.PROPOSAL_FUNDING_DQ, 'SOFT', missing, ZERO, RULE_REASONS.MISSING_FX_FOR_FUNDING, HINTS.FUNDING_DQ),
    );
  }
  if (skippedForPrice > 0 && !options.blockOnMissingPrices) {
    rules.push(
      ruleOf(
        RULES.PROPOSAL_TRADES_SKIPPED,
        'SOFT',
        skippedForPrice,
        ZERO,
        RULE_REASONS.TRADE_SKIPPED_MISSING_PRICE,
        HINTS.TRADES_SKIPPED,
      ),
    );
  }
  let status: RunStatus = statusFromRules(rules);

  const reconciliation = reconcile(before, after, cashFlows, market, diagnostics);
  if (!reconciliation.ok) {
    status = 'BLOCKED';
    rules.push(
      ruleOf(
        RULE_IDS.RECONCILIATION,
        'HARD',
        reconciliation.difference,
        reconciliation.tolerance,
        DPM_RULE_REASONS.VALUE_MISMATCH,
        HINTS.RECONCILIATION,
      ),
    );
  }
  if (pending && status === 'READY') status = 'PENDING_REVIEW';

  const portfolioSnapshotId = request.portfolio_snapshot.snapshot_id ?? request.portfolio_snapshot.portfolio_id;
  const marketDataSnapshotId = request.market_data_snapshot.snapshot_id ?? 'md';

  let drift: DriftAnalysis | null = null;
  const model = request.reference_model;
  if (wireOptions.enable_drift_analytics && model !== null) {
    if (model.base_currency !== portfolio.baseCurrency) {
      diagnostics.warnings.push(WARNINGS.REFERENCE_MODEL_BASE_CURRENCY_MISMATCH);
    } else {
      const traded = [...sells, ...keptBuys].map((t) => t.instrumentId);
      drift = computeDrift(before, after, model, traded, {
        enableInstrumentDrift: wireOptions.enable_instrument_drift,
        topContributorsLimit: wireOptions.drift_top_contributors_limit,
        unmodeledExposureThreshold: Decimal.from(wireOptions.drift_unmodeled_exposure_threshold),
      }).output;
    }
  }

  let suitability: SuitabilityResult | null = null;
  let suitabilityIssues: ReturnType<typeof computeSuitability>['issues'] = [];
  if (wireOptions.enable_suitability_scanner) {
    const shelf = firstShelfEntries(request.shelf_entries);
    const computed = computeSuitability({
      before,
      after,
      shelf: (id) => shelf.get(id),
      thresholds: wireOptions.suitability_thresholds as SuitabilityThresholds,
      allowRestricted: options.allowRestricted,
      proposedTrades: request.proposed_trades,
      portfolioSnapshotId,
      marketDataSnapshotId,
    });
    suitability = computed.output;
    suitabilityIssues = computed.issues;
  }

  const gate = evaluateGate(status, rules, diagnostics, options, {
    suitabilityIssues,
    defaultRequiresClientConsent: true,
  });

  const base = portfolio.baseCurrency;
  const [beforeOut, afterOut] = serializeStates(before, after);
  return {
    proposal_run_id: context.runId,
    correlation_id: context.correlationId ?? 'c_none',
    status,
    before: beforeOut,
    intents: intents.map(serializeIntent),
    after_simulated: afterOut,
    reconciliation: {
      before_total_value: money({ amount: reconciliation.beforeTotal, currency: base }),
      after_total_value: money({ amount: reconciliation.afterTotal, currency: base }),
      delta: money({ amount: reconciliation.afterTotal.minus(reconciliation.beforeTotal), currency: base }),
      tolerance: money({ amount: reconciliation.tolerance, currency: base }),
      status: reconciliation.ok ? 'OK' : 'MISMATCH',
    },
    rule_results: rules.map(serializeRule),
    explanation: { summary: status },
    diagnostics: { ...serializeDiagnostics(diagnostics), ...fundingDiagnostics(funding) },
    drift_analysis: drift,
    suitability,
    gate_decision: gate === null ? null : serializeGate(gate),
    lineage: {
      portfolio_snapshot_id: portfolioSnapshotId,
      market_data_snapshot_id: marketDataSnapshotId,
      request_hash: context.requestHash ?? 'no_hash',
      idempotency_key: context.idempotencyKey ?? null,
      engine_version: ENGINE_VERSION,
    },
  };
}
