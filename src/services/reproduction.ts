/**
 * What every reproduce report shares (docs/dpm-api.md#reproducing-a-run): the verdict, both engine
 * versions, and the field-level differences between what was recorded and what today's engine
 * gives, the first REPRODUCE_DIFFERENCE_LIMIT of them listed and all of them counted.
 */
import type { ValidationProblem } from '../domain/dpm/index.ts';
import { diffJson, type JsonDifference } from './json-diff.ts';

/** How many differences a report lists (all are counted). */
export const REPRODUCE_DIFFERENCE_LIMIT = 100;

/** IDENTICAL / DIFFERENT, or REQUEST_REJECTED when today's validation refuses the recorded request. */
export type ReproduceVerdict = 'IDENTICAL' | 'DIFFERENT' | 'REQUEST_REJECTED';

/** The comparison part of a report, shared by runs and proposal versions. */
export interface ReproduceComparison {
  readonly verdict: ReproduceVerdict;
  readonly identical: boolean;
  readonly recorded_engine_version: string;
  readonly current_engine_version: string;
  readonly difference_count: number;
  readonly differences: readonly JsonDifference[];
  readonly differences_truncated: boolean;
  /** Why today's validation refuses the recorded request (REQUEST_REJECTED only; else empty). */
  readonly request_problems: readonly ValidationProblem[];
}

/** The verdict of comparing a recorded value with a reproduced one. */
export function compareReproduction(
  recorded: unknown,
  reproduced: unknown,
  versions: { readonly recorded: string; readonly current: string },
  ignore: readonly string[] = [],
): ReproduceComparison {
  const diff = diffJson(recorded, reproduced, { ignore, limit: REPRODUCE_DIFFERENCE_LIMIT });
  return {
    verdict: diff.count === 0 ? 'IDENTICAL' : 'DIFFERENT',
    identical: diff.count === 0,
    recorded_engine_version: versions.recorded,
    current_engine_version: versions.current,
    difference_count: diff.count,
    differences: diff.differences,
    differences_truncated: diff.count > diff.differences.length,
    request_problems: [],
  };
}

/** A report for a recorded request today's validation refuses. */
export function rejectedReproduction(problems: readonly ValidationProblem[], versions: { readonly recorded: string; readonly current: string }): ReproduceComparison {
  return {
    verdict: 'REQUEST_REJECTED',
    identical: false,
    recorded_engine_version: versions.recorded,
    current_engine_version: versions.current,
    difference_count: 0,
    differences: [],
    differences_truncated: false,
    request_problems: problems,
  };
}
