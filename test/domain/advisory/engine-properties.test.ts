/**
 * Properties of the proposal engine on random well-formed requests (fast-check): validation and
 * simulation never throw, results are deterministic, intents keep the CASH_FLOW → SELL → FX → BUY
 * order, the gate agrees with the status, and a BLOCKED result always has a failed hard rule.
 * Validation also never throws on arbitrary JSON.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildProposalArtifact,
  simulateProposal,
  validateProposalSimulateRequest,
} from '../../../src/domain/advisory/index.ts';

const IDS = ['I0', 'I1', 'I2', 'I3'];
const decimal = (max: number, scale = 2) =>
  fc.integer({ min: 0, max: max * 10 ** scale }).map((n) => (n / 10 ** scale).toFixed(scale));
const positive = (max: number) => fc.integer({ min: 1, max: max * 100 }).map((n) => (n / 100).toFixed(2));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const tradeArb = fc.record({
  side: fc.constantFrom('BUY', 'SELL'),
  instrument_id: fc.constantFrom(...IDS, 'UNKNOWN'),
  size: positive(50),
  byNotional: fc.boolean(),
  notionalCcy: fc.constantFrom('SGD', 'USD', 'EUR'),
});

const requestArb = fc
  .record({
    base: fc.constantFrom('SGD', 'USD'),
    held: fc.subarray(IDS),
    quantities: fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 4, maxLength: 4 }),
    prices: fc.array(maybe(positive(300)), { minLength: 4, maxLength: 4 }),
    currencies: fc.array(fc.constantFrom('SGD', 'USD', 'EUR', 'JPY'), { minLength: 4, maxLength: 4 }),
    statuses: fc.array(fc.constantFrom('APPROVED', 'APPROVED', 'RESTRICTED', 'BANNED', 'SUSPENDED', 'SELL_ONLY'), {
      minLength: 4,
      maxLength: 4,
    }),
    cash: fc.dictionary(fc.constantFrom('SGD', 'USD', 'EUR', 'JPY'), decimal(20000), { maxKeys: 3 }),
    fx: fc.record({ usd: maybe(fc.constantFrom('1.35', '0.74')), eur: maybe(fc.constantFrom('1.45')), jpy: maybe(fc.constantFrom('0.009')) }),
    flows: fc.array(fc.record({ currency: fc.constantFrom('SGD', 'USD'), amount: fc.integer({ min: -5000, max: 5000 }).map(String) }), {
      maxLength: 2,
    }),
    trades: fc.array(tradeArb, { maxLength: 4 }),
    withModel: fc.boolean(),
    options: fc.record(
      {
        auto_funding: fc.boolean(),
        fx_funding_source_currency: fc.constantFrom('ANY_CASH', 'BASE_ONLY'),
        block_on_missing_prices: fc.boolean(),
        block_on_missing_fx: fc.boolean(),
        allow_restricted: fc.boolean(),
        proposal_block_negative_cash: fc.boolean(),
        link_buy_to_same_currency_sell_dependency: fc.boolean(),
        enable_workflow_gates: fc.boolean(),
        enable_suitability_scanner: fc.boolean(),
        valuation_mode: fc.constantFrom('CALCULATED', 'TRUST_SNAPSHOT'),
      },
      { requiredKeys: [] },
    ),
  })
  .map((g) => {
    const rates = (quote: string): { pair: string; rate: string }[] =>
      [
        ['USD', g.fx.usd],
        ['EUR', g.fx.eur],
        ['JPY', g.fx.jpy],
      ].flatMap(([ccy, rate]) => (rate === undefined || ccy === quote ? [] : [{ pair: `${ccy}/${quote}`, rate: rate as string }]));
    return {
      portfolio_snapshot: {
        portfolio_id: 'pf_prop',
        base_currency: g.base,
        positions: g.held.map((id) => ({
          instrument_id: id,
          quantity: String(g.quantities[IDS.indexOf(id)]),
          market_value: { amount: '100', currency: g.base },
        })),
        cash_balances: Object.entries(g.cash).map(([currency, amount]) => ({ currency, amount })),
      },
      market_data_snapshot: {
        prices: IDS.flatMap((id, i) =>
          g.prices[i] === undefined ? [] : [{ instrument_id: id, price: g.prices[i], currency: g.currencies[i] }],
        ),
        fx_rates: rates(g.base),
      },
      shelf_entries: IDS.map((id, i) => ({
        instrument_id: id,
        status: g.statuses[i],
        asset_class: i % 2 === 0 ? 'EQUITY' : 'FIXED_INCOME',
        ...(i === 0 ? {} : { issuer_id: `ISS${i % 2}`, liquidity_tier: i === 3 ? 'L5' : 'L2' }),
      })),
      options: { enable_proposal_simulation: true, ...g.options },
      proposed_cash_flows: g.flows,
      proposed_trades: g.trades.map((t) =>
        t.byNotional
          ? { side: t.side, instrument_id: t.instrument_id, notional: { amount: t.size, currency: t.notionalCcy } }
          : { side: t.side, instrument_id: t.instrument_id, quantity: t.size },
      ),
      reference_model: g.withModel
        ? {
            model_id: 'm',
            as_of: '2026-01-01',
            base_currency: g.base,
            asset_class_targets: [{ asset_class: 'EQUITY', weight: '0.6' }],
            instrument_targets: [{ instrument_id: 'I1', weight: '0.3' }],
          }
        : null,
    };
  });

const RANK = { CASH_FLOW: 0, SELL: 1, FX_SPOT: 2, BUY: 3 } as const;

describe('proposal engine properties', () => {
  it('never throws, is deterministic, orders intents, and explains every block', () => {
    fc.assert(
      fc.property(requestArb, (body) => {
        const validated = validateProposalSimulateRequest(body);
        expect(validated.ok).toBe(true);
        if (!validated.ok) return;
        const ctx = { runId: 'pr_prop0001', correlationId: 'corr', requestHash: 'h' };
        const result = simulateProposal(validated.value, ctx);
        expect(simulateProposal(validated.value, ctx)).toEqual(result);
        const ranks = result.intents.map((i) => (i.intent_type === 'SECURITY_TRADE' ? RANK[i.side] : RANK[i.intent_type]));
        expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
        const hardFail = result.rule_results.some((r) => r.severity === 'HARD' && r.status === 'FAIL');
        expect(result.status === 'BLOCKED').toBe(hardFail);
        if (result.gate_decision !== null) expect(result.gate_decision.gate === 'BLOCKED').toBe(result.status === 'BLOCKED');
        for (const fx of result.intents) {
          if (fx.intent_type === 'FX_SPOT') expect(Number(fx.buy_amount)).toBeGreaterThan(0);
        }
        const artifact = buildProposalArtifact(validated.value, result, { createdAt: 't' });
        expect(buildProposalArtifact(validated.value, result, { createdAt: 'u' }).evidence_bundle.hashes).toEqual(
          artifact.evidence_bundle.hashes,
        );
      }),
      { numRuns: 150 },
    );
  });

  it('validation never throws on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const result = validateProposalSimulateRequest(value);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(requestArb, fc.jsonValue(), fc.constantFrom('proposed_trades', 'proposed_cash_flows', 'options', 'reference_model'), (body, junk, key) => {
        const result = validateProposalSimulateRequest({ ...body, [key]: junk });
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 150 },
    );
  });
});
