/**
 * Decimal micro-benchmark of `npm run bench:engine`: operations per second of the domain decimal
 * (src/domain/decimal.ts) and of decimal.js configured as Python's context (28 digits,
 * half-even) — the library the domain used before, kept as the tests' oracle.
 *
 * Operands are the large_1000 vector's own: quantities × prices (short coefficients, the plain
 * number path), values over the portfolio total (28-digit weights, the BigInt path), sums of
 * values and of weights, and the output text of values (plain) and weights (plain and 4 dp).
 * Each operation runs over all operands, both libraries alternate for several rounds, and the
 * best round counts (the least disturbed by other work on the machine).
 */
import { Decimal as DecimalJs } from 'decimal.js';
import { Decimal, divide, formatDecimal, formatFixed } from '../src/domain/decimal.ts';

const Oracle = DecimalJs.clone({ precision: 28, rounding: DecimalJs.ROUND_HALF_EVEN });

export interface DecimalBenchResult {
  readonly operation: string;
  readonly domain_ops_per_second: number;
  readonly decimal_js_ops_per_second: number;
  readonly speedup: number;
}

interface Operands {
  readonly quantities: readonly string[];
  readonly prices: readonly string[];
}

/** One library's view of the operands and the operations to time (each returns its op count). */
function workload<T>(
  parse: (text: string) => T,
  ops: {
    times: (a: T, b: T) => T;
    plus: (a: T, b: T) => T;
    div: (a: T, b: T) => T;
    text: (a: T) => string;
    fixed4: (a: T) => string;
  },
  operands: Operands,
): Record<string, () => number> {
  const quantities = operands.quantities.map(parse);
  const prices = operands.prices.map(parse);
  const values = quantities.map((q, i) => ops.times(q, prices[i] as T));
  const total = values.reduce((sum, v) => ops.plus(sum, v));
  const weights = values.map((v) => ops.div(v, total));
  const n = values.length;
  let sink: unknown;
  const each = (f: (i: number) => unknown) => () => {
    for (let i = 0; i < n; i += 1) sink = f(i);
    return sink === undefined ? 0 : n;
  };
  return {
    'mul quantity × price': each((i) => ops.times(quantities[i] as T, prices[i] as T)),
    'mul weight × total': each((i) => ops.times(weights[i] as T, total)),
    'add values': each((i) => ops.plus(values[i] as T, values[(i + 1) % n] as T)),
    'add weights': each((i) => ops.plus(weights[i] as T, weights[(i + 1) % n] as T)),
    'div value / total': each((i) => ops.div(values[i] as T, total)),
    'format value': each((i) => ops.text(values[i] as T)),
    'format weight': each((i) => ops.text(weights[i] as T)),
    'format weight, 4 dp': each((i) => ops.fixed4(weights[i] as T)),
  };
}

/** Operations per second of the best of `rounds` timed slices of ~`sliceMs` each. */
function bestRate(run: () => number, rounds: number[], sliceMs: number): void {
  let ops = 0;
  const start = performance.now();
  while (performance.now() - start < sliceMs) ops += run();
  rounds.push(ops / ((performance.now() - start) / 1000));
}

export function benchDecimal(operands: Operands, { rounds = 5, sliceMs = 150 } = {}): DecimalBenchResult[] {
  const domain = workload((t) => Decimal.from(t), {
    times: (a, b) => a.times(b),
    plus: (a, b) => a.plus(b),
    div: divide,
    text: formatDecimal,
    fixed4: (a) => formatFixed(a, 4),
  }, operands);
  const oracle = workload((t) => new Oracle(t), {
    times: (a, b) => a.times(b),
    plus: (a, b) => a.plus(b),
    div: (a, b) => a.div(b),
    text: (a) => a.toFixed(),
    fixed4: (a) => a.toFixed(4, DecimalJs.ROUND_HALF_EVEN),
  }, operands);
  return Object.keys(domain).map((operation) => {
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let round = 0; round < rounds; round += 1) {
      bestRate(domain[operation] as () => number, ours, sliceMs);
      bestRate(oracle[operation] as () => number, theirs, sliceMs);
    }
    // The first round warms the JIT up.
    const best = (rates: number[]) => Math.max(...rates.slice(1));
    const domainRate = best(ours);
    const oracleRate = best(theirs);
    return {
      operation,
      domain_ops_per_second: Math.round(domainRate),
      decimal_js_ops_per_second: Math.round(oracleRate),
      speedup: Number((domainRate / oracleRate).toFixed(2)),
    };
  });
}
