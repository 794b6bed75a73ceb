/** Where engine calls run (docs/operations.md#engine-worker-pool): threads, queue, deadline, what stays inline. */
import { availableParallelism } from 'node:os';
import { integerVariable, isSet, type Env, type ValuesOf } from './variables.ts';

export interface EngineSettings {
  readonly threads: number;
  readonly queueMax: number;
  readonly callTimeoutMs: number;
  readonly inlineMaxRows: number;
  /** Young-generation heap of each worker thread, MB. */
  readonly workerYoungGenerationMb: number;
}

export const ENGINE_VARIABLES = {
  engineThreads: integerVariable({
    name: 'ENGINE_WORKER_THREADS',
    description:
      'Worker threads of each server process that run large engine calls (DPM simulate/analyze, proposal simulate/artifact/versions) off the serving thread; 0 runs every call inline.',
    defaultValue: availableParallelism(),
    defaultText: 'os.availableParallelism() ÷ WEB_CONCURRENCY (at least 1)',
    min: 0,
    max: 256,
  }),
  engineQueueMax: integerVariable({
    name: 'ENGINE_QUEUE_MAX',
    description: 'Engine calls that may wait while every worker thread is busy; the next one is refused with 503 ENGINE_QUEUE_FULL and Retry-After.',
    defaultValue: 32,
    min: 0,
    max: 100_000,
  }),
  engineCallTimeoutMs: integerVariable({
    name: 'ENGINE_CALL_TIMEOUT_MS',
    description: 'Longest an engine call may take in the pool, waiting included; then it is cancelled, its worker replaced, and the request answered 503 ENGINE_CALL_TIMEOUT.',
    defaultValue: 30_000,
    min: 10,
    max: 3_600_000,
  }),
  engineInlineMaxRows: integerVariable({
    name: 'ENGINE_INLINE_MAX_ROWS',
    description:
      'Engine calls on requests of at most this many rows (positions + prices + model targets + shelf entries + proposed trades and cash flows, times the scenarios of an analyze) run on the serving thread; larger ones go to the worker pool.',
    defaultValue: 2_000,
    min: 0,
    max: 100_000_000,
  }),
  engineWorkerYoungGenerationMb: integerVariable({
    name: 'ENGINE_WORKER_YOUNG_GENERATION_MB',
    description:
      "Young-generation heap of each engine worker thread. A large request's working set (its positions, the before and after states, the result tree) outgrows V8's default and is copied from collection to collection; 192 MB ran a 10,000-instrument simulate 13 % faster (docs/performance.md). Costs up to this much memory per thread once such a request ran.",
    defaultValue: 192,
    min: 8,
    max: 4_096,
  }),
} as const;

export function engineSettings(env: Env, v: ValuesOf<typeof ENGINE_VARIABLES>, processes: number): EngineSettings {
  return {
    // Unset, the machine's cores are shared out among the processes, so the group runs one engine thread per core.
    threads: isSet(env, ENGINE_VARIABLES.engineThreads.name) ? v.engineThreads : Math.max(1, Math.floor(v.engineThreads / processes)),
    queueMax: v.engineQueueMax,
    callTimeoutMs: v.engineCallTimeoutMs,
    inlineMaxRows: v.engineInlineMaxRows,
    workerYoungGenerationMb: v.engineWorkerYoungGenerationMb,
  };
}
