/**
 * What-if batches for load: one request's snapshots under `scenarios` copies of its options
 * (scenario names `s00`, `s01`, …, in sorted order). The largest accepted analyze the tests and
 * benchmarks use is `whatIfBatch(largeVector('large_1000'), 6)`.
 */
import { conformanceVector } from './conformance.ts';

export function whatIfBatch(request: Record<string, unknown>, scenarios: number): Record<string, unknown> {
  const { options, ...snapshots } = request;
  const names = Array.from({ length: scenarios }, (_, i) => `s${String(i).padStart(2, '0')}`);
  return { ...snapshots, scenarios: Object.fromEntries(names.map((name) => [name, { options: options ?? {} }])) };
}

/** The request of a vector of test/fixtures/conformance/dpm-large (`large_200`, `large_1000`). */
export function largeVector(name: 'large_200' | 'large_1000'): Record<string, unknown> {
  return conformanceVector<{ request: Record<string, unknown> }>('dpm-large', name).request;
}
