/**
 * The decimal input bound (docs/engine.md#validation-beyond-the-reference): a value whose leading digit lies beyond
 * 10^±100 is a 422 naming the field, on every backend, for both engines — before the bound,
 * `"quantity": "1E+99999999"` (eleven characters) kept the event loop busy for ~35 s printing a
 * hundred million digits and answered 200. Values at the bound are served as before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, send, serveOn, type Backend, type ServiceOnBackend } from '../support/all-backends.ts';

const DPM_REQUEST = {
  portfolio_snapshot: { portfolio_id: 'pf_bounds', base_currency: 'USD', positions: [{ instrument_id: 'EQ_1', quantity: '100' }], cash_balances: [{ currency: 'USD', amount: '5000' }] },
  market_data_snapshot: { prices: [{ instrument_id: 'EQ_1', price: '100', currency: 'USD' }], fx_rates: [] },
  model_portfolio: { targets: [{ instrument_id: 'EQ_1', weight: '0.6' }] },
  shelf_entries: [{ instrument_id: 'EQ_1', status: 'APPROVED' }],
  options: {},
};

const PROPOSAL_REQUEST = {
  portfolio_snapshot: { portfolio_id: 'pf_bounds', base_currency: 'SGD', positions: [{ instrument_id: 'SG_BOND_ETF', quantity: '120' }], cash_balances: [{ currency: 'SGD', amount: '2500' }] },
  market_data_snapshot: { prices: [{ instrument_id: 'SG_BOND_ETF', price: '100', currency: 'SGD' }], fx_rates: [] },
  shelf_entries: [{ instrument_id: 'SG_BOND_ETF', status: 'APPROVED' }],
  options: { enable_proposal_simulation: true },
  proposed_cash_flows: [],
  proposed_trades: [],
};

function withQuantity<T extends { portfolio_snapshot: { positions: { instrument_id: string; quantity: string }[] } }>(request: T, quantity: string): T {
  const [position] = request.portfolio_snapshot.positions;
  return { ...request, portfolio_snapshot: { ...request.portfolio_snapshot, positions: [{ ...position, quantity }] } };
}

interface Problem {
  readonly type: string;
  readonly loc: readonly (string | number)[];
}

const ROUTES = [
  { name: 'DPM simulate', url: '/rebalance/simulate', request: DPM_REQUEST },
  { name: 'proposal simulate', url: '/rebalance/proposals/simulate', request: PROPOSAL_REQUEST },
] as const;

describe('decimal inputs far beyond any amount are refused, not printed', () => {
  const services = new Map<Backend, ServiceOnBackend>();
  let key = 0;

  beforeAll(async () => {
    for (const backend of BACKENDS) services.set(backend, await serveOn(backend));
  });

  afterAll(async () => {
    for (const service of services.values()) await service.close();
  });

  const simulate = (service: ServiceOnBackend, url: string, body: unknown) =>
    send(service, { method: 'POST', url, headers: { 'idempotency-key': `bounds-${(key += 1)}` }, body });

  for (const route of ROUTES) {
    for (const quantity of ['1E+99999999', '1E-99999999', '1E+101']) {
      it(`${route.name}: quantity ${quantity} is a 422 decimal_range naming the field, alike on every backend`, async () => {
        const answers = await Promise.all([...services.values()].map((service) => simulate(service, route.url, withQuantity(route.request, quantity))));
        for (const answer of answers) {
          expect(answer.status, answer.body).toBe(422);
          const problems = (JSON.parse(answer.body) as { detail: Problem[] }).detail;
          expect(problems).toContainEqual(expect.objectContaining({ type: 'decimal_range', loc: ['body', 'portfolio_snapshot', 'positions', 0, 'quantity'] }));
        }
        expect(new Set(answers.map((answer) => answer.body)).size).toBe(1);
      });
    }

    it(`${route.name}: values at the bound are served as before`, async () => {
      for (const service of services.values()) {
        const answer = await simulate(service, route.url, withQuantity(route.request, '1E+100'));
        expect(answer.status, answer.body).toBe(200);
      }
    });
  }
});
