/**
 * The HTTP load generator of `bench:api`, run as its own process so it does not share a CPU loop
 * with the orchestration: autocannon against one URL, printing its figures as one JSON line.
 * argv[2] is a JSON `LoadSpec`. The CPU of the processes named in `cpuOf` is read from /proc right
 * before autocannon starts and right after it ends, so it covers exactly the measured requests.
 */
import autocannon from 'autocannon';
import { treeCpuMicros } from './process-cpu.ts';

export interface LoadSpec {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly connections: number;
  readonly durationS: number;
  readonly headers: Record<string, string>;
  readonly body?: string;
  /** Process trees whose CPU is measured, by name (`service`, `postgres`). */
  readonly cpuOf: Record<string, number>;
}

export interface LoadFigures {
  readonly requests: number;
  readonly requests_per_second: number;
  readonly p50_ms: number;
  readonly p99_ms: number;
  readonly non_2xx: number;
  readonly errors: number;
  /** CPU microseconds each named process tree spent during the run. */
  readonly cpu_us: Record<string, number>;
}

const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
const cpuNow = (): Record<string, number> => Object.fromEntries(Object.entries(spec.cpuOf).map(([name, pid]) => [name, treeCpuMicros(pid)]));
const before = cpuNow();
const result = await autocannon({
  url: spec.url,
  connections: spec.connections,
  duration: spec.durationS,
  method: spec.method,
  headers: spec.headers,
  body: spec.body,
  idReplacement: true,
});
const after = cpuNow();
const figures: LoadFigures = {
  requests: result.requests.total,
  requests_per_second: Math.round(result.requests.average),
  p50_ms: result.latency.p50,
  p99_ms: result.latency.p99,
  non_2xx: result.non2xx,
  errors: result.errors,
  cpu_us: Object.fromEntries(Object.keys(before).map((name) => [name, (after[name] ?? 0) - (before[name] ?? 0)])),
};
process.stdout.write(`${JSON.stringify(figures)}\n`);
