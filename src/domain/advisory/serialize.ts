/**
 * A proposal outcome → wire ProposalResult (docs/advisory.md#pipeline), keys in the reference's
 * order. States, rules, diagnostics and the gate decision are the shared serialisers
 * (`portfolio/serialize.ts`); funding rows print amounts in the currency's minor units.
 */
import { formatFixed } from '../decimal.ts';
import { money, serializeDiagnostics, serializeGate, serializeRule, serializeStates } from '../portfolio/serialize.ts';
import { ENGINE_VERSION } from './codes.ts';
import { minorUnits, type FundingOutcome } from './funding.ts';
import { serializeIntent } from './intents.ts';
import type { ProposalResult } from './model/result-schema.ts';
import type { ProposalOutcome } from './outcome.ts';
import type { ProposalContext } from './simulate.ts';

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

export function serializeProposal(outcome: ProposalOutcome, base: string, context: ProposalContext): ProposalResult {
  const { status, before, after, reconciliation, diagnostics, funding, gate, ids } = outcome;
  const [beforeOut, afterOut] = serializeStates(before, after);
  return {
    proposal_run_id: context.runId,
    correlation_id: context.correlationId ?? 'c_none',
    status,
    before: beforeOut,
    intents: outcome.intents.map(serializeIntent),
    after_simulated: afterOut,
    reconciliation: {
      before_total_value: money({ amount: reconciliation.beforeTotal, currency: base }),
      after_total_value: money({ amount: reconciliation.afterTotal, currency: base }),
      delta: money({ amount: reconciliation.afterTotal.minus(reconciliation.beforeTotal), currency: base }),
      tolerance: money({ amount: reconciliation.tolerance, currency: base }),
      status: reconciliation.ok ? 'OK' : 'MISMATCH',
    },
    rule_results: outcome.rules.map(serializeRule),
    explanation: { summary: status },
    diagnostics: { ...serializeDiagnostics(diagnostics), ...fundingDiagnostics(funding) },
    drift_analysis: outcome.drift,
    suitability: outcome.suitability?.output ?? null,
    gate_decision: gate === null ? null : serializeGate(gate),
    lineage: {
      portfolio_snapshot_id: ids.portfolioSnapshotId,
      market_data_snapshot_id: ids.marketDataSnapshotId,
      request_hash: context.requestHash ?? 'no_hash',
      idempotency_key: context.idempotencyKey ?? null,
      engine_version: ENGINE_VERSION,
    },
  };
}
