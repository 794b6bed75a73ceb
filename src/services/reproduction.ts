/**
 * What every reproduce report shares (docs/dpm-api.md#reproducing-a-run): the verdict, both engine
 * versions, and the field-level differences between what was recorded and what today's engine
 * gives, the first REPRODUCE_DIFFERENCE_LIMIT of them listed and all of them counted.
 */
import type { ValidationProblem } from '../domain/dpm/index.ts';
import { diffJson, type JsonDiff, type JsonDifference } from './json-diff.ts';

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

/** The build that computed the recorded value, and the build answering now. */
export interface EngineVersions {
  readonly recorded: string;
  readonly current: string;
}

function report(verdict: ReproduceVerdict, versions: EngineVersions, diff: JsonDiff, problems: readonly ValidationProblem[]): ReproduceComparison {
  return {
    verdict,
    identical: verdict === 'IDENTICAL',
    recorded_engine_version: versions.recorded,
    current_engine_version: versions.current,
    difference_count: diff.count,
    differences: diff.differences,
    differences_truncated: diff.count > diff.differences.length,
    request_problems: problems,
  };
}

/** The verdict of comparing a recorded value with a reproduced one; `ignore` lists paths left out. */
export function compareReproduction(recorded: unknown, reproduced: unknown, versions: EngineVersions, ignore: readonly string[] = []): ReproduceComparison {
  const diff = diffJson(recorded, reproduced, { ignore, limit: REPRODUCE_DIFFERENCE_LIMIT });
  return report(diff.count === 0 ? 'IDENTICAL' : 'DIFFERENT', versions, diff, []);
}

/** A report for a recorded request today's validation refuses (nothing was run). */
export function rejectedReproduction(problems: readonly ValidationProblem[], versions: EngineVersions): ReproduceComparison {
  return report('REQUEST_REJECTED', versions, { count: 0, differences: [] }, problems);
}
