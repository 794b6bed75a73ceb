/**
 * Engine benchmark: what one simulation costs, warm, in one process, request validation included.
 *
 *   npm run --silent bench:engine             # a table
 *   npm run --silent bench:engine -- --json   # {"cases":[{"name","ms_per_simulation","simulations",…}]}
 *
 * Cases: the conformance requests of test/fixtures/conformance/dpm (all of them, round robin), the
 * 200- and 1,000-position vectors, and a 10,000-position request generated here from a fixed seed;
 * then the advisory proposal engine on the requests of test/fixtures/conformance/advisory (round
 * robin): `proposal_conformance` = validation + request hash + simulation, and
 * `proposal_artifact` = the same plus the artifact and its evidence hash.
 */
import {
  buildProposalArtifact,
  proposalRequestHash,
  proposalRunIdFor,
  simulateProposal,
  validateProposalSimulateRequest,
} from '../src/domain/advisory/index.ts';
import { simulateRebalance, validateRebalanceRequest } from '../src/domain/dpm/index.ts';
import { conformanceVector, loadConformanceCases, type ConformanceFolder } from '../test/support/conformance.ts';


interface BenchCase {
  readonly name: string;
  readonly requests: readonly unknown[];
  /** One simulation of one request (default: the DPM engine). */
  readonly run?: (body: unknown) => void;
  /** Keep timing until both are reached. */
  readonly minSimulations: number;
  readonly minMillis: number;
}

interface BenchResult {
  readonly name: string;
  readonly ms_per_simulation: number;
  readonly simulations: number;
  readonly simulations_per_second: number;
}

function requestsIn(folder: ConformanceFolder): unknown[] {
  return loadConformanceCases(folder).map((c) => c.request);
}

/** Deterministic pseudo-random numbers (mulberry32), so the generated case never changes. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A request shaped like the large vectors, with `size` instruments on the shelf. */
export function generatedRequest(size: number, seed = 20260218): unknown {
  const random = seeded(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const currencies = ['SGD', 'SGD', 'USD', 'EUR', 'GBP', 'JPY', 'CHF'];
  const statuses = ['APPROVED', 'APPROVED', 'APPROVED', 'APPROVED', 'APPROVED', 'SELL_ONLY', 'RESTRICTED', 'SUSPENDED', 'BANNED'];
  const ids = Array.from({ length: size }, (_, i) => `INS_${String(i).padStart(6, '0')}`);
  const held = ids.filter(() => random() < 0.7);
  const modelled = ids.filter(() => random() < 0.6);
  const modelWeight = 0.97 / modelled.length;
  return {
    portfolio_snapshot: {
      portfolio_id: `pf_generated_${size}`,
      base_currency: 'SGD',
      positions: held.map((id) => ({ instrument_id: id, quantity: String(1 + Math.floor(random() * 2000)) })),
      cash_balances: [
        { currency: 'SGD', amount: (random() * 1e6).toFixed(2) },
        { currency: 'USD', amount: (random() * 5e5).toFixed(2) },
      ],
    },
    market_data_snapshot: {
      prices: ids.map((id) => ({ instrument_id: id, price: (1 + random() * 500).toFixed(2), currency: pick(currencies) })),
      fx_rates: [
        { pair: 'USD/SGD', rate: '1.3412' },
        { pair: 'EUR/SGD', rate: '1.4567' },
        { pair: 'GBP/SGD', rate: '1.7011' },
        { pair: 'JPY/SGD', rate: '0.008913' },
        { pair: 'CHF/SGD', rate: '1.5234' },
      ],
    },
    model_portfolio: {
      targets: modelled.map((id) => ({ instrument_id: id, weight: (modelWeight * (0.5 + random())).toFixed(6) })),
    },
    shelf_entries: ids.map((id, i) => ({
      instrument_id: id,
      status: pick(statuses),
      asset_class: pick(['EQUITY', 'FIXED_INCOME', 'FUND']),
      attributes: { sector: pick(['TECH', 'UTIL', 'HEALTH', 'FIN', 'ENERGY']) },
      settlement_days: i % 4,
    })),
    options: {
      single_position_max_weight: '0.05',
      group_constraints: { 'sector:TECH': { max_weight: '0.25' } },
      min_trade_notional: { amount: '200', currency: 'SGD' },
      max_turnover_pct: '0.6',
      cash_band_min_weight: '0.0',
      cash_band_max_weight: '0.1',
    },
  };
}

function simulateOnce(body: unknown): void {
  const validated = validateRebalanceRequest(body);
  if (!validated.ok) throw new Error(`benchmark request is invalid: ${JSON.stringify(validated.problems)}`);
  simulateRebalance(validated.value, { runId: 'rr_bench000' });
}

/** What POST /rebalance/proposals/simulate does per request: validate, hash, simulate. */
function proposeOnce(body: unknown, withArtifact = false): void {
  const validated = validateProposalSimulateRequest(body);
  if (!validated.ok) throw new Error(`benchmark proposal is invalid: ${JSON.stringify(validated.problems)}`);
  const requestHash = proposalRequestHash(validated.value);
  const result = simulateProposal(validated.value, { runId: proposalRunIdFor(requestHash), requestHash });
  if (withArtifact) buildProposalArtifact(validated.value, result, { createdAt: '2026-01-01T00:00:00+00:00' });
}

function measure(benchCase: BenchCase): BenchResult {
  const { requests } = benchCase;
  const simulateOnceFor = benchCase.run ?? simulateOnce;
  // Warm-up: let the JIT settle on every request of the case.
  const warmUntil = performance.now() + Math.max(300, benchCase.minMillis / 4);
  for (let i = 0; performance.now() < warmUntil || i < requests.length; i += 1) simulateOnceFor(requests[i % requests.length]);
  let simulations = 0;
  const start = performance.now();
  while (simulations < benchCase.minSimulations || performance.now() - start < benchCase.minMillis) {
    simulateOnceFor(requests[simulations % requests.length]);
    simulations += 1;
  }
  const elapsed = performance.now() - start;
  const ms = elapsed / simulations;
  return {
    name: benchCase.name,
    ms_per_simulation: Number(ms.toFixed(3)),
    simulations,
    simulations_per_second: Number((1000 / ms).toFixed(1)),
  };
}

function main(): void {
  const large = (name: string) => conformanceVector<{ request: unknown }>('dpm-large', name).request;
  const cases: BenchCase[] = [
    { name: 'conformance_dpm', requests: requestsIn('dpm'), minSimulations: 2000, minMillis: 2000 },
    { name: 'large_200', requests: [large('large_200')], minSimulations: 100, minMillis: 2000 },
    { name: 'large_1000', requests: [large('large_1000')], minSimulations: 50, minMillis: 3000 },
    { name: 'generated_10000', requests: [generatedRequest(10_000)], minSimulations: 5, minMillis: 4000 },
    { name: 'proposal_conformance', requests: requestsIn('advisory'), run: (b) => proposeOnce(b), minSimulations: 2000, minMillis: 2000 },
    { name: 'proposal_artifact', requests: requestsIn('advisory'), run: (b) => proposeOnce(b, true), minSimulations: 2000, minMillis: 2000 },
  ];
  const results = cases.map(measure);
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify({ cases: results })}\n`);
    return;
  }
  process.stdout.write('case                   ms/simulation   simulations/s   simulations\n');
  for (const r of results) {
    const columns = [
      r.name.padEnd(22),
      r.ms_per_simulation.toFixed(3).padStart(13),
      r.simulations_per_second.toFixed(1).padStart(15),
      String(r.simulations).padStart(13),
    ];
    process.stdout.write(`${columns.join(' ')}\n`);
  }
}

main();
