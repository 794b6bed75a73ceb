/**
 * Suitability scanner (docs/advisory.md#suitability): scans the before-state and the proposed
 * after-state for concentration, issuer, liquidity, governance, cash-band and data-quality
 * issues, then classifies each issue key as NEW (after only), PERSISTENT (both) or RESOLVED
 * (before only). Attempted BUYs of SELL_ONLY / RESTRICTED instruments surface even when the
 * execution guard dropped them.
 */
import { compareCodePoints } from '../canonical-json.ts';
import { Decimal, formatDecimal as dec, formatFixed, isPositive, ZERO } from '../decimal.ts';
import type { SimulatedState } from '../portfolio/model.ts';
import type { ShelfEntry as WireShelfEntry } from '../portfolio/request-schema.ts';
import type { ProposedTrade } from './model/request-schema.ts';
import type { SuitabilityIssueOut, SuitabilityResult } from './model/result-schema.ts';

const EPS = Decimal.from('0.0000001');
const HIGH_FACTOR = Decimal.from('1.25');
const HUNDRED = Decimal.from(100);

export type Severity = 'HIGH' | 'MEDIUM' | 'LOW';
export type StatusChange = 'NEW' | 'PERSISTENT' | 'RESOLVED';
export type Dimension = 'CONCENTRATION' | 'ISSUER' | 'LIQUIDITY' | 'GOVERNANCE' | 'CASH' | 'DATA_QUALITY';

export interface SuitabilityThresholds {
  /** Decimal texts as given (echoed in issue details). */
  readonly single_position_max_weight: string;
  readonly issuer_max_weight: string;
  readonly max_weight_by_liquidity_tier: Readonly<Record<string, string>>;
  readonly cash_band_min_weight: string;
  readonly cash_band_max_weight: string;
  readonly data_quality_issue_severity: Severity;
}

export interface SuitabilityInput {
  readonly before: SimulatedState;
  readonly after: SimulatedState;
  /** Shelf lookup (first entry per instrument). */
  readonly shelf: (instrumentId: string) => WireShelfEntry | undefined;
  readonly thresholds: SuitabilityThresholds;
  readonly allowRestricted: boolean;
  /** The raw proposed trades (before any execution guard). */
  readonly proposedTrades: readonly ProposedTrade[];
  readonly portfolioSnapshotId: string;
  readonly marketDataSnapshotId: string;
}

interface Candidate {
  readonly issueId: string;
  readonly issueKey: string;
  readonly dimension: Dimension;
  readonly severity: Severity;
  readonly summary: string;
  readonly details: Readonly<Record<string, string>>;
}

export interface SuitabilityIssue extends Candidate {
  readonly statusChange: StatusChange;
}

/** Python `f"{x:.2%}"`: 0.10 → "10.00%". */
const percent = (value: Decimal): string => `${formatFixed(value.times(HUNDRED), 2)}%`;

/** HIGH above 1.25 × the cap, else MEDIUM. */
const breachSeverity = (measured: Decimal, cap: Decimal): Severity => (measured.gt(cap.times(HIGH_FACTOR)) ? 'HIGH' : 'MEDIUM');

/** Instruments with a positive raw weight (a key listed twice keeps its last row). */
function instrumentWeights(state: SimulatedState): Map<string, Decimal> {
  const out = new Map<string, Decimal>();
  for (const p of state.positions) {
    if (isPositive(p.weight)) out.set(p.instrumentId, p.weight);
    else out.delete(p.instrumentId);
  }
  return out;
}

function cashWeight(state: SimulatedState): Decimal {
  return state.allocationByAssetClass.find((m) => m.key === 'CASH')?.weight ?? ZERO;
}

function governanceIssue(
  id: string,
  status: 'SELL_ONLY' | 'RESTRICTED',
  allowRestricted: boolean,
  measuredBefore: Decimal,
  measuredAfter: Decimal,
  summary: string,
): Candidate {
  const restricted = status === 'RESTRICTED';
  return {
    issueId: restricted ? 'SUIT_GOVERNANCE_RESTRICTED_INCREASE' : 'SUIT_GOVERNANCE_SELL_ONLY_INCREASE',
    issueKey: `GOVERNANCE|${id}|${status}`,
    dimension: 'GOVERNANCE',
    severity: restricted && allowRestricted ? 'MEDIUM' : 'HIGH',
    summary,
    details: {
      instrument_id: id,
      shelf_status: status,
      ...(restricted ? { allow_restricted: allowRestricted ? 'true' : 'false' } : {}),
      measured_before: dec(measuredBefore),
      measured_after: dec(measuredAfter),
    },
  };
}

/** Issues of `target` (the before-state scans itself: target = before). */
function scan(target: SimulatedState, before: SimulatedState, input: SuitabilityInput): Map<string, Candidate> {
  const { thresholds, shelf } = input;
  const issues = new Map<string, Candidate>();
  const add = (c: Candidate): void => {
    issues.set(c.issueKey, c);
  };
  const dqSeverity = thresholds.data_quality_issue_severity;
  const dq = (id: string, kind: string, field: string, summary: string): void =>
    add({
      issueId: 'SUIT_DATA_QUALITY',
      issueKey: `DQ|${kind}|${id}`,
      dimension: 'DATA_QUALITY',
      severity: dqSeverity,
      summary,
      details: { instrument_id: id, missing_fields: field },
    });

  const targetWeights = instrumentWeights(target);
  const beforeWeights = instrumentWeights(before);
  const singleCap = Decimal.from(thresholds.single_position_max_weight);
  const issuerCap = Decimal.from(thresholds.issuer_max_weight);
  const byIssuer = new Map<string, Decimal>();
  const byTier = new Map<string, Decimal>();

  for (const [id, weight] of targetWeights) {
    if (weight.gt(singleCap.plus(EPS))) {
      add({
        issueId: 'SUIT_SINGLE_POSITION_MAX',
        issueKey: `SINGLE_POSITION_MAX|${id}`,
        dimension: 'CONCENTRATION',
        severity: breachSeverity(weight, singleCap),
        summary: `Single position ${id} exceeds ${percent(singleCap)} cap.`,
        details: { instrument_id: id, threshold: thresholds.single_position_max_weight, measured: dec(weight) },
      });
    }
    const entry = shelf(id);
    if (entry === undefined) {
      dq(id, 'MISSING_SHELF', 'shelf_entry', `Shelf enrichment missing for ${id}.`);
      continue;
    }
    if (entry.issuer_id === null) dq(id, 'MISSING_ISSUER', 'issuer_id', `Issuer enrichment missing for ${id}.`);
    else byIssuer.set(entry.issuer_id, (byIssuer.get(entry.issuer_id) ?? ZERO).plus(weight));
    if (entry.liquidity_tier === null) {
      dq(id, 'MISSING_LIQUIDITY_TIER', 'liquidity_tier', `Liquidity tier enrichment missing for ${id}.`);
    } else byTier.set(entry.liquidity_tier, (byTier.get(entry.liquidity_tier) ?? ZERO).plus(weight));
  }

  for (const [issuer, weight] of byIssuer) {
    if (!weight.gt(issuerCap.plus(EPS))) continue;
    add({
      issueId: 'SUIT_ISSUER_MAX',
      issueKey: `ISSUER_MAX|${issuer}`,
      dimension: 'ISSUER',
      severity: breachSeverity(weight, issuerCap),
      summary: `Issuer ${issuer} exceeds ${percent(issuerCap)} exposure cap.`,
      details: { issuer_id: issuer, threshold: thresholds.issuer_max_weight, measured: dec(weight) },
    });
  }

  for (const [tier, capText] of Object.entries(thresholds.max_weight_by_liquidity_tier)) {
    const cap = Decimal.from(capText);
    const weight = byTier.get(tier) ?? ZERO;
    if (!weight.gt(cap.plus(EPS))) continue;
    add({
      issueId: 'SUIT_LIQUIDITY_MAX',
      issueKey: `LIQUIDITY_MAX|${tier}`,
      dimension: 'LIQUIDITY',
      severity: breachSeverity(weight, cap),
      summary: `Liquidity tier ${tier} exceeds ${percent(cap)} exposure cap.`,
      details: { liquidity_tier: tier, threshold: capText, measured: dec(weight) },
    });
  }

  const governed = [...new Set([...beforeWeights.keys(), ...targetWeights.keys()])].sort(compareCodePoints);
  for (const id of governed) {
    const entry = shelf(id);
    if (entry === undefined) continue;
    const wTarget = targetWeights.get(id) ?? ZERO;
    const wBefore = beforeWeights.get(id) ?? ZERO;
    const status = entry.status;
    if ((status === 'BANNED' || status === 'SUSPENDED') && wTarget.gt(EPS)) {
      add({
        issueId: status === 'BANNED' ? 'SUIT_GOVERNANCE_BANNED' : 'SUIT_GOVERNANCE_SUSPENDED',
        issueKey: `GOVERNANCE|${id}|${status}`,
        dimension: 'GOVERNANCE',
        severity: 'HIGH',
        summary: `${status} instrument ${id} is present in the portfolio.`,
        details: { instrument_id: id, shelf_status: status, measured: dec(wTarget) },
      });
    } else if ((status === 'SELL_ONLY' || status === 'RESTRICTED') && wTarget.gt(wBefore.plus(EPS))) {
      const summary =
        status === 'SELL_ONLY'
          ? `SELL_ONLY instrument ${id} increased in proposed state.`
          : input.allowRestricted
            ? `RESTRICTED instrument ${id} increased under allow_restricted`
            : `RESTRICTED instrument ${id} increased in proposed state`;
      add(governanceIssue(id, status, input.allowRestricted, wBefore, wTarget, summary));
    }
  }

  const cash = cashWeight(target);
  const cashMin = Decimal.from(thresholds.cash_band_min_weight);
  const cashMax = Decimal.from(thresholds.cash_band_max_weight);
  if (cash.lt(cashMin.minus(EPS)) || cash.gt(cashMax.plus(EPS))) {
    add({
      issueId: 'SUIT_CASH_BAND',
      issueKey: 'CASH_BAND',
      dimension: 'CASH',
      severity: 'MEDIUM',
      summary: 'Cash weight is outside advisory suitability band.',
      details: {
        threshold_min: thresholds.cash_band_min_weight,
        threshold_max: thresholds.cash_band_max_weight,
        measured: dec(cash),
      },
    });
  }
  return issues;
}

const STATUS_RANK: Record<StatusChange, number> = { NEW: 0, PERSISTENT: 1, RESOLVED: 2 };
const SEVERITY_RANK: Record<Severity, number> = { HIGH: 0, MEDIUM: 1, LOW: 2 };

function issueOrder(a: SuitabilityIssue, b: SuitabilityIssue): number {
  return (
    STATUS_RANK[a.statusChange] - STATUS_RANK[b.statusChange] ||
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    compareCodePoints(a.dimension, b.dimension) ||
    compareCodePoints(a.issueKey, b.issueKey)
  );
}

export interface SuitabilityComputation {
  readonly issues: readonly SuitabilityIssue[];
  readonly output: SuitabilityResult;
}

export function computeSuitability(input: SuitabilityInput): SuitabilityComputation {
  const { before, after } = input;
  const beforeIssues = scan(before, before, input);
  const afterIssues = scan(after, before, input);

  const beforeWeights = instrumentWeights(before);
  const afterWeights = instrumentWeights(after);
  for (const trade of input.proposedTrades) {
    if (trade.side !== 'BUY') continue;
    const status = input.shelf(trade.instrument_id)?.status;
    if (status !== 'SELL_ONLY' && status !== 'RESTRICTED') continue;
    const id = trade.instrument_id;
    const summary = `Proposal BUY attempts to increase ${status} instrument ${id}.`;
    const candidate = governanceIssue(
      id,
      status,
      input.allowRestricted,
      beforeWeights.get(id) ?? ZERO,
      afterWeights.get(id) ?? ZERO,
      summary,
    );
    afterIssues.set(candidate.issueKey, candidate);
  }

  const issues: SuitabilityIssue[] = [];
  for (const [key, candidate] of afterIssues) {
    issues.push({ ...candidate, statusChange: beforeIssues.has(key) ? 'PERSISTENT' : 'NEW' });
  }
  for (const [key, candidate] of beforeIssues) {
    if (!afterIssues.has(key)) issues.push({ ...candidate, statusChange: 'RESOLVED' });
  }
  issues.sort(issueOrder);

  const count = (s: StatusChange) => issues.filter((i) => i.statusChange === s).length;
  const fresh = issues.filter((i) => i.statusChange === 'NEW');
  const highest = (['HIGH', 'MEDIUM', 'LOW'] as const).find((s) => fresh.some((i) => i.severity === s)) ?? null;
  const evidence = {
    as_of: input.marketDataSnapshotId,
    snapshot_ids: {
      portfolio_snapshot_id: input.portfolioSnapshotId,
      market_data_snapshot_id: input.marketDataSnapshotId,
    },
  };
  const issuesOut: SuitabilityIssueOut[] = issues.map((i) => ({
    issue_id: i.issueId,
    issue_key: i.issueKey,
    dimension: i.dimension,
    severity: i.severity,
    status_change: i.statusChange,
    summary: i.summary,
    details: { ...i.details },
    evidence: { as_of: evidence.as_of, snapshot_ids: { ...evidence.snapshot_ids } },
  }));
  return {
    issues,
    output: {
      summary: {
        new_count: fresh.length,
        resolved_count: count('RESOLVED'),
        persistent_count: count('PERSISTENT'),
        highest_severity_new: highest,
      },
      issues: issuesOut,
      recommended_gate: fresh.some((i) => i.severity === 'HIGH')
        ? 'COMPLIANCE_REVIEW'
        : fresh.some((i) => i.severity === 'MEDIUM')
          ? 'RISK_REVIEW'
          : 'NONE',
    },
  };
}
