/**
 * Engine calls as spans: one span per engine call (`dpm.simulate`, `dpm.analyze`,
 * `advisory.simulate` …) and, for the DPM pipeline, one child span per stage group the engine
 * reports through its observer (`dpm.stage.valuation` …, docs/engine.md#pipeline). When tracing is
 * off the engine gets no observer at all.
 */
import type { Attributes, Span } from '@opentelemetry/api';
import type { StageGroup, StageObserver } from '../../domain/dpm/index.ts';
import { recordFailure, tracer, withSpan } from '../observability/telemetry.ts';

/** Turns stage marks into sibling spans under the active (engine) span. */
function stageSpans(): StageObserver & { finish(error?: unknown): void } {
  let current: Span | undefined;
  return {
    enter(group: StageGroup) {
      current?.end();
      current = tracer().startSpan(`dpm.stage.${group}`);
    },
    finish(error?: unknown) {
      if (current && error !== undefined) recordFailure(current, error);
      current?.end();
      current = undefined;
    },
  };
}

/**
 * Runs an engine call in the span `name`; `run` gets a stage observer when the span records. Only
 * a call that runs on the serving thread reports its stages (the observer is a callback, which
 * cannot cross to a worker thread); a worker's call is the one span.
 */
export function tracedEngine<T>(name: string, attributes: Attributes, run: (observer: StageObserver | undefined) => Promise<T>): Promise<T> {
  return withSpan(name, { attributes }, async (span) => {
    const stages = span.isRecording() ? stageSpans() : undefined;
    try {
      const result = await run(stages);
      stages?.finish();
      return result;
    } catch (error) {
      stages?.finish(error);
      throw error;
    }
  });
}
