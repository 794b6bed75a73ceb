/**
 * Where engine calls run (docs/operations.md#engine-worker-pool): small requests on the serving
 * thread, where a worker hop would cost more than the engine; large ones in a pool of worker
 * threads (piscina), so one big analyze cannot stall /health/live or the requests around it.
 *
 * The pool is bounded three ways, each refusal a 503 with its code and Retry-After:
 * - at most `threads` calls run and `queueMax` wait; the next is refused (ENGINE_QUEUE_FULL);
 * - a call not answered within `callTimeoutMs` of being admitted (waiting included) is cancelled
 *   (ENGINE_CALL_TIMEOUT): its worker thread is stopped and a fresh one takes its place;
 * - `cancelAll()` (shutdown) cancels every call still in the pool (ENGINE_SHUTTING_DOWN).
 *
 * Worker threads start with the first call that needs one, so a process (or a test) that never
 * sends a large request never starts a thread.
 */
import { createRequire } from 'node:module';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import { parseKeepingText } from './json-text.ts';
import { ReasonError } from '../../config/reason-codes.ts';
import type { StageObserver } from '../../domain/dpm/index.ts';
import type { EngineReply, EngineTask } from './engine-worker.ts';
import { ENGINE_JOBS, type EngineInput, type EngineJob, type EngineJobName, type EngineOutput } from './jobs.ts';

/** What the services call: the engine, wherever it runs. */
export interface Engine {
  /** `observer` (tracing) hears the stage groups of a call that runs on this thread; a worker's call has none. */
  run<J extends EngineJobName>(job: J, input: EngineInput<J>, observer?: StageObserver): Promise<EngineOutput<J>>;
}

export interface EnginePoolSettings {
  /** Worker threads; 0 runs every call on the serving thread. */
  readonly threads: number;
  /** Calls that may wait for a busy pool. */
  readonly queueMax: number;
  readonly callTimeoutMs: number;
  /** Requests of at most this many rows run on the serving thread. */
  readonly inlineMaxRows: number;
  /** Young-generation heap of each worker thread, MB (large requests allocate far beyond V8's default). */
  readonly workerYoungGenerationMb?: number;
}

export type EnginePath = 'inline' | 'pool';
export type EngineOutcome = 'ok' | 'error' | 'queue_full' | 'timeout' | 'cancelled';

/** Hears every call's path and outcome, and the number of calls in the pool (metrics). */
export interface EnginePoolObserver {
  settled?(path: EnginePath, outcome: EngineOutcome): void;
  inFlight?(count: number): void;
}

export interface EnginePool extends Engine {
  /** Pool calls admitted and not yet answered (running or waiting). */
  readonly inFlight: number;
  /** Cancels every call in the pool and refuses new pool calls from now on (calls that fit inline still run). */
  cancelAll(): void;
  /** cancelAll(), then stops the worker threads. */
  close(): Promise<void>;
}

// Under tsx or vitest this module is TypeScript, so the worker is too and loads tsx itself;
// compiled (`npm run build`), both are JavaScript next to each other in dist/.
const HERE = import.meta.url;
const TYPESCRIPT = HERE.endsWith('.ts');
const WORKER_FILE = fileURLToPath(new URL(TYPESCRIPT ? './engine-worker.ts' : './engine-worker.js', HERE));
const WORKER_EXEC_ARGV = TYPESCRIPT ? ['--import', pathToFileURL(createRequire(HERE).resolve('tsx')).href] : undefined;

const TIMED_OUT = Symbol('timed out');
const SHUT_DOWN = Symbol('shut down');

/** Runs a job on this thread, letting other work in wherever the job can pause (between analyze scenarios). */
async function runInline<I, O>(job: EngineJob<I, O>, input: I, observer: StageObserver | undefined): Promise<O> {
  if (!job.steps) return job.run(input, observer);
  const steps = job.steps(input, observer);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await nextTurn();
  }
}

const jobOf = <J extends EngineJobName>(job: J): EngineJob<EngineInput<J>, EngineOutput<J>> => ENGINE_JOBS[job] as unknown as EngineJob<EngineInput<J>, EngineOutput<J>>;

/**
 * Parses a worker's output a piece at a time, letting other work in after each piece — also after
 * the last, so the caller's own work on the output (recording it, sending it) starts a turn of
 * its own instead of adding to the parse.
 */
async function parsePieces<O>(job: EngineJob<unknown, O>, texts: readonly string[]): Promise<O> {
  const pieces: unknown[] = [];
  for (const text of texts) {
    pieces.push(parseKeepingText(text));
    await nextTurn();
  }
  return job.pieces ? job.pieces.join(pieces) : (pieces[0] as O);
}

function engineError(reply: Extract<EngineReply, { ok: false }>): Error {
  const error = new Error(reply.message);
  error.name = reply.name;
  return error;
}

export function createEnginePool(settings: EnginePoolSettings, observer: EnginePoolObserver = {}): EnginePool {
  const { threads, queueMax, callTimeoutMs, inlineMaxRows } = settings;
  let piscina: Piscina<EngineTask, EngineReply> | undefined;
  let shutDown = false;
  const running = new Set<AbortController>();

  const workers = (): Piscina<EngineTask, EngineReply> =>
    (piscina ??= new Piscina<EngineTask, EngineReply>({
      filename: WORKER_FILE,
      ...(WORKER_EXEC_ARGV ? { execArgv: WORKER_EXEC_ARGV } : {}),
      minThreads: threads,
      maxThreads: threads,
      ...(settings.workerYoungGenerationMb === undefined ? {} : { resourceLimits: { maxYoungGenerationSizeMb: settings.workerYoungGenerationMb } }),
    }));

  const settle = (path: EnginePath, outcome: EngineOutcome): void => observer.settled?.(path, outcome);

  async function inPool<J extends EngineJobName>(job: J, input: EngineInput<J>): Promise<EngineOutput<J>> {
    if (shutDown) {
      settle('pool', 'cancelled');
      throw new ReasonError('ENGINE_SHUTTING_DOWN', 'The service is shutting down; retry on another replica.');
    }
    if (running.size >= threads + queueMax) {
      settle('pool', 'queue_full');
      throw new ReasonError('ENGINE_QUEUE_FULL', `All ${threads} engine worker threads are busy and ${queueMax} calls are waiting; retry later.`);
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(TIMED_OUT), callTimeoutMs);
    running.add(controller);
    observer.inFlight?.(running.size);
    try {
      const reply = await workers().run({ job, input: JSON.stringify(input) }, { signal: controller.signal });
      if (!reply.ok) throw engineError(reply);
      const output = await parsePieces(jobOf(job), reply.json);
      settle('pool', 'ok');
      return output;
    } catch (error) {
      if (controller.signal.reason === TIMED_OUT) {
        settle('pool', 'timeout');
        throw new ReasonError('ENGINE_CALL_TIMEOUT', `The engine call did not finish within ${callTimeoutMs} ms and was cancelled.`, { cause: error });
      }
      if (controller.signal.reason === SHUT_DOWN) {
        settle('pool', 'cancelled');
        throw new ReasonError('ENGINE_SHUTTING_DOWN', 'The service is shutting down; the engine call was cancelled. Retry on another replica.', { cause: error });
      }
      settle('pool', 'error');
      throw error;
    } finally {
      clearTimeout(timer);
      running.delete(controller);
      observer.inFlight?.(running.size);
    }
  }

  async function inline<J extends EngineJobName>(job: J, input: EngineInput<J>, observer: StageObserver | undefined): Promise<EngineOutput<J>> {
    try {
      const output = await runInline(jobOf(job), input, observer);
      settle('inline', 'ok');
      return output;
    } catch (error) {
      settle('inline', 'error');
      throw error;
    }
  }

  function cancelAll(): void {
    shutDown = true;
    for (const controller of running) controller.abort(SHUT_DOWN);
  }

  return {
    get inFlight() {
      return running.size;
    },
    run(job, input, observer) {
      const rows = jobOf(job).rows(input);
      return threads === 0 || rows <= inlineMaxRows ? inline(job, input, observer) : inPool(job, input);
    },
    cancelAll,
    async close() {
      cancelAll();
      await piscina?.destroy();
    },
  };
}

/**
 * A refusal that says nothing about the work itself — the pool was full, or the process is
 * stopping — so an async operation should be left for a later attempt (or another replica)
 * rather than failed. A timeout is not one: the same work would time out again.
 */
export function isEngineBusy(error: unknown): boolean {
  return error instanceof ReasonError && (error.code === 'ENGINE_QUEUE_FULL' || error.code === 'ENGINE_SHUTTING_DOWN');
}

/** Every call on the calling thread (the default of the services, and of tests that build them directly). */
export const INLINE_ENGINE: Engine = createEnginePool({ threads: 0, queueMax: 0, callTimeoutMs: 1, inlineMaxRows: 0 });
