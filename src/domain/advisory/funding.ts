/**
 * Auto-funding (docs/advisory.md#funding): after the SELLs, before the BUYs, every currency
 * the BUYs need is funded from cash already held in it first ("partial funding"), and the rest
 * with one FX_SPOT per target currency from a single source currency (`ONE_FX_PER_CCY`).
 *
 * Deliberate differences from the reference (D1–D3 in
 * docs/advisory.md#engine-differences-from-the-reference), each only where its behaviour is wrong
 * for the user:
 * - D1: a source currency only gives cash its own BUYs do not need (the reference let an earlier
 *   FX drain cash later BUYs needed, and let FX proceeds of one target fund another);
 * - D2: missing FX pairs are judged per target currency, only for sources that have spare cash,
 *   and only recorded when that currency ends up unfunded (the reference blocked a funded
 *   proposal, and called a cash shortfall "missing FX" once any other currency missed a pair);
 * - D3: the FX buy amount is the need rounded UP to minor units (the reference rounded half-even,
 *   which can leave the BUY a fraction of a cent short — INSUFFICIENT_CASH — or emit a 0 FX).
 */
import { compareCodePoints } from '../canonical-json.ts';
import { type Decimal, isPositive, quantize, sum, ZERO } from '../decimal.ts';
import type { RowIndex } from '../portfolio/after-state.ts';
import type { CashBalance, Diagnostics, FxSpotIntent } from '../portfolio/model.ts';
import type { MarketContext } from '../portfolio/market-context.ts';
import { HARD_FAILURES, WARNINGS } from './codes.ts';
import type { TradeIntent } from './intents.ts';

const ZERO_DECIMAL_CURRENCIES = new Set(['JPY', 'KRW', 'VND']);
const THREE_DECIMAL_CURRENCIES = new Set(['BHD', 'KWD', 'OMR']);

/** Minor units of a currency: 0 for JPY/KRW/VND, 3 for BHD/KWD/OMR, else 2. */
export function minorUnits(currency: string): number {
  if (ZERO_DECIMAL_CURRENCIES.has(currency)) return 0;
  return THREE_DECIMAL_CURRENCIES.has(currency) ? 3 : 2;
}

/** `q(x, ccy)`: quantize to minor units, half-even. */
export function toMinor(value: Decimal, currency: string): Decimal {
  return quantize(value, minorUnits(currency));
}

/** Rounded up (away from zero) to minor units: an FX buy that always covers the need. */
export function toMinorCeiling(value: Decimal, currency: string): Decimal {
  return quantize(value, minorUnits(currency), 'CEILING');
}

export interface FundingPlanRow {
  readonly targetCurrency: string;
  readonly required: Decimal;
  readonly availableBeforeFx: Decimal;
  readonly fxNeeded: Decimal;
  readonly fxPair: string | null;
  readonly fundingCurrency: string | null;
}

export interface FundingOptions {
  readonly fundingSource: 'ANY_CASH' | 'BASE_ONLY';
  readonly blockOnMissingFx: boolean;
}

export interface FundingOutcome {
  readonly fxIntents: FxSpotIntent[];
  /** Target currency → id of the FX intent that funds it. */
  readonly fxByCurrency: Map<string, string>;
  readonly unfunded: Set<string>;
  readonly plan: FundingPlanRow[];
  readonly missingFxPairs: string[];
  readonly insufficientCash: { readonly currency: string; readonly deficit: Decimal }[];
  /** Hard-failure reason codes, in the order they arose. */
  readonly hard: string[];
  /** A currency stayed unfunded for lack of FX while missing FX does not block. */
  pending: boolean;
}

/**
 * Plans and applies the FX (mutating `cash`: FX legs, plus zero rows for every target currency
 * and every candidate with a rate, as the reference does). `buys` are the BUY intents.
 */
export function planFunding(
  buys: readonly TradeIntent[],
  cash: RowIndex<CashBalance>,
  market: MarketContext,
  options: FundingOptions,
  diagnostics: Diagnostics,
): FundingOutcome {
  const base = market.baseCurrency;
  const outcome: FundingOutcome = {
    fxIntents: [],
    fxByCurrency: new Map(),
    unfunded: new Set(),
    plan: [],
    missingFxPairs: [],
    insufficientCash: [],
    hard: [],
    pending: false,
  };
  const groups = new Map<string, Decimal[]>();
  for (const buy of buys) {
    const list = groups.get(buy.notional.currency) ?? [];
    list.push(buy.notional.amount);
    groups.set(buy.notional.currency, list);
  }
  /**
   * What each currency's own BUYs need: not available to fund other currencies
   * (docs/advisory.md#d1-funding-uses-spare-cash-only).
   */
  const reserved = new Map([...groups].map(([ccy, amounts]) => [ccy, sum(amounts)] as const));
  const amountOf = (ccy: string): Decimal => cash.get(ccy).amount;
  /** Cash not needed by the currency's own BUYs (as above); reads without appending a row. */
  const spareOf = (ccy: string): Decimal =>
    (cash.rows.find((c) => c.currency === ccy)?.amount ?? ZERO).minus(reserved.get(ccy) ?? ZERO);
  const move = (ccy: string, delta: Decimal): void => cash.update(ccy, (c) => ({ ...c, amount: c.amount.plus(delta) }));
  let warnedNonBlocking = false;

  for (const target of [...groups.keys()].sort(compareCodePoints)) {
    const required = reserved.get(target) ?? ZERO;
    const available = amountOf(target);
    const rawNeed = required.minus(available);
    const need = isPositive(rawNeed) ? toMinorCeiling(rawNeed, target) : ZERO;
    const row = {
      targetCurrency: target,
      required: toMinor(required, target),
      availableBeforeFx: toMinor(available, target),
      fxNeeded: need,
    };
    if (!isPositive(need)) {
      outcome.plan.push({ ...row, fxPair: null, fundingCurrency: null });
      continue;
    }

    const candidates: string[] = base === target ? [] : [base];
    if (options.fundingSource === 'ANY_CASH') {
      const others = cash.rows.map((c) => c.currency).filter((c) => c !== base && c !== target);
      candidates.push(...[...new Set(others)].sort(compareCodePoints));
    }
    const groupMissing: string[] = [];
    let selected: { source: string; sell: Decimal } | null = null;
    let smallest: { currency: string; deficit: Decimal } | null = null;
    for (const source of candidates) {
      const rate = market.fxRate(target, source);
      if (rate === null) {
        // A source with no spare cash could not fund anything, rate or not
        // (docs/advisory.md#d2-missing-fx-judged-per-currency).
        if (isPositive(spareOf(source))) groupMissing.push(`${target}/${source}`);
        continue;
      }
      const sell = toMinor(need.times(rate), source);
      amountOf(source); // the reference appends a zero row for a candidate with a rate
      const spare = spareOf(source);
      if (spare.gte(sell)) {
        selected = { source, sell };
        break;
      }
      const deficit = sell.minus(spare);
      if (smallest === null || deficit.lt(smallest.deficit)) smallest = { currency: source, deficit };
    }

    if (selected === null) {
      outcome.unfunded.add(target);
      outcome.plan.push({ ...row, fxPair: null, fundingCurrency: null });
      if (groupMissing.length > 0) {
        for (const pair of groupMissing) {
          if (!outcome.missingFxPairs.includes(pair)) outcome.missingFxPairs.push(pair);
          if (!diagnostics.dataQuality.fxMissing.includes(pair)) diagnostics.dataQuality.fxMissing.push(pair);
        }
        if (options.blockOnMissingFx) outcome.hard.push(HARD_FAILURES.PROPOSAL_MISSING_FX_FOR_FUNDING);
        else {
          outcome.pending = true;
          if (!warnedNonBlocking) diagnostics.warnings.push(WARNINGS.PROPOSAL_MISSING_FX_NON_BLOCKING);
          warnedNonBlocking = true;
        }
      } else {
        if (smallest !== null) {
          outcome.insufficientCash.push({ currency: smallest.currency, deficit: toMinor(smallest.deficit, smallest.currency) });
        }
        outcome.hard.push(HARD_FAILURES.PROPOSAL_INSUFFICIENT_FUNDING_CASH);
      }
      continue;
    }

    const intentId = `oi_fx_${outcome.fxIntents.length + 1}`;
    const pair = `${target}/${selected.source}`;
    outcome.fxIntents.push({
      intentType: 'FX_SPOT',
      intentId,
      pair,
      buyCurrency: target,
      buyAmount: need,
      sellCurrency: selected.source,
      sellAmountEstimated: selected.sell,
      purpose: 'FUNDING',
    });
    move(selected.source, selected.sell.neg());
    move(target, need);
    outcome.fxByCurrency.set(target, intentId);
    outcome.plan.push({ ...row, fxPair: pair, fundingCurrency: selected.source });
  }
  return outcome;
}
