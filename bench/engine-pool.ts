/**
 * Engine worker pool benchmark: what a worker hop costs next to running the engine inline, by
 * request size — the measurement behind ENGINE_INLINE_MAX_ROWS — how the data should cross the
 * thread boundary, and /health/live while the largest analyze (and a 3,000-position proposal
 * artifact) runs, inline and in the pool.
 *
 *   npm run --silent bench:engine-pool                      # tables
 *   npm run --silent bench:engine-pool -- --json            # one JSON object
 *   npm run --silent bench:engine-pool -- --skip-liveness   # without the service processes
 *
 * Per case, warm, one call at a time: `cpu` is the process's CPU time per call (every thread:
 * serving thread, worker, GC), `main` the serving thread's own CPU time per call, `wall` the
 * latency. `hop` = pool cpu − inline cpu: what the worker hop adds.
 * Figures are measurements of this machine, not assertions; see docs/performance.md.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { deserialize, serialize } from 'node:v8';
import { validateProposalSimulateRequest } from '../src/domain/advisory/index.ts';
import { validateBatchRebalanceRequest, validateRebalanceRequest } from '../src/domain/dpm/index.ts';
import { createEnginePool, INLINE_ENGINE, type Engine } from '../src/services/engine/engine-pool.ts';
import { ENGINE_JOBS, type EngineInput, type EngineJobName } from '../src/services/engine/jobs.ts';
import { conformanceVector, loadConformanceCases } from '../test/support/conformance.ts';
import { startService } from '../test/support/service-process.ts';
import { largeVector, whatIfBatch } from '../test/support/what-if.ts';
import { generatedProposal, generatedRequest } from '../test/domain/dpm/generated-request.ts';

const json = process.argv.includes('--json');
const log = (line: string): void => void (json ? process.stderr : process.stdout).write(`${line}\n`);

/** One line of a table: the name, then each cell right-aligned in a 16-character column. */
const line = (name: string, cells: readonly (string | number)[]): string => [name.padEnd(34), ...cells.map((cell) => String(cell).padStart(16))].join('');

interface Case<J extends EngineJobName = EngineJobName> {
  readonly name: string;
  readonly job: J;
  readonly inputs: readonly EngineInput<J>[];
}

function valid<T>(result: { ok: true; value: T } | { ok: false; problems: unknown }): T {
  if (!result.ok) throw new Error(`benchmark request is invalid: ${JSON.stringify(result.problems).slice(0, 500)}`);
  return result.value;
}

const CONTEXT = { runId: 'rr_bench000', correlationId: 'corr_bench', requestHash: 'sha256:bench' };
const rebalance = (body: unknown): EngineInput<'rebalance'> => ({ request: valid(validateRebalanceRequest(body)), context: CONTEXT });
const proposal = (body: unknown): EngineInput<'proposalArtifact'> => ({
  request: valid(validateProposalSimulateRequest(body)),
  context: CONTEXT,
  createdAt: '2026-01-01T00:00:00.000000+00:00',
});

function analyze(body: unknown, scenarios: number): EngineInput<'analyze'> {
  return {
    request: valid(validateBatchRebalanceRequest(whatIfBatch(body as Record<string, unknown>, scenarios))),
    context: { batchRunId: 'batch_bench', runAtUtc: '2026-01-01T00:00:00.000000+00:00', correlationId: null, runIds: Array.from({ length: scenarios }, (_, i) => `rr_${i}`), policyPack: null, engineVersion: 'bench' },
  };
}

function cases(): Case[] {
  const dpmConformance = loadConformanceCases('dpm').flatMap((c) => (validateRebalanceRequest(c.request).ok ? [rebalance(c.request)] : []));
  const advisory = loadConformanceCases('advisory').map((c) => proposal(c.request));
  return [
    { name: 'rebalance conformance (23)', job: 'rebalance', inputs: dpmConformance },
    ...[10, 30, 100, 300].map((size) => ({ name: `rebalance generated_${size}`, job: 'rebalance' as const, inputs: [rebalance(generatedRequest(size))] })),
    { name: 'rebalance large_200', job: 'rebalance', inputs: [rebalance(largeVector('large_200'))] },
    { name: 'rebalance large_1000', job: 'rebalance', inputs: [rebalance(largeVector('large_1000'))] },
    { name: 'analyze 2 x conformance', job: 'analyze', inputs: [analyze(conformanceVector<{ request: unknown }>('dpm', 'scenario_02_constraint_cap').request, 2)] },
    { name: 'analyze 6 x large_1000', job: 'analyze', inputs: [analyze(largeVector('large_1000'), 6)] },
    { name: 'proposal conformance (8)', job: 'proposal', inputs: advisory },
    { name: 'artifact conformance (8)', job: 'proposalArtifact', inputs: advisory },
    ...[10, 30, 100, 300, 1000].map((size) => ({ name: `artifact generated_${size}`, job: 'proposalArtifact' as const, inputs: [proposal(generatedProposal(size))] })),
  ];
}

interface Figures {
  readonly calls: number;
  readonly cpu_ms: number;
  /** The serving thread's CPU time per call (what it cannot spend answering others). */
  readonly main_ms: number;
  readonly wall_ms: number;
}

/**
 * CPU time of the serving thread alone, from Linux's per-thread accounting (clock ticks of 10 ms;
 * each case runs for seconds, so that is well under 1 %). Node 20 has no per-thread CPU API.
 */
function mainThreadCpuMs(): number {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat(5); `fields` starts at field 3.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Warm, then one call at a time until both minimums are reached. */
async function measure(engine: Engine, benchCase: Case, minCalls: number, minMillis: number): Promise<Figures> {
  const call = (i: number): Promise<unknown> => engine.run(benchCase.job, benchCase.inputs[i % benchCase.inputs.length] as never);
  const warmUntil = performance.now() + minMillis / 2;
  for (let i = 0; performance.now() < warmUntil || i < Math.max(3, benchCase.inputs.length); i += 1) await call(i);
  const cpu = process.cpuUsage();
  const main = mainThreadCpuMs();
  const started = performance.now();
  let calls = 0;
  while (calls < minCalls || performance.now() - started < minMillis) await call(calls++);
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const busy = mainThreadCpuMs() - main;
  const per = (ms: number): number => Number((ms / calls).toFixed(3));
  return { calls, cpu_ms: per((used.user + used.system) / 1000), main_ms: per(busy), wall_ms: per(wall) };
}

interface HopRow {
  readonly case: string;
  readonly rows: number;
  readonly inline: Figures;
  readonly pool: Figures;
  readonly hop_cpu_ms: number;
  /** pool cpu / inline cpu */
  readonly cpu_ratio: number;
}

async function hopCosts(): Promise<HopRow[]> {
  // One worker, every call to it: the hop on its own, without competition between workers.
  const pool = createEnginePool({ threads: 1, queueMax: 0, callTimeoutMs: 600_000, inlineMaxRows: 0 });
  const rows: HopRow[] = [];
  try {
    for (const benchCase of cases()) {
      const job = ENGINE_JOBS[benchCase.job] as { rows(input: unknown): number };
      const size = Math.round(benchCase.inputs.reduce((total, input) => total + job.rows(input), 0) / benchCase.inputs.length);
      const minCalls = size > 5_000 ? 5 : 50;
      const minMillis = size > 5_000 ? 3_000 : 1_500;
      const inline = await measure(INLINE_ENGINE, benchCase, minCalls, minMillis);
      const pooled = await measure(pool, benchCase, minCalls, minMillis);
      const row = {
        case: benchCase.name,
        rows: size,
        inline,
        pool: pooled,
        hop_cpu_ms: Number((pooled.cpu_ms - inline.cpu_ms).toFixed(3)),
        cpu_ratio: Number((pooled.cpu_ms / inline.cpu_ms).toFixed(2)),
      };
      rows.push(row);
      const ms = (value: number): string => value.toFixed(3);
      log(line(row.case, [row.rows, ms(inline.cpu_ms), ms(pooled.cpu_ms), ms(row.hop_cpu_ms), row.cpu_ratio.toFixed(2), ms(inline.main_ms), ms(pooled.main_ms), ms(inline.wall_ms), ms(pooled.wall_ms)]));
    }
  } finally {
    await pool.close();
  }
  return rows;
}

/** Each way across the thread boundary, as a structured clone (what postMessage does with objects) or as JSON text. */
interface TransferRow {
  readonly case: string;
  readonly bytes_json: number;
  /** Serving thread: the request out. */
  readonly request_clone_ms: number;
  readonly request_json_ms: number;
  /** Worker: the request in. */
  readonly request_deserialize_clone_ms: number;
  readonly request_parse_json_ms: number;
  /** Worker: the result out. */
  readonly result_serialize_clone_ms: number;
  readonly result_stringify_ms: number;
  /** Serving thread: the result in. */
  readonly result_deserialize_clone_ms: number;
  readonly result_parse_json_ms: number;
}

/** The median of many timed runs, after as many warm-up runs: one slow run (GC, another process) does not count. */
function timed(work: () => unknown, times = 21): number {
  for (let i = 0; i < times; i += 1) work();
  const samples = Array.from({ length: times }, () => {
    const started = performance.now();
    work();
    return performance.now() - started;
  }).sort((a, b) => a - b);
  return Number((samples[times >> 1] ?? 0).toFixed(3));
}

/** How the request and the result should cross the thread boundary: structured clone or JSON text. */
function transferCosts(): TransferRow[] {
  return cases()
    .filter((c) => /large_1000|generated_1000/.test(c.name))
    .map((benchCase) => {
      const input = benchCase.inputs[0] as EngineInput<EngineJobName>;
      const result = (ENGINE_JOBS[benchCase.job] as { run(input: unknown): unknown }).run(input);
      const [inputText, inputClone] = [JSON.stringify(input), serialize(input)];
      const [resultText, resultClone] = [JSON.stringify(result), serialize(result)];
      return {
        case: benchCase.name,
        bytes_json: resultText.length,
        request_clone_ms: timed(() => serialize(input)),
        request_json_ms: timed(() => JSON.stringify(input)),
        request_deserialize_clone_ms: timed(() => deserialize(inputClone)),
        request_parse_json_ms: timed(() => JSON.parse(inputText)),
        result_serialize_clone_ms: timed(() => serialize(result)),
        result_stringify_ms: timed(() => JSON.stringify(result)),
        result_deserialize_clone_ms: timed(() => deserialize(resultClone)),
        result_parse_json_ms: timed(() => JSON.parse(resultText)),
      };
    });
}

interface Liveness {
  readonly load: string;
  readonly mode: string;
  readonly call_ms: number[];
  readonly probes: number;
  readonly probe_p50_ms: number;
  readonly probe_p99_ms: number;
  readonly probe_max_ms: number;
}

/** Heavy calls to make while probing: the largest analyze, and the artifact of the largest proposal under the 1 MiB body limit. */
function heavyCalls(): { readonly load: string; readonly path: string; readonly body: string; readonly times: number }[] {
  return [
    { load: 'analyze 6 x large_1000', path: '/rebalance/analyze', body: JSON.stringify(whatIfBatch(largeVector('large_1000'), 6)), times: 3 },
    { load: 'artifact, 3,059 positions', path: '/rebalance/proposals/artifact', body: JSON.stringify(generatedProposal(4_400)), times: 2 },
  ];
}

/** /health/live, one probe after another, while a heavy call runs `times` times in a row. */
async function liveness(mode: string, env: Record<string, string>, heavy: ReturnType<typeof heavyCalls>[number]): Promise<Liveness> {
  const service = await startService(env);
  const url = service.baseUrl;
  try {
    const probe = async (): Promise<number> => {
      const started = performance.now();
      const response = await fetch(`${url}/health/live`);
      await response.arrayBuffer();
      return performance.now() - started;
    };
    for (let i = 0; i < 20; i += 1) await probe();
    const samples: number[] = [];
    const callMs: number[] = [];
    for (let i = 0; i < heavy.times; i += 1) {
      let running = true;
      const started = performance.now();
      const headers = { 'content-type': 'application/json', 'idempotency-key': `liveness-${i}` };
      const call = fetch(`${url}${heavy.path}`, { method: 'POST', headers, body: heavy.body })
        .then(async (response) => {
          // Read as bytes only: parsing megabytes here would stall this process's own probes.
          await response.arrayBuffer();
          if (response.status !== 200) throw new Error(`${heavy.path} answered ${response.status}`);
        })
        .finally(() => {
          running = false;
          callMs.push(Math.round(performance.now() - started));
        });
      while (running) samples.push(await probe());
      await call;
    }
    samples.sort((a, b) => a - b);
    const at = (q: number): number => Number((samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? 0).toFixed(1));
    return { load: heavy.load, mode, call_ms: callMs, probes: samples.length, probe_p50_ms: at(0.5), probe_p99_ms: at(0.99), probe_max_ms: at(1) };
  } finally {
    await service.stop();
  }
}

async function main(): Promise<void> {
  log(`Node ${process.version}, availableParallelism ${availableParallelism()}`);
  log(line('ms per call', ['rows', 'inline cpu', 'pool cpu', 'hop cpu', 'ratio', 'inline main', 'pool main', 'inline wall', 'pool wall']));
  const hops = await hopCosts();

  const transfers = transferCosts();
  log(`\n${line('transfer, ms (clone / JSON)', ['result bytes', 'req out', 'req in', 'result out', 'result in'])}`);
  for (const t of transfers) {
    const pair = (clone: number, json: number): string => `${clone.toFixed(2)} / ${json.toFixed(2)}`;
    log(
      line(t.case, [
        t.bytes_json,
        pair(t.request_clone_ms, t.request_json_ms),
        pair(t.request_deserialize_clone_ms, t.request_parse_json_ms),
        pair(t.result_serialize_clone_ms, t.result_stringify_ms),
        pair(t.result_deserialize_clone_ms, t.result_parse_json_ms),
      ]),
    );
  }

  const probes: Liveness[] = [];
  if (!process.argv.includes('--skip-liveness')) {
    log(`\n${line('/health/live during', ['probes', 'p50 ms', 'p99 ms', 'max ms', 'call ms'])}`);
    for (const heavy of heavyCalls()) {
      for (const [mode, env] of [['inline', { ENGINE_WORKER_THREADS: '0' }], ['pool', {}]] as const) {
        const l = await liveness(mode, env, heavy);
        probes.push(l);
        log(line(`${l.load}, ${l.mode}`, [l.probes, l.probe_p50_ms.toFixed(1), l.probe_p99_ms.toFixed(1), l.probe_max_ms.toFixed(1), `  ${l.call_ms.join(', ')}`]));
      }
    }
  }
  if (json) process.stdout.write(`${JSON.stringify({ hops, transfers, liveness: probes })}\n`);
}

await main();
