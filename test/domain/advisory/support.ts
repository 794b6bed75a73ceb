/** Shared helpers of the advisory tests: comparison rules and small request builders. */
import {
  simulateProposal,
  validateProposalSimulateRequest,
  type ProposalResult,
  type ProposalSimulateRequest,
} from '../../../src/domain/advisory/index.ts';
import type { CompareRules } from '../../support/conformance.ts';

/** What the conformance README says, for ProposalResult files. */
export const PROPOSAL_RESULT_RULES: CompareRules = {
  ignore: ['proposal_run_id', 'correlation_id', 'lineage.request_hash'],
  unordered: ['diagnostics.warnings'],
};

type Json = Record<string, unknown>;

export interface Instrument {
  readonly id: string;
  readonly price?: string;
  readonly currency?: string;
  readonly status?: string;
  readonly assetClass?: string;
  readonly issuer?: string | null;
  readonly tier?: string | null;
  /** Held quantity (omitted = not held). */
  readonly held?: string;
}

/**
 * A proposal body: instruments are priced, on the shelf (with issuer and tier unless given as
 * null) and optionally held. Suitability checks are neutralised unless `options` set them.
 */
export function proposalBody(spec: {
  base?: string;
  cash?: Record<string, string>;
  instruments?: readonly Instrument[];
  fx?: Record<string, string>;
  options?: Json;
  flows?: readonly Json[];
  trades?: readonly Json[];
  model?: Json | null;
  extraShelf?: readonly Json[];
}): Json {
  const base = spec.base ?? 'USD';
  const instruments = spec.instruments ?? [];
  return {
    portfolio_snapshot: {
      portfolio_id: 'pf_test',
      base_currency: base,
      positions: instruments
        .filter((i) => i.held !== undefined)
        .map((i) => ({ instrument_id: i.id, quantity: i.held })),
      cash_balances: Object.entries(spec.cash ?? {}).map(([currency, amount]) => ({ currency, amount })),
    },
    market_data_snapshot: {
      prices: instruments
        .filter((i) => i.price !== undefined)
        .map((i) => ({ instrument_id: i.id, price: i.price, currency: i.currency ?? base })),
      fx_rates: Object.entries(spec.fx ?? {}).map(([pair, rate]) => ({ pair, rate })),
    },
    shelf_entries: [
      ...instruments
        .filter((i) => i.status !== 'NONE')
        .map((i) => ({
          instrument_id: i.id,
          status: i.status ?? 'APPROVED',
          asset_class: i.assetClass ?? 'EQUITY',
          ...(i.issuer === null ? {} : { issuer_id: i.issuer ?? `ISS_${i.id}` }),
          ...(i.tier === null ? {} : { liquidity_tier: i.tier ?? 'L1' }),
        })),
      ...(spec.extraShelf ?? []),
    ],
    options: {
      enable_proposal_simulation: true,
      suitability_thresholds: {
        single_position_max_weight: '1.00',
        issuer_max_weight: '1.00',
        max_weight_by_liquidity_tier: {},
        cash_band_min_weight: '0',
        cash_band_max_weight: '1',
      },
      ...spec.options,
    },
    proposed_cash_flows: spec.flows ?? [],
    proposed_trades: spec.trades ?? [],
    ...(spec.model === undefined ? {} : { reference_model: spec.model }),
  };
}

export function validated(body: unknown): ProposalSimulateRequest {
  const result = validateProposalSimulateRequest(body);
  if (!result.ok) throw new Error(`invalid test request: ${JSON.stringify(result.problems)}`);
  return result.value;
}

export function simulate(body: unknown): ProposalResult {
  return simulateProposal(validated(body), { runId: 'pr_test0001', requestHash: 'test' });
}

export const buy = (instrument_id: string, quantity: string): Json => ({ side: 'BUY', instrument_id, quantity });
export const sell = (instrument_id: string, quantity: string): Json => ({ side: 'SELL', instrument_id, quantity });

export const intentSummary = (result: ProposalResult): string[] =>
  result.intents.map((i) =>
    i.intent_type === 'FX_SPOT'
      ? `FX ${i.pair} ${i.buy_amount}/${i.sell_amount_estimated}`
      : i.intent_type === 'CASH_FLOW'
        ? `CF ${i.currency} ${i.amount}`
        : `${i.side} ${i.instrument_id} ${i.quantity}${i.dependencies.length > 0 ? ` <- ${i.dependencies.join(',')}` : ''}`,
  );

export const failedRules = (result: ProposalResult): string[] =>
  result.rule_results.filter((r) => r.status === 'FAIL').map((r) => `${r.rule_id}:${r.reason_code}`);

export const cashOf = (result: ProposalResult, currency: string): string | undefined =>
  result.after_simulated.cash_balances.find((c) => c.currency === currency)?.amount;
