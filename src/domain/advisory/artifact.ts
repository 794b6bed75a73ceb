/**
 * The proposal artifact (docs/advisory.md#artifact): a client-ready, self-contained package of
 * a simulated proposal — summary, portfolio impact, trades and funding, suitability, assumptions,
 * disclosures — plus an evidence bundle (the validated inputs, the full ProposalResult) sealed by
 * `artifact_hash`.
 *
 * Evidence hash rule (docs/advisory.md#evidence-hash-of-the-artifact):
 * `"sha256:" + SHA-256(canonical JSON)` of the artifact WITHOUT its identity and delivery fields —
 * `artifact_id`, `proposal_run_id`, `correlation_id`, `created_at`, the whole
 * `evidence_bundle.hashes` object, and inside the embedded result `proposal_run_id`,
 * `correlation_id`, `lineage.request_hash`, `lineage.idempotency_key`. What remains is exactly the
 * proposal's inputs and outputs, so the same proposal gives the same hash in any process, under any
 * correlation id, run id, idempotency key or creation time (the reference hashed those too:
 * docs/advisory.md#d6-evidence-hash-covers-the-proposal-only). Fields are removed at these exact
 * paths only, never by name at any depth, so user data (e.g. a shelf attribute called
 * `created_at`) is hashed.
 */
import { canonicalHash, compareCodePoints } from '../canonical-json.ts';
import { Decimal, divide, formatDecimal as dec, formatFixed, ONE, ZERO } from '../decimal.ts';
import type { RuleResult } from '../portfolio/model.ts';
import type { MoneyOut } from '../portfolio/result-schema.ts';
import { serializeGate } from '../portfolio/serialize.ts';
import { emptyDiagnostics } from '../portfolio/diagnostics.ts';
import { decideGate } from '../portfolio/gate-decision.ts';
import type { ProposalSimulateRequest } from './model/request-schema.ts';
import type { ProposalArtifact, ProposalResult } from './model/result-schema.ts';

export interface ArtifactContext {
  /** ISO timestamp supplied by the caller (the engine reads no clock); not part of the hash. */
  readonly createdAt: string;
}

type StateOut = ProposalResult['before'];
type GateOut = NonNullable<ProposalResult['gate_decision']>;

const fixed4 = (value: Decimal): string => formatFixed(value, 4);

/** Raw weight of a row: its value over the state's total (as valuation divides; 1 for a zero total). */
function rawWeights(state: StateOut, rows: StateOut['allocation_by_instrument']): { key: string; weight: Decimal; row: (typeof rows)[number] }[] {
  const total = Decimal.from(state.total_value.amount);
  const divisor = total.isZero() ? ONE : total;
  return rows.map((row) => ({ key: row.key, weight: divide(Decimal.from(row.value.amount), divisor), row }));
}

function sortedRows(state: StateOut, rows: StateOut['allocation_by_instrument']) {
  return rawWeights(state, rows)
    .sort((a, b) => b.weight.comparedTo(a.weight) || compareCodePoints(a.key, b.key))
    .map(({ row }) => ({ key: row.key, weight: row.weight, value: { ...row.value } }));
}

function impactSide(state: StateOut) {
  return {
    total_value: { ...state.total_value },
    allocation_by_asset_class: sortedRows(state, state.allocation_by_asset_class),
    allocation_by_instrument: sortedRows(state, state.allocation_by_instrument),
  };
}

function weightMap(state: StateOut, rows: StateOut['allocation_by_instrument']): Map<string, Decimal> {
  return new Map(rawWeights(state, rows).map(({ key, weight }) => [key, weight] as const));
}

function largestWeightChanges(result: ProposalResult, limit: number) {
  const before = weightMap(result.before, result.before.allocation_by_instrument);
  const after = weightMap(result.after_simulated, result.after_simulated.allocation_by_instrument);
  return [...new Set([...before.keys(), ...after.keys()])]
    .map((id) => {
      const weightBefore = before.get(id) ?? ZERO;
      const weightAfter = after.get(id) ?? ZERO;
      return { id, weightBefore, weightAfter, delta: weightAfter.minus(weightBefore) };
    })
    .filter((c) => !c.delta.isZero())
    .sort((a, b) => b.delta.abs().comparedTo(a.delta.abs()) || compareCodePoints(a.id, b.id))
    .slice(0, limit)
    .map((c) => ({
      bucket_type: 'INSTRUMENT' as const,
      bucket_id: c.id,
      weight_before: fixed4(c.weightBefore),
      weight_after: fixed4(c.weightAfter),
      delta: fixed4(c.delta),
    }));
}

function cashWeight(state: StateOut): Decimal {
  return weightMap(state, state.allocation_by_asset_class).get('CASH') ?? ZERO;
}

/** The gate when the run had gates off: evaluated now, client consent required by default. */
function freshGate(request: ProposalSimulateRequest, result: ProposalResult): GateOut {
  const rules: RuleResult[] = result.rule_results.map((r) => ({
    ruleId: r.rule_id,
    severity: r.severity,
    status: r.status,
    measured: Decimal.from(r.measured),
    threshold: Object.entries(r.threshold).map(([k, v]) => [k, Decimal.from(v)] as const),
    reasonCode: r.reason_code,
    remediationHint: r.remediation_hint,
  }));
  const diagnostics = emptyDiagnostics();
  diagnostics.dataQuality.priceMissing.push(...result.diagnostics.data_quality.price_missing);
  diagnostics.dataQuality.fxMissing.push(...result.diagnostics.data_quality.fx_missing);
  const issues = (result.suitability?.issues ?? []).map((i) => ({
    issueId: i.issue_id,
    issueKey: i.issue_key,
    severity: i.severity,
    statusChange: i.status_change,
  }));
  const gate = decideGate(
    result.status,
    rules,
    diagnostics,
    {
      clientConsentAlreadyObtained: request.options.client_consent_already_obtained,
      workflowRequiresClientConsent: request.options.workflow_requires_client_consent,
    },
    { suitabilityIssues: issues, defaultRequiresClientConsent: true },
  );
  return serializeGate(gate);
}

function nextStep(gate: GateOut): ProposalArtifact['summary']['recommended_next_step'] {
  switch (gate.gate) {
    case 'BLOCKED':
      return gate.reasons.some((r) => r.source === 'SUITABILITY' && r.severity === 'HIGH')
        ? 'COMPLIANCE_REVIEW'
        : 'RISK_REVIEW';
    case 'COMPLIANCE_REVIEW_REQUIRED':
      return 'COMPLIANCE_REVIEW';
    case 'CLIENT_CONSENT_REQUIRED':
      return 'CLIENT_CONSENT';
    case 'EXECUTION_READY':
      return 'EXECUTION_READY';
    default:
      return 'RISK_REVIEW';
  }
}

const titleCase = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();

/** The exact market rate of a pair as given (first row), 4 dp; null when only the inverse exists. */
function quotedRate(request: ProposalSimulateRequest, pair: string): string | null {
  const row = request.market_data_snapshot.fx_rates.find((r) => r.pair === pair);
  return row === undefined ? null : fixed4(Decimal.from(row.rate));
}

const plain = (text: string): string => dec(Decimal.from(text));

/** The artifact minus the fields the evidence hash leaves out (see the module comment). */
function hashedContent(artifact: ProposalArtifact): unknown {
  const { artifact_id: _a, proposal_run_id: _p, correlation_id: _c, created_at: _t, evidence_bundle, ...rest } = artifact;
  const { hashes: _h, engine_outputs, ...bundle } = evidence_bundle;
  const { proposal_run_id: _rp, correlation_id: _rc, lineage, ...result } = engine_outputs.proposal_result;
  const { request_hash: _rh, idempotency_key: _ik, ...lineageRest } = lineage;
  return { ...rest, evidence_bundle: { ...bundle, engine_outputs: { proposal_result: { ...result, lineage: lineageRest } } } };
}

/** Recomputes the evidence hash of an artifact (its current `artifact_hash` is ignored). */
export function proposalArtifactHash(artifact: ProposalArtifact): string {
  return canonicalHash(hashedContent(artifact));
}

export function buildProposalArtifact(
  request: ProposalSimulateRequest,
  result: ProposalResult,
  context: ArtifactContext,
): ProposalArtifact {
  const proposal = JSON.parse(JSON.stringify(result)) as ProposalResult;
  const options = request.options;
  const limit = options.drift_top_contributors_limit;
  const gate = proposal.gate_decision ?? freshGate(request, proposal);

  const trades = proposal.intents.filter((i) => i.intent_type === 'SECURITY_TRADE');
  const fx = proposal.intents.filter((i) => i.intent_type === 'FX_SPOT');
  const drift = proposal.drift_analysis;
  const tags: string[] = [];
  if (trades.length > 0) tags.push('RISK_ALIGNMENT');
  if (request.proposed_cash_flows.length > 0) tags.push('CASH_DEPLOYMENT');
  if (drift !== null && Decimal.from(drift.asset_class.drift_total_after).lt(Decimal.from(drift.asset_class.drift_total_before))) {
    tags.push('DRIFT_REDUCTION');
  }
  if (tags.length === 0) tags.push('PORTFOLIO_MAINTENANCE');

  const suitability = options.enable_suitability_scanner ? proposal.suitability : null;
  const takeaways = [
    { code: 'STATUS', value: `Proposal status is ${proposal.status}.` },
    { code: 'INTENTS', value: `Generated ${trades.length} security trades and ${fx.length} FX intents.` },
    {
      code: 'CASH',
      value: `Cash weight changed from ${fixed4(cashWeight(proposal.before))} to ${fixed4(cashWeight(proposal.after_simulated))}.`,
    },
  ];
  if (drift !== null) {
    const b = fixed4(Decimal.from(drift.asset_class.drift_total_before));
    const a = fixed4(Decimal.from(drift.asset_class.drift_total_after));
    takeaways.push({ code: 'DRIFT', value: `Asset-class drift changed from ${b} to ${a}.` });
  }
  if (suitability !== null) {
    const s = suitability.summary;
    takeaways.push({
      code: 'SUITABILITY',
      value: `Suitability issues: new=${s.new_count}, resolved=${s.resolved_count}, persistent=${s.persistent_count}.`,
    });
  }

  const base = proposal.before.total_value.currency;
  const totalDelta: MoneyOut = {
    amount: dec(Decimal.from(proposal.after_simulated.total_value.amount).minus(Decimal.from(proposal.before.total_value.amount))),
    currency: base,
  };
  const tradeList = trades.map((t) => ({
    intent_id: t.intent_id,
    type: 'SECURITY_TRADE' as const,
    instrument_id: t.instrument_id,
    side: t.side,
    quantity: plain(t.quantity),
    estimated_notional: { ...t.notional },
    estimated_notional_base: t.notional_base === null ? null : { ...t.notional_base },
    dependencies: [...t.dependencies],
    rationale: { ...t.rationale },
  }));
  const fxList = [...fx]
    .sort((a, b) => compareCodePoints(a.pair, b.pair) || compareCodePoints(a.intent_id, b.intent_id))
    .map((f) => ({
      intent_id: f.intent_id,
      pair: f.pair,
      buy_amount: plain(f.buy_amount),
      sell_amount_estimated: plain(f.sell_amount_estimated),
      rate: quotedRate(request, f.pair),
    }));
  const productIds = [...new Set(trades.map((t) => t.instrument_id))].sort(compareCodePoints);
  const mdId = proposal.lineage.market_data_snapshot_id;

  const artifact: ProposalArtifact = {
    artifact_id: proposal.proposal_run_id.startsWith('pr_')
      ? `pa_${proposal.proposal_run_id.slice(3)}`
      : proposal.proposal_run_id,
    proposal_run_id: proposal.proposal_run_id,
    correlation_id: proposal.correlation_id,
    created_at: context.createdAt,
    status: proposal.status,
    gate_decision: gate,
    summary: {
      title: `Proposal for ${request.portfolio_snapshot.portfolio_id}`,
      objective_tags: tags,
      advisor_notes: [],
      recommended_next_step: nextStep(gate),
      key_takeaways: takeaways,
    },
    portfolio_impact: {
      before: impactSide(proposal.before),
      after: impactSide(proposal.after_simulated),
      delta: { total_value_delta: totalDelta, largest_weight_changes: largestWeightChanges(proposal, limit) },
      reconciliation: proposal.reconciliation,
    },
    trades_and_funding: {
      trade_list: tradeList,
      fx_list: fxList,
      ordering_policy: 'CASH_FLOW->SELL->FX->BUY',
      execution_notes: tradeList.some((t) => t.dependencies.length > 0)
        ? [{ code: 'DEPENDENCY', text: 'One or more BUY intents depend on generated FX intents.' }]
        : [],
    },
    suitability_summary:
      suitability === null
        ? {
            status: 'NOT_AVAILABLE',
            new_issues: 0,
            resolved_issues: 0,
            persistent_issues: 0,
            highest_severity_new: null,
            highlights: [],
            issues: [],
          }
        : {
            status: 'AVAILABLE',
            new_issues: suitability.summary.new_count,
            resolved_issues: suitability.summary.resolved_count,
            persistent_issues: suitability.summary.persistent_count,
            highest_severity_new: suitability.summary.highest_severity_new,
            highlights: suitability.issues.slice(0, limit).map((i) => ({
              code: i.status_change,
              text: `${titleCase(i.status_change)} issue: ${i.issue_id}.`,
            })),
            issues: suitability.issues,
          },
    assumptions_and_limits: {
      pricing: { market_data_snapshot_id: mdId, prices_as_of: mdId, fx_as_of: mdId },
      valuation_mode: options.valuation_mode,
      costs_and_fees: { included: false, notes: 'Transaction costs, fees, and bid/ask spreads are not modeled.' },
      tax: { included: false, notes: 'Tax impact is not modeled in the proposal artifact.' },
      execution: { included: false, notes: 'Execution timing and slippage are not modeled.' },
    },
    disclosures: {
      risk_disclaimer: 'This proposal is based on market-data snapshots and does not guarantee future performance.',
      product_docs: productIds.map((id) => ({ instrument_id: id, doc_ref: 'KID/FactSheet placeholder' })),
    },
    evidence_bundle: {
      inputs: JSON.parse(JSON.stringify(request)) as Record<string, unknown>,
      engine_outputs: { proposal_result: proposal },
      hashes: { request_hash: proposal.lineage.request_hash, artifact_hash: '' },
      engine_version: proposal.lineage.engine_version,
    },
  };
  artifact.evidence_bundle.hashes.artifact_hash = proposalArtifactHash(artifact);
  return artifact;
}
