/**
 * Request validation and the request hash / run id test vector
 * (docs/advisory.md#request-and-validation).
 */
import { describe, expect, it } from 'vitest';
import {
  proposalRequestHash,
  proposalRunIdFor,
  validateProposalSimulateRequest,
} from '../../../src/domain/advisory/index.ts';
import { canonicalJson } from '../../../src/domain/canonical-json.ts';
import { proposalBody, validated } from './support.ts';

const minimal = {
  portfolio_snapshot: { portfolio_id: 'pf_prop_api_3', base_currency: 'USD' },
  market_data_snapshot: { prices: [], fx_rates: [] },
  shelf_entries: [],
  options: { enable_proposal_simulation: true },
  proposed_cash_flows: [],
  proposed_trades: [],
};

const problemsOf = (body: unknown) => {
  const result = validateProposalSimulateRequest(body);
  return result.ok ? [] : result.problems;
};

const withTrades = (...proposed_trades: unknown[]) => ({ ...minimal, proposed_trades });

describe('proposal request validation', () => {
  it('reproduces the reference request hash and run id of the minimal body', () => {
    const request = validated(minimal);
    const json = canonicalJson(request);
    expect(json).toHaveLength(1777);
    expect(Object.keys(request.options)).toHaveLength(40);
    expect(request.reference_model).toBeNull();
    const hash = proposalRequestHash(request);
    expect(hash).toBe('sha256:5dba36dc31d5484a64e67cc729ee1d039525c746e165c054516cf57df2ec931d');
    expect(proposalRunIdFor(hash)).toBe('pr_4b59113e');
  });

  it('fills every option when options are omitted, and hashes equal bodies equally', () => {
    const { options: _omitted, ...bare } = minimal;
    const request = validated(bare);
    expect(request.options.enable_proposal_simulation).toBe(false);
    expect(request.options.suitability_thresholds.max_weight_by_liquidity_tier).toEqual({ L4: '0.10', L5: '0.05' });
    expect(proposalRequestHash(validated({ ...bare, unknown_key: 1 }))).toBe(proposalRequestHash(request));
  });

  it('lists every missing top-level field', () => {
    expect(problemsOf({}).map((p) => `${p.field}:${p.code}`)).toEqual([
      'portfolio_snapshot:missing',
      'market_data_snapshot:missing',
      'shelf_entries:missing',
    ]);
    expect(problemsOf(null)).toEqual([
      { field: '', code: 'model_type', message: 'Input should be a valid dictionary or object to extract fields from' },
    ]);
  });

  it('requires exactly one of quantity / notional, and a positive notional', () => {
    const code = 'value_error';
    expect(problemsOf(withTrades({ side: 'BUY', instrument_id: 'X' }))).toEqual([
      { field: 'proposed_trades[0]', code, message: 'Value error, PROPOSAL_INVALID_TRADE_INPUT: quantity or notional is required' },
    ]);
    expect(
      problemsOf(withTrades({ side: 'BUY', instrument_id: 'X', quantity: '1', notional: { amount: '1', currency: 'USD' } })),
    ).toEqual([
      {
        field: 'proposed_trades[0]',
        code,
        message: 'Value error, PROPOSAL_INVALID_TRADE_INPUT: provide either quantity or notional, not both',
      },
    ]);
    expect(problemsOf(withTrades({ side: 'SELL', instrument_id: 'X', notional: { amount: '0', currency: 'USD' } }))).toEqual([
      { field: 'proposed_trades[0]', code, message: 'Value error, PROPOSAL_INVALID_TRADE_INPUT: notional.amount must be greater than 0' },
    ]);
    expect(problemsOf(withTrades({ side: 'BUY', instrument_id: 'X', quantity: '0' }))).toEqual([
      { field: 'proposed_trades[0].quantity', code: 'greater_than', message: 'Input should be greater than 0' },
    ]);
  });

  it('refuses JSON floats for quantities and amounts, accepts integers', () => {
    const body = {
      ...withTrades(
        { side: 'BUY', instrument_id: 'X', quantity: 1.5 },
        { side: 'BUY', instrument_id: 'Y', notional: { amount: 2.5, currency: 'USD' } },
        { side: 'BUY', instrument_id: 'Z', quantity: 3 },
      ),
      proposed_cash_flows: [{ currency: 'USD', amount: 10.25 }, { currency: 'USD', amount: -10 }],
    };
    expect(problemsOf(body)).toEqual([
      {
        field: 'proposed_trades[0].quantity',
        code: 'value_error',
        message: 'Value error, PROPOSAL_INVALID_TRADE_INPUT: quantity must be a decimal string',
      },
      {
        field: 'proposed_trades[1].notional.amount',
        code: 'value_error',
        message: 'Value error, PROPOSAL_INVALID_TRADE_INPUT: notional.amount must be a decimal string',
      },
      {
        field: 'proposed_cash_flows[0].amount',
        code: 'value_error',
        message: 'Value error, PROPOSAL_INVALID_TRADE_INPUT: amount must be a decimal string',
      },
    ]);
    const ints = validated({ ...withTrades({ side: 'BUY', instrument_id: 'Z', quantity: 3 }), proposed_cash_flows: [{ currency: 'USD', amount: -10 }] });
    expect(ints.proposed_trades[0]).toEqual({ intent_type: 'SECURITY_TRADE', side: 'BUY', instrument_id: 'Z', quantity: '3', notional: null });
    expect(ints.proposed_cash_flows[0]).toEqual({ intent_type: 'CASH_FLOW', currency: 'USD', amount: '-10', description: null });
  });

  it('checks literals, suitability thresholds and the reference model shape', () => {
    const body = proposalBody({
      trades: [{ intent_type: 'FX', side: 'HOLD', instrument_id: 'X', quantity: '1' }],
      options: {
        suitability_thresholds: { max_weight_by_liquidity_tier: { L9: '0.1' }, cash_band_min_weight: '0.5', cash_band_max_weight: '0.1' },
      },
      model: { model_id: 'm', as_of: 'd' },
    });
    expect(problemsOf(body).map((p) => `${p.field}:${p.code}`)).toEqual([
      'options.suitability_thresholds.max_weight_by_liquidity_tier.L9:value_error',
      'proposed_trades[0].intent_type:literal_error',
      'proposed_trades[0].side:literal_error',
      'reference_model.base_currency:missing',
    ]);
    const band = proposalBody({ options: { suitability_thresholds: { cash_band_min_weight: '0.5', cash_band_max_weight: '0.1' } } });
    expect(problemsOf(band)).toEqual([
      { field: 'options.suitability_thresholds', code: 'value_error', message: 'Value error, suitability cash band min cannot exceed max' },
    ]);
  });
});
