/**
 * Entry points of request validation. Each returns every problem found (never throws on any
 * JSON input), or the request normalised: unknown keys dropped, defaults filled in, decimals as
 * text. That normalised request is what the engine runs on and what the request hash covers.
 */
import type { TSchema } from '@sinclair/typebox';
import {
  BatchRebalanceRequestSchema,
  EngineOptionsSchema,
  RebalanceRequestSchema,
  type BatchRebalanceRequest,
  type EngineOptions,
  type RebalanceRequest,
} from '../../portfolio/request-schema.ts';
import { ProblemList, type PathSegment, type ValidationResult } from '../../portfolio/validation/problems.ts';
import { REQUEST_REFINEMENTS } from '../../portfolio/validation/refinements.ts';
import { normalise } from '../../portfolio/validation/schema-walker.ts';

function validateWith<T>(schema: TSchema, body: unknown, path: PathSegment[]): ValidationResult<T> {
  const problems = new ProblemList();
  const result = normalise<T>(schema, body, path, problems, REQUEST_REFINEMENTS);
  return result.ok && problems.empty ? { ok: true, value: result.value } : { ok: false, problems: problems.items };
}

/** Body of `POST /rebalance/simulate`. */
export function validateRebalanceRequest(body: unknown): ValidationResult<RebalanceRequest> {
  return validateWith(RebalanceRequestSchema, body, []);
}

/** Body of `POST /rebalance/analyze` (scenario options are validated later, per scenario). */
export function validateBatchRebalanceRequest(body: unknown): ValidationResult<BatchRebalanceRequest> {
  return validateWith(BatchRebalanceRequestSchema, body, []);
}

/** One scenario's options inside a batch; fields are reported under `path`. */
export function validateEngineOptions(
  options: unknown,
  path: PathSegment[] = ['options'],
): ValidationResult<EngineOptions> {
  return validateWith(EngineOptionsSchema, options, path);
}
