/**
 * Post-trade rule engine (docs/engine.md#after-state-and-rules), in the reference's order:
 * CASH_BAND (soft), SINGLE_POSITION_MAX, DATA_QUALITY, MIN_TRADE_SIZE (soft, informational),
 * NO_SHORTING, INSUFFICIENT_CASH. Also run on the before-state when a run blocks early.
 */
import { Decimal, isNegative, maxOf, minOf, ZERO } from '../decimal.ts';
import { RULE_IDS, RULE_REASONS } from './codes.ts';
import type { Diagnostics, EngineOptions, RuleResult, RuleSeverity, SimulatedState } from './model.ts';

/** A position may sit this far above the single-position cap before the rule fails. */
const SINGLE_POSITION_TOLERANCE = Decimal.from('0.001');
const NO_LIMIT = Decimal.from(-1);
const CASH_BUCKET = 'CASH';

function rule(
  ruleId: string,
  severity: RuleSeverity,
  failed: boolean,
  measured: Decimal,
  threshold: RuleResult['threshold'],
  reasonCode: string,
  remediationHint: string | null = null,
): RuleResult {
  return { ruleId, severity, status: failed ? 'FAIL' : 'PASS', measured, threshold, reasonCode, remediationHint };
}

function cashBand(state: SimulatedState, options: EngineOptions): RuleResult {
  const cash = state.allocationByAssetClass.find((m) => m.key === CASH_BUCKET)?.weight ?? ZERO;
  const outside = cash.lt(options.cashBandMinWeight) || cash.gt(options.cashBandMaxWeight);
  return rule(
    RULE_IDS.CASH_BAND,
    'SOFT',
    outside,
    cash,
    [
      ['min', options.cashBandMinWeight],
      ['max', options.cashBandMaxWeight],
    ],
    outside ? RULE_REASONS.THRESHOLD_BREACH : RULE_REASONS.OK,
    outside ? 'Portfolio cash is outside policy bands.' : null,
  );
}

function singlePosition(state: SimulatedState, options: EngineOptions): RuleResult[] {
  const cap = options.singlePositionMaxWeight;
  if (cap === null) {
    return [rule(RULE_IDS.SINGLE_POSITION_MAX, 'HARD', false, ZERO, [['max', NO_LIMIT]], RULE_REASONS.NO_LIMIT_SET)];
  }
  const limit = cap.plus(SINGLE_POSITION_TOLERANCE);
  const breaches = state.positions
    .filter((p) => p.weight.gt(limit))
    .map((p) =>
      rule(
        RULE_IDS.SINGLE_POSITION_MAX,
        'HARD',
        true,
        p.weight,
        [['max', cap]],
        RULE_REASONS.LIMIT_BREACH,
        `Instrument ${p.instrumentId} exceeds max weight.`,
      ),
    );
  if (breaches.length > 0) return breaches;
  let largest = ZERO;
  for (const p of state.positions) largest = maxOf(largest, p.weight);
  return [rule(RULE_IDS.SINGLE_POSITION_MAX, 'HARD', false, largest, [['max', cap]], RULE_REASONS.OK)];
}

function dataQuality(diagnostics: Diagnostics, options: EngineOptions): RuleResult {
  const dq = diagnostics.dataQuality;
  const count =
    (options.blockOnMissingPrices ? dq.priceMissing.length : 0) +
    (options.blockOnMissingFx ? dq.fxMissing.length : 0) +
    dq.shelfMissing.length;
  return rule(
    RULE_IDS.DATA_QUALITY,
    'HARD',
    count > 0,
    Decimal.from(count),
    [['max', ZERO]],
    count > 0 ? RULE_REASONS.MISSING_DATA : RULE_REASONS.OK,
    count > 0 ? 'Check diagnostics for missing prices/FX.' : null,
  );
}

function minTradeSize(diagnostics: Diagnostics): RuleResult {
  const suppressed = diagnostics.suppressedIntents.length;
  return rule(
    RULE_IDS.MIN_TRADE_SIZE,
    'SOFT',
    false,
    Decimal.from(suppressed),
    [['min', ZERO]],
    suppressed > 0 ? RULE_REASONS.INTENTS_SUPPRESSED : RULE_REASONS.OK,
  );
}

function mostNegative(values: readonly Decimal[]): Decimal | null {
  let lowest: Decimal | null = null;
  for (const value of values) if (isNegative(value)) lowest = lowest === null ? value : minOf(lowest, value);
  return lowest;
}

function noShorting(state: SimulatedState): RuleResult {
  const lowest = mostNegative(state.positions.map((p) => p.quantity));
  return lowest === null
    ? rule(RULE_IDS.NO_SHORTING, 'HARD', false, ZERO, [['min', ZERO]], RULE_REASONS.OK)
    : rule(
        RULE_IDS.NO_SHORTING,
        'HARD',
        true,
        lowest,
        [['min', ZERO]],
        RULE_REASONS.SELL_EXCEEDS_HOLDINGS,
        'Reduce sell quantity.',
      );
}

function insufficientCash(state: SimulatedState): RuleResult {
  const lowest = mostNegative(state.cashBalances.map((c) => c.amount));
  return lowest === null
    ? rule(RULE_IDS.INSUFFICIENT_CASH, 'HARD', false, ZERO, [['min', ZERO]], RULE_REASONS.OK)
    : rule(
        RULE_IDS.INSUFFICIENT_CASH,
        'HARD',
        true,
        lowest,
        [['min', ZERO]],
        RULE_REASONS.CASH_BALANCE_NEGATIVE,
        'Ensure sufficient funding.',
      );
}

export function evaluateRules(state: SimulatedState, options: EngineOptions, diagnostics: Diagnostics): RuleResult[] {
  return [
    cashBand(state, options),
    ...singlePosition(state, options),
    dataQuality(diagnostics, options),
    minTradeSize(diagnostics),
    noShorting(state),
    insufficientCash(state),
  ];
}
