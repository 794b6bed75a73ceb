/**
 * The internal model → the wire parts both engines emit (docs/engine.md#request-and-result), keys
 * in the reference's order. The only place that knows which weights are quantized on output
 * (PositionSummary and AllocationMetric, 4 dp) and which are emitted raw (everything else).
 */
import { formatDecimal as dec, formatFixed, type Decimal } from '../decimal.ts';
import type {
  AllocationMetric,
  CashBalance,
  Diagnostics,
  FxSpotIntent,
  GateDecision,
  Money,
  PositionSummary,
  RuleResult,
  SimulatedState,
  TradeIntentCore,
} from './model.ts';
import type { DiagnosticsOut, MoneyOut, RationaleOut, SimulatedStateOut } from './result-schema.ts';

const OUTPUT_WEIGHT_DECIMALS = 4;
const weight4 = (value: Decimal): string => formatFixed(value, OUTPUT_WEIGHT_DECIMALS);

export const money = (m: Money): MoneyOut => ({ amount: dec(m.amount), currency: m.currency });
export const moneyOrNull = (m: Money | null): MoneyOut | null => (m === null ? null : money(m));
const decOrNull = (d: Decimal | null): string | null => (d === null ? null : dec(d));

function decimalMap(entries: Iterable<readonly [string, Decimal]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of entries) out[key] = dec(value);
  return out;
}

const cashBalance = (c: CashBalance) => ({
  currency: c.currency,
  amount: dec(c.amount),
  settled: decOrNull(c.settled),
  pending: decOrNull(c.pending),
});

const metric = (m: AllocationMetric) => ({ key: m.key, weight: weight4(m.weight), value: money(m.value) });

type PositionOut = SimulatedStateOut['positions'][number];

const positionOut = (p: PositionSummary): PositionOut => ({
  instrument_id: p.instrumentId,
  quantity: dec(p.quantity),
  instrument_currency: p.instrumentCurrency,
  asset_class: p.assetClass,
  price: moneyOrNull(p.price),
  value_in_instrument_ccy: money(p.valueInInstrumentCcy),
  value_in_base_ccy: money(p.valueInBaseCcy),
  weight: weight4(p.weight),
});

const copyMoney = (m: MoneyOut): MoneyOut => ({ amount: m.amount, currency: m.currency });

/** A serialized row again, in objects of its own (the result stays a tree). */
const copyPosition = (p: PositionOut): PositionOut => ({
  instrument_id: p.instrument_id,
  quantity: p.quantity,
  instrument_currency: p.instrument_currency,
  asset_class: p.asset_class,
  price: p.price === null ? null : copyMoney(p.price),
  value_in_instrument_ccy: copyMoney(p.value_in_instrument_ccy),
  value_in_base_ccy: copyMoney(p.value_in_base_ccy),
  weight: p.weight,
});

/** An allocation row by instrument: a position's texts, in objects of its own. */
const instrumentMetric = (p: PositionOut) => ({ key: p.instrument_id, weight: p.weight, value: copyMoney(p.value_in_base_ccy) });

/** `rows`: summaries already serialized for this result (positions valued once, shown twice). */
function serializeState(state: SimulatedState, rows: Map<PositionSummary, PositionOut>): SimulatedStateOut {
  const positions = state.positions.map((p) => {
    const known = rows.get(p);
    if (known !== undefined) return copyPosition(known);
    const row = positionOut(p);
    rows.set(p, row);
    return row;
  });
  const byAttribute: SimulatedStateOut['allocation_by_attribute'] = {};
  for (const [key, metrics] of state.allocationByAttribute) byAttribute[key] = metrics.map(metric);
  return {
    total_value: money(state.totalValue),
    cash_balances: state.cashBalances.map(cashBalance),
    positions,
    allocation_by_asset_class: state.allocationByAssetClass.map(metric),
    allocation_by_instrument: positions.map(instrumentMetric),
    allocation: positions.map(instrumentMetric),
    allocation_by_attribute: byAttribute,
  };
}

/**
 * The before and after states. Positions the trades did not touch share their summary between
 * the two (see valuation), so each is formatted once.
 */
export function serializeStates(before: SimulatedState, after: SimulatedState): [SimulatedStateOut, SimulatedStateOut] {
  const rows = new Map<PositionSummary, PositionOut>();
  return [serializeState(before, rows), serializeState(after, rows)];
}

/**
 * A security trade on the wire. The engines differ only in what they pass: the DPM engine always
 * has a base-currency notional and constraints, the advisory engine may lack the first and never
 * has the second.
 */
export function securityTradeOut<Base extends MoneyOut | null>(
  intent: TradeIntentCore,
  notionalBase: Base,
  rationale: RationaleOut,
  constraintsApplied: readonly string[],
) {
  return {
    intent_type: 'SECURITY_TRADE' as const,
    intent_id: intent.intentId,
    instrument_id: intent.instrumentId,
    side: intent.side,
    quantity: dec(intent.quantity),
    notional: money(intent.notional),
    notional_base: notionalBase,
    dependencies: [...intent.dependencies],
    rationale,
    constraints_applied: [...constraintsApplied],
  };
}

/**
 * An FX spot trade on the wire. `amountText` prints its two amounts: raw in DPM runs, in the
 * currency's minor units in proposals.
 */
export function fxSpotOut(
  intent: FxSpotIntent,
  amountText: (amount: Decimal, currency: string) => string,
  rationale: RationaleOut,
) {
  return {
    intent_type: 'FX_SPOT' as const,
    intent_id: intent.intentId,
    pair: intent.pair,
    buy_currency: intent.buyCurrency,
    buy_amount: amountText(intent.buyAmount, intent.buyCurrency),
    sell_currency: intent.sellCurrency,
    sell_amount_estimated: amountText(intent.sellAmountEstimated, intent.sellCurrency),
    dependencies: [],
    rationale,
  };
}

export const serializeRule = (r: RuleResult) => ({
  rule_id: r.ruleId,
  severity: r.severity,
  status: r.status,
  measured: dec(r.measured),
  threshold: decimalMap(r.threshold),
  reason_code: r.reasonCode,
  remediation_hint: r.remediationHint,
});

export function serializeDiagnostics(d: Diagnostics): DiagnosticsOut {
  return {
    warnings: [...d.warnings],
    suppressed_intents: d.suppressedIntents.map((s) => ({
      instrument_id: s.instrumentId,
      reason: s.reason,
      intended_notional: money(s.intendedNotional),
      threshold: money(s.threshold),
    })),
    dropped_intents: d.droppedIntents.map((x) => ({
      instrument_id: x.instrumentId,
      reason: x.reason,
      potential_notional: money(x.potentialNotional),
      score: dec(x.score),
    })),
    group_constraint_events: d.groupConstraintEvents.map((e) => ({
      constraint_key: e.constraintKey,
      group_weight_before: dec(e.groupWeightBefore),
      max_weight: dec(e.maxWeight),
      released_weight: dec(e.releasedWeight),
      recipients: decimalMap(e.recipients),
      status: e.status,
    })),
    tax_budget_constraint_events: d.taxBudgetConstraintEvents.map((e) => ({
      instrument_id: e.instrumentId,
      requested_quantity: dec(e.requestedQuantity),
      allowed_quantity: dec(e.allowedQuantity),
      reason_code: e.reasonCode,
    })),
    cash_ladder: d.cashLadder.map((p) => ({
      date_offset: p.dateOffset,
      currency: p.currency,
      projected_balance: dec(p.projectedBalance),
    })),
    cash_ladder_breaches: d.cashLadderBreaches.map((b) => ({
      date_offset: b.dateOffset,
      currency: b.currency,
      projected_balance: dec(b.projectedBalance),
      allowed_floor: dec(b.allowedFloor),
      reason_code: b.reasonCode,
    })),
    missing_fx_pairs: [],
    funding_plan: [],
    insufficient_cash: [],
    data_quality: {
      price_missing: [...d.dataQuality.priceMissing],
      fx_missing: [...d.dataQuality.fxMissing],
      shelf_missing: [...d.dataQuality.shelfMissing],
    },
  };
}

export const serializeGate = (g: GateDecision) => ({
  gate: g.gate,
  recommended_next_step: g.recommendedNextStep,
  reasons: g.reasons.map((r) => ({
    reason_code: r.reasonCode,
    severity: r.severity,
    source: r.source,
    details: { ...r.details },
  })),
  summary: {
    hard_fail_count: g.hardFailCount,
    soft_fail_count: g.softFailCount,
    new_high_suitability_count: g.newHighSuitabilityCount,
    new_medium_suitability_count: g.newMediumSuitabilityCount,
  },
});
