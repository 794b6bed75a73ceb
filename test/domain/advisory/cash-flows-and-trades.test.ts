/**
 * Steps 1–2 of the proposal pipeline: cash flows, manual trades and their execution guards,
 * reconciliation with cash flows, and the deliberate differences D4 (missing price never silent)
 * and D5 (negative-cash guard on the net flows).
 */
import { describe, expect, it } from 'vitest';
import { buy, cashOf, failedRules, intentSummary, proposalBody, sell, simulate } from './support.ts';

const eq = { id: 'EQ', price: '100', held: '10' };

describe('cash flows', () => {
  it('applies a deposit first and reconciles the after value against before + flows', () => {
    const result = simulate(
      proposalBody({ cash: { USD: '1000' }, instruments: [eq, { id: 'NEW', price: '50' }], flows: [{ currency: 'USD', amount: '500', description: 'top-up' }], trades: [buy('NEW', '4')] }),
    );
    expect(result.status).toBe('READY');
    expect(result.intents[0]).toEqual({ intent_type: 'CASH_FLOW', intent_id: 'oi_cf_1', currency: 'USD', amount: '500', description: 'top-up' });
    expect(result.reconciliation).toMatchObject({ status: 'OK', delta: { amount: '500', currency: 'USD' } });
    expect(cashOf(result, 'USD')).toBe('1300');
  });

  it('blocks a withdrawal that makes cash negative', () => {
    const result = simulate(proposalBody({ cash: { USD: '100' }, instruments: [eq], flows: [{ currency: 'USD', amount: '-300' }] }));
    expect(result.status).toBe('BLOCKED');
    expect(result.diagnostics.warnings).toEqual(['PROPOSAL_WITHDRAWAL_NEGATIVE_CASH']);
    // Negative cash is also a negative cash weight: outside the DPM cash band (soft).
    expect(failedRules(result)).toEqual([
      'CASH_BAND:THRESHOLD_BREACH',
      'INSUFFICIENT_CASH:CASH_BALANCE_NEGATIVE',
      'PROPOSAL_INPUT_GUARDS:PROPOSAL_WITHDRAWAL_NEGATIVE_CASH',
    ]);
  });

  it('still blocks negative cash with proposal_block_negative_cash=false (INSUFFICIENT_CASH)', () => {
    const result = simulate(
      proposalBody({ cash: { USD: '100' }, instruments: [eq], flows: [{ currency: 'USD', amount: '-300' }], options: { proposal_block_negative_cash: false } }),
    );
    expect(failedRules(result)).toEqual(['CASH_BAND:THRESHOLD_BREACH', 'INSUFFICIENT_CASH:CASH_BALANCE_NEGATIVE']);
    expect(result.status).toBe('BLOCKED');
  });

  it('D5: a withdrawal followed by a larger deposit is judged on the net balance', () => {
    const result = simulate(
      proposalBody({
        cash: { USD: '100' },
        instruments: [eq],
        flows: [
          { currency: 'USD', amount: '-300' },
          { currency: 'USD', amount: '1000' },
        ],
      }),
    );
    expect(result.status).toBe('READY');
    expect(cashOf(result, 'USD')).toBe('800');
  });
});

describe('manual trades', () => {
  it('derives the quantity from a notional (200 USD @ 100 → 2) and leaves notional_base null without a base rate', () => {
    const result = simulate(
      proposalBody({
        base: 'SGD',
        cash: { SGD: '1000', USD: '1000' },
        instruments: [{ id: 'US', price: '100', currency: 'USD' }],
        trades: [{ side: 'BUY', instrument_id: 'US', notional: { amount: '200', currency: 'USD' } }],
        options: { block_on_missing_fx: false },
      }),
    );
    const trade = result.intents.find((i) => i.intent_type === 'SECURITY_TRADE');
    expect(trade).toMatchObject({ quantity: '2', notional: { amount: '200', currency: 'USD' }, notional_base: null });
    expect(result.diagnostics.data_quality.fx_missing[0]).toBe('USD/SGD');
  });

  it('blocks a notional in another currency than the price, emitting no intent', () => {
    const result = simulate(
      proposalBody({ cash: { USD: '1000' }, instruments: [eq], trades: [{ side: 'BUY', instrument_id: 'EQ', notional: { amount: '200', currency: 'EUR' } }] }),
    );
    expect(result.status).toBe('BLOCKED');
    expect(result.intents).toEqual([]);
    expect(failedRules(result)).toEqual(['PROPOSAL_INPUT_GUARDS:PROPOSAL_INVALID_TRADE_INPUT']);
  });

  it('refuses BUYs the shelf does not allow but lets SELLs through; numbers intents by input index', () => {
    const result = simulate(
      proposalBody({
        cash: { USD: '1000' },
        instruments: [
          { id: 'SO', price: '10', status: 'SELL_ONLY', held: '10' },
          { id: 'RS', price: '10', status: 'RESTRICTED' },
          { id: 'OK', price: '10' },
        ],
        trades: [buy('SO', '1'), buy('RS', '1'), sell('SO', '5'), buy('OK', '1')],
      }),
    );
    expect(intentSummary(result)).toEqual(['SELL SO 5', 'BUY OK 1']);
    expect(result.intents.map((i) => i.intent_id)).toEqual(['oi_3', 'oi_4']);
    expect(result.rule_results.find((r) => r.rule_id === 'PROPOSAL_INPUT_GUARDS')).toMatchObject({
      measured: '2',
      reason_code: 'PROPOSAL_TRADE_NOT_SUPPORTED_BY_SHELF',
    });
  });

  it('allows a RESTRICTED BUY under allow_restricted', () => {
    const result = simulate(
      proposalBody({ cash: { USD: '1000' }, instruments: [{ id: 'RS', price: '10', status: 'RESTRICTED' }], trades: [buy('RS', '1')], options: { allow_restricted: true } }),
    );
    expect(intentSummary(result)).toEqual(['BUY RS 1']);
  });

  it('records a trade without a shelf entry as shelf_missing (DATA_QUALITY blocks)', () => {
    const result = simulate(proposalBody({ cash: { USD: '1000' }, instruments: [{ id: 'X', price: '10', status: 'NONE' }], trades: [sell('X', '1')] }));
    expect(result.diagnostics.data_quality.shelf_missing).toEqual(['X']);
    expect(failedRules(result)).toEqual(['DATA_QUALITY:MISSING_DATA']);
  });

  it('blocks an oversell through NO_SHORTING', () => {
    const result = simulate(proposalBody({ cash: { USD: '0' }, instruments: [eq], trades: [sell('EQ', '11')] }));
    expect(failedRules(result)).toContain('NO_SHORTING:SELL_EXCEEDS_HOLDINGS');
    expect(result.status).toBe('BLOCKED');
  });

  it('D4: a trade dropped for a missing price is never silent', () => {
    const spec = { cash: { USD: '1000' }, instruments: [eq, { id: 'NOPRICE' }], trades: [buy('NOPRICE', '1')] };
    const lenient = simulate(proposalBody({ ...spec, options: { block_on_missing_prices: false } }));
    expect(lenient.status).toBe('PENDING_REVIEW');
    expect(lenient.intents).toEqual([]);
    expect(lenient.diagnostics.warnings).toEqual(['PROPOSAL_TRADE_SKIPPED_MISSING_PRICE']);
    expect(failedRules(lenient)).toEqual(['PROPOSAL_TRADES_SKIPPED:TRADE_SKIPPED_MISSING_PRICE']);
    const strict = simulate(proposalBody(spec));
    expect(strict.status).toBe('BLOCKED');
    expect(failedRules(strict)).toEqual(['DATA_QUALITY:MISSING_DATA']);
  });
});
