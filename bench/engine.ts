/**
 * Engine benchmark: what one simulation costs, warm, in one process, request validation included.
 *
 *   npm run --silent bench:engine             # a table
 *   npm run --silent bench:engine -- --json   # {"cases":[{"name","ms_per_simulation",…}],"decimal":[{"operation",…}]}
 *
 * Cases: the conformance requests of test/fixtures/conformance/dpm (all of them, round robin), the
 * 200- and 1,000-position vectors, and requests of 1,000 and 10,000 instruments generated from a
 * fixed seed (test/domain/dpm/generated-request.ts; the pair shows how the cost scales);
 * then the advisory proposal engine on the requests of test/fixtures/conformance/advisory (round
 * robin): `proposal_conformance` = validation + request hash + simulation, and
 * `proposal_artifact` = the same plus the artifact and its evidence hash. Then the decimal
 * micro-benchmark (bench/engine-decimal.ts): operations per second, domain decimal vs decimal.js.
 */
import {
  buildProposalArtifact,
  proposalRequestHash,
  proposalRunIdFor,
  simulateProposal,
  validateProposalSimulateRequest,
} from '../src/domain/advisory/index.ts';
import { simulateRebalance, validateRebalanceRequest } from '../src/domain/dpm/index.ts';
import { benchDecimal } from './engine-decimal.ts';
import { generatedRequest } from '../test/domain/dpm/generated-request.ts';
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

/** The large_1000 positions that have a price: the decimal micro-benchmark's operands. */
function pricedPositions(request: unknown): { quantities: string[]; prices: string[] } {
  const { portfolio_snapshot: portfolio, market_data_snapshot: market } = request as {
    portfolio_snapshot: { positions: { instrument_id: string; quantity: string }[] };
    market_data_snapshot: { prices: { instrument_id: string; price: string }[] };
  };
  const price = new Map(market.prices.map((p) => [p.instrument_id, p.price] as const));
  const priced = portfolio.positions.filter((p) => price.has(p.instrument_id));
  return { quantities: priced.map((p) => p.quantity), prices: priced.map((p) => price.get(p.instrument_id) as string) };
}

function main(): void {
  const large = (name: string) => conformanceVector<{ request: unknown }>('dpm-large', name).request;
  const cases: BenchCase[] = [
    { name: 'conformance_dpm', requests: requestsIn('dpm'), minSimulations: 2000, minMillis: 2000 },
    { name: 'large_200', requests: [large('large_200')], minSimulations: 100, minMillis: 2000 },
    { name: 'large_1000', requests: [large('large_1000')], minSimulations: 50, minMillis: 3000 },
    { name: 'generated_1000', requests: [generatedRequest(1_000)], minSimulations: 50, minMillis: 3000 },
    { name: 'generated_10000', requests: [generatedRequest(10_000)], minSimulations: 5, minMillis: 4000 },
    { name: 'proposal_conformance', requests: requestsIn('advisory'), run: (b) => proposeOnce(b), minSimulations: 2000, minMillis: 2000 },
    { name: 'proposal_artifact', requests: requestsIn('advisory'), run: (b) => proposeOnce(b, true), minSimulations: 2000, minMillis: 2000 },
  ];
  const results = cases.map(measure);
  const decimal = benchDecimal(pricedPositions(large('large_1000')));
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify({ cases: results, decimal })}\n`);
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
  const msOf = (name: string) => results.find((r) => r.name === name)?.ms_per_simulation ?? Number.NaN;
  const scaling = (msOf('generated_10000') / msOf('generated_1000')).toFixed(1);
  process.stdout.write(`scaling: 10× the instruments (generated_1000 → generated_10000) costs ${scaling}× the time\n\n`);
  process.stdout.write('decimal operation          domain ops/s   decimal.js ops/s   speedup\n');
  for (const d of decimal) {
    const columns = [
      d.operation.padEnd(24),
      d.domain_ops_per_second.toLocaleString('en-US').padStart(15),
      d.decimal_js_ops_per_second.toLocaleString('en-US').padStart(18),
      `${d.speedup.toFixed(2)}×`.padStart(9),
    ];
    process.stdout.write(`${columns.join(' ')}\n`);
  }
}

main();
