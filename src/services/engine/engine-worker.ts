/**
 * The entry of an engine worker thread (loaded by the pool in engine-pool.ts): runs one job.
 * Input and output cross the thread boundary as JSON text: both threads write and read it faster
 * than they would clone the same object graph (measured in bench/engine-pool.ts,
 * docs/performance.md#engine-worker-pool), and the serving thread's share is what counts.
 *
 * An engine error comes back as its name and message, so the caller sees the same error class
 * name it would see inline (a structured clone keeps only the built-in error names).
 */
import { ENGINE_JOBS, type EngineJob, type EngineJobName } from './jobs.ts';

export interface EngineTask {
  readonly job: EngineJobName;
  /** The job's input as JSON text. */
  readonly input: string;
}

/** The output as JSON texts: one, or one per piece when the job splits its output (see EngineJob.pieces). */
export type EngineReply = { readonly ok: true; readonly json: readonly string[] } | { readonly ok: false; readonly name: string; readonly message: string };

export default function runEngineTask(task: EngineTask): EngineReply {
  try {
    const job = ENGINE_JOBS[task.job] as EngineJob<unknown, unknown>;
    const output = job.run(JSON.parse(task.input));
    const pieces = job.pieces ? job.pieces.split(output) : [output];
    return { ok: true, json: pieces.map((piece) => JSON.stringify(piece)) };
  } catch (error) {
    return error instanceof Error ? { ok: false, name: error.name, message: error.message } : { ok: false, name: 'Error', message: String(error) };
  }
}
