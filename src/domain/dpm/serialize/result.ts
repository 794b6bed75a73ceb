/**
 * The DPM outcome → wire RebalanceResult (docs/engine.md#request-and-result), keys in the
 * reference's order. The parts both engines emit are `portfolio/serialize.ts`.
 */
import { formatDecimal as dec } from '../../decimal.ts';
import type { Intent, RebalanceOutcome, TargetMethodComparison } from '../../portfolio/model.ts';
import {
  fxSpotOut,
  money,
  moneyOrNull,
  securityTradeOut,
  serializeDiagnostics,
  serializeGate,
  serializeRule,
  serializeStates,
} from '../../portfolio/serialize.ts';
import type { IntentOut, RebalanceResult } from '../model/result-schema.ts';

const FUNDING = { code: 'FUNDING', message: 'Fund' };
const SWEEP = { code: 'SWEEP', message: 'Sweep' };
const DRIFT_REBALANCE = { code: 'DRIFT_REBALANCE', message: 'Align' };

function serializeIntent(intent: Intent): IntentOut {
  if (intent.intentType === 'FX_SPOT') {
    return fxSpotOut(intent, dec, intent.purpose === 'FUNDING' ? { ...FUNDING } : { ...SWEEP });
  }
  return securityTradeOut(intent, money(intent.notionalBase), { ...DRIFT_REBALANCE }, intent.constraintsApplied);
}

const serializeComparison = (c: TargetMethodComparison) => ({
  primary_method: c.primaryMethod,
  primary_status: c.primaryStatus,
  alternate_method: c.alternateMethod,
  alternate_status: c.alternateStatus,
  tolerance: c.tolerance,
  differing_instruments: [...c.differingInstruments],
  alternate_warnings: [...c.alternateWarnings],
});

export function serializeResult(o: RebalanceOutcome): RebalanceResult {
  const coverage = o.coverageComputed ? '1' : '0';
  const { comparison } = o.explanation;
  const [before, after] = serializeStates(o.before, o.afterSimulated);
  return {
    rebalance_run_id: o.runId,
    correlation_id: o.correlationId,
    status: o.status,
    before,
    universe: {
      universe_id: `u_${o.runId}`,
      eligible_for_buy: [...o.universe.eligibleForBuy],
      eligible_for_sell: [...o.universe.eligibleForSell],
      excluded: o.universe.excluded.map((e) => ({
        instrument_id: e.instrumentId,
        reason_code: e.reasonCode,
        details: null,
      })),
      coverage: { price_coverage_pct: coverage, fx_coverage_pct: coverage },
    },
    target: {
      target_id: `t_${o.runId}`,
      strategy: {},
      targets: o.targets.map((t) => ({
        instrument_id: t.instrumentId,
        model_weight: dec(t.modelWeight),
        final_weight: dec(t.finalWeight),
        final_value: money(t.finalValue),
        tags: [...t.tags],
      })),
    },
    intents: o.intents.map(serializeIntent),
    after_simulated: after,
    reconciliation:
      o.reconciliation === null
        ? null
        : {
            before_total_value: money(o.reconciliation.beforeTotalValue),
            after_total_value: money(o.reconciliation.afterTotalValue),
            delta: money(o.reconciliation.delta),
            tolerance: money(o.reconciliation.tolerance),
            status: o.reconciliation.status,
          },
    tax_impact:
      o.taxImpact === null
        ? null
        : {
            total_realized_gain: money(o.taxImpact.totalRealizedGain),
            total_realized_loss: money(o.taxImpact.totalRealizedLoss),
            budget_limit: moneyOrNull(o.taxImpact.budgetLimit),
            budget_used: moneyOrNull(o.taxImpact.budgetUsed),
          },
    rule_results: o.ruleResults.map(serializeRule),
    explanation:
      comparison === undefined
        ? { summary: o.explanation.summary }
        : {
            summary: o.explanation.summary,
            target_method_comparison: comparison === null ? null : serializeComparison(comparison),
          },
    diagnostics: serializeDiagnostics(o.diagnostics),
    gate_decision: o.gateDecision === null ? null : serializeGate(o.gateDecision),
    lineage: {
      portfolio_snapshot_id: o.portfolioId,
      market_data_snapshot_id: 'md',
      request_hash: o.requestHash,
      idempotency_key: null,
      engine_version: o.engineVersion,
    },
  };
}
