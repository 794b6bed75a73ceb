/**
 * Auto-funding (docs/advisory.md#funding) and execution order: partial funding from cash already
 * held, one FX per target currency from a single source, missing-FX blocking / non-blocking,
 * insufficient funding — and the deliberate differences D1–D3
 * (docs/advisory.md#engine-differences-from-the-reference).
 */
import { describe, expect, it } from 'vitest';
import { buy, cashOf, failedRules, intentSummary, proposalBody, sell, simulate } from './support.ts';

const usEquity = { id: 'US_EQ', price: '100', currency: 'USD' };

describe('auto-funding', () => {
  it('funds a foreign BUY with one FX from the base currency, the BUY depending on it (14B)', () => {
    const result = simulate(
      proposalBody({ base: 'SGD', cash: { SGD: '10000' }, instruments: [usEquity], fx: { 'USD/SGD': '1.35' }, trades: [buy('US_EQ', '50')] }),
    );
    expect(result.status).toBe('READY');
    expect(intentSummary(result)).toEqual(['FX USD/SGD 5000.00/6750.00', 'BUY US_EQ 50 <- oi_fx_1']);
    expect(result.diagnostics.funding_plan).toEqual([
      { target_currency: 'USD', required: '5000.00', available_before_fx: '0.00', fx_needed: '5000.00', fx_pair: 'USD/SGD', funding_currency: 'SGD' },
    ]);
    expect(cashOf(result, 'SGD')).toBe('3250');
    expect(cashOf(result, 'USD')).toBe('0');
  });

  it('consumes cash already held in the target currency first (partial funding)', () => {
    const result = simulate(
      proposalBody({
        base: 'SGD',
        cash: { SGD: '10000', USD: '500' },
        instruments: [usEquity],
        fx: { 'USD/SGD': '1.35' },
        trades: [buy('US_EQ', '10')],
      }),
    );
    expect(intentSummary(result)).toEqual(['FX USD/SGD 500.00/675.00', 'BUY US_EQ 10 <- oi_fx_1']);
    expect(result.diagnostics.funding_plan[0]).toMatchObject({ required: '1000.00', available_before_fx: '500.00', fx_needed: '500.00' });
    expect(cashOf(result, 'USD')).toBe('0');
  });

  it('generates no FX when foreign cash suffices', () => {
    const result = simulate(
      proposalBody({ base: 'SGD', cash: { SGD: '10', USD: '5000' }, instruments: [usEquity], fx: { 'USD/SGD': '1.35' }, trades: [buy('US_EQ', '10')] }),
    );
    expect(intentSummary(result)).toEqual(['BUY US_EQ 10']);
    expect(result.diagnostics.funding_plan[0]).toMatchObject({ fx_needed: '0.00', fx_pair: null });
  });

  it('orders CASH_FLOW, SELL, FX, BUY and links a BUY to the last same-currency SELL only when asked', () => {
    const spec = {
      base: 'SGD',
      cash: { SGD: '1000' },
      instruments: [usEquity, { id: 'US_OLD', price: '50', currency: 'USD', held: '10' }, { id: 'SG_OLD', price: '10', held: '5' }],
      fx: { 'USD/SGD': '1.35' },
      flows: [{ currency: 'SGD', amount: '5000' }],
      trades: [buy('US_EQ', '20'), sell('US_OLD', '4'), sell('SG_OLD', '5')],
    };
    const plain = simulate(proposalBody(spec));
    expect(intentSummary(plain)).toEqual([
      'CF SGD 5000',
      'SELL SG_OLD 5',
      'SELL US_OLD 4',
      'FX USD/SGD 1800.00/2430.00',
      'BUY US_EQ 20 <- oi_fx_1',
    ]);
    const linked = simulate(proposalBody({ ...spec, options: { link_buy_to_same_currency_sell_dependency: true } }));
    expect(intentSummary(linked).at(-1)).toBe('BUY US_EQ 20 <- oi_fx_1,oi_2');
  });

  it('rounds minor units per currency (JPY 0 dp)', () => {
    const result = simulate(
      proposalBody({
        base: 'SGD',
        cash: { SGD: '5000' },
        instruments: [{ id: 'JP_EQ', price: '1500', currency: 'JPY' }],
        fx: { 'JPY/SGD': '0.009' },
        trades: [buy('JP_EQ', '100')],
      }),
    );
    expect(intentSummary(result)).toEqual(['FX JPY/SGD 150000/1350.00', 'BUY JP_EQ 100 <- oi_fx_1']);
  });

  it('blocks on a missing funding rate: no intents, missing pair reported, BUY skipped', () => {
    const result = simulate(proposalBody({ base: 'SGD', cash: { SGD: '10000' }, instruments: [usEquity], trades: [buy('US_EQ', '1')] }));
    expect(result.status).toBe('BLOCKED');
    expect(result.intents).toEqual([]);
    expect(result.diagnostics.missing_fx_pairs).toEqual(['USD/SGD']);
    expect(result.diagnostics.warnings).toContain('PROPOSAL_BUY_SKIPPED_UNFUNDED');
    expect(failedRules(result)).toEqual(['DATA_QUALITY:MISSING_DATA', 'PROPOSAL_INPUT_GUARDS:PROPOSAL_MISSING_FX_FOR_FUNDING']);
  });

  it('only asks for review when missing FX does not block', () => {
    const result = simulate(
      proposalBody({
        base: 'SGD',
        cash: { SGD: '10000' },
        instruments: [usEquity],
        trades: [buy('US_EQ', '1')],
        options: { block_on_missing_fx: false },
      }),
    );
    expect(result.status).toBe('PENDING_REVIEW');
    expect(result.intents).toEqual([]);
    expect(new Set(result.diagnostics.warnings)).toEqual(
      new Set(['PROPOSAL_MISSING_FX_NON_BLOCKING', 'PROPOSAL_BUY_SKIPPED_UNFUNDED']),
    );
    expect(failedRules(result)).toEqual(['PROPOSAL_FUNDING_DQ:MISSING_FX_FOR_FUNDING']);
  });

  it('blocks with the smallest deficit when no single source has enough cash', () => {
    const result = simulate(
      proposalBody({ base: 'SGD', cash: { SGD: '1000' }, instruments: [usEquity], fx: { 'USD/SGD': '1.35' }, trades: [buy('US_EQ', '10')] }),
    );
    expect(result.status).toBe('BLOCKED');
    expect(result.diagnostics.insufficient_cash).toEqual([{ currency: 'SGD', deficit: '350.00' }]);
    expect(failedRules(result)).toEqual(['PROPOSAL_INPUT_GUARDS:PROPOSAL_INSUFFICIENT_FUNDING_CASH']);
  });

  it('BASE_ONLY with a short base currency has no candidate and reports no deficit', () => {
    const result = simulate(
      proposalBody({
        base: 'SGD',
        cash: { SGD: '100', USD: '100000' },
        instruments: [{ id: 'SG_EQ', price: '10' }],
        fx: { 'USD/SGD': '1.35' },
        trades: [buy('SG_EQ', '50')],
        options: { fx_funding_source_currency: 'BASE_ONLY' },
      }),
    );
    expect(result.status).toBe('BLOCKED');
    expect(result.diagnostics.insufficient_cash).toEqual([]);
    expect(failedRules(result)).toContain('PROPOSAL_INPUT_GUARDS:PROPOSAL_INSUFFICIENT_FUNDING_CASH');
  });

  it('with auto_funding off, a foreign BUY drives cash negative and INSUFFICIENT_CASH blocks', () => {
    const result = simulate(
      proposalBody({
        base: 'SGD',
        cash: { SGD: '10000' },
        instruments: [usEquity],
        fx: { 'USD/SGD': '1.35' },
        trades: [buy('US_EQ', '1')],
        options: { auto_funding: false },
      }),
    );
    expect(result.diagnostics.funding_plan).toEqual([]);
    expect(failedRules(result)).toEqual(['INSUFFICIENT_CASH:CASH_BALANCE_NEGATIVE']);
  });
});

describe('deliberate funding differences (docs/advisory.md)', () => {
  it('D1: never funds from cash that BUYs in that currency need', () => {
    // EUR 5000 held, 4000 of it needed by the EUR BUY: only 1000 is spare, USD 2000 needs 1800 EUR.
    // The reference took EUR (first candidate with enough cash) and then blocked on negative EUR.
    const result = simulate(
      proposalBody({
        base: 'SGD',
        cash: { SGD: '1000', EUR: '5000', GBP: '3000' },
        instruments: [usEquity, { id: 'EU_EQ', price: '100', currency: 'EUR' }],
        fx: { 'USD/SGD': '1.35', 'EUR/SGD': '1.5', 'GBP/SGD': '1.6875', 'USD/EUR': '0.9', 'USD/GBP': '0.8' },
        trades: [buy('US_EQ', '20'), buy('EU_EQ', '40')],
      }),
    );
    expect(result.status).toBe('READY');
    expect(intentSummary(result)).toEqual(['FX USD/GBP 2000.00/1600.00', 'BUY EU_EQ 40', 'BUY US_EQ 20 <- oi_fx_1']);
    expect(cashOf(result, 'EUR')).toBe('1000');
  });

  it('D1: base cash needed by base-currency BUYs is not sold for FX', () => {
    const result = simulate(
      proposalBody({
        base: 'SGD',
        cash: { SGD: '10000' },
        instruments: [usEquity, { id: 'SG_EQ', price: '100' }],
        fx: { 'USD/SGD': '1.35' },
        trades: [buy('US_EQ', '40'), buy('SG_EQ', '50')],
      }),
    );
    expect(result.status).toBe('BLOCKED');
    expect(result.diagnostics.insufficient_cash).toEqual([{ currency: 'SGD', deficit: '400.00' }]);
    expect(failedRules(result)).toEqual(['PROPOSAL_INPUT_GUARDS:PROPOSAL_INSUFFICIENT_FUNDING_CASH']);
  });

  it('D2: a missing pair on an earlier candidate does not block when a later one funds', () => {
    const result = simulate(
      proposalBody({
        base: 'SGD',
        cash: { SGD: '10', CHF: '1000', EUR: '5000' },
        instruments: [usEquity],
        fx: { 'USD/SGD': '1.35', 'CHF/SGD': '1.5', 'EUR/SGD': '1.5', 'USD/EUR': '0.9' },
        trades: [buy('US_EQ', '10')],
      }),
    );
    expect(result.status).toBe('READY');
    expect(intentSummary(result)).toEqual(['FX USD/EUR 1000.00/900.00', 'BUY US_EQ 10 <- oi_fx_1']);
    expect(result.diagnostics.missing_fx_pairs).toEqual([]);
    expect(result.diagnostics.data_quality.fx_missing).toEqual([]);
  });

  it('D2: a currency that is merely short of cash is reported as insufficient, not as missing FX', () => {
    const result = simulate(
      proposalBody({
        base: 'SGD',
        cash: { SGD: '100' },
        instruments: [usEquity, { id: 'EU_EQ', price: '100', currency: 'EUR' }],
        fx: { 'USD/SGD': '1.35' },
        trades: [buy('US_EQ', '10'), buy('EU_EQ', '10')],
        options: { block_on_missing_prices: true, block_on_missing_fx: true },
      }),
    );
    expect(result.diagnostics.missing_fx_pairs).toEqual(['EUR/SGD']);
    expect(result.diagnostics.insufficient_cash).toEqual([{ currency: 'SGD', deficit: '1250.00' }]);
    const guards = result.rule_results.find((r) => r.rule_id === 'PROPOSAL_INPUT_GUARDS');
    expect(guards).toMatchObject({ measured: '2', reason_code: 'PROPOSAL_MISSING_FX_FOR_FUNDING' });
  });

  it('D3: the FX buy is rounded up to minor units, so the BUY is always covered', () => {
    // 10.001 USD needed: half-even would buy 10.00 and leave USD at -0.001 (INSUFFICIENT_CASH).
    const result = simulate(
      proposalBody({
        base: 'SGD',
        cash: { SGD: '1000' },
        instruments: [{ id: 'US_EQ', price: '10.001', currency: 'USD' }],
        fx: { 'USD/SGD': '1.35' },
        trades: [buy('US_EQ', '1')],
      }),
    );
    expect(result.status).toBe('READY');
    expect(intentSummary(result)).toEqual(['FX USD/SGD 10.01/13.51', 'BUY US_EQ 1 <- oi_fx_1']);
    expect(cashOf(result, 'USD')).toBe('0.009');
  });

  it('D3: a deficit below one minor unit still buys one minor unit, never a 0 FX', () => {
    const result = simulate(
      proposalBody({
        base: 'SGD',
        cash: { SGD: '1000', USD: '10' },
        instruments: [{ id: 'US_EQ', price: '10.004', currency: 'USD' }],
        fx: { 'USD/SGD': '1.35' },
        trades: [buy('US_EQ', '1')],
      }),
    );
    expect(result.status).toBe('READY');
    expect(intentSummary(result)[0]).toBe('FX USD/SGD 0.01/0.01');
  });
});
