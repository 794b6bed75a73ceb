/**
 * Entry points of request validation. Each returns every problem found (never throws on any
 * JSON input), or the request normalised: unknown keys dropped, defaults filled in, decimals as
 * text. That normalised request is what the engine runs on and what the request hash covers.
 */
import type { TSchema } from '@sinclair/typebox';
import type { PathSegment, ValidationResult } from '../../portfolio/validation/problems.ts';
import { validate } from '../../portfolio/validation/schema-walker.ts';
import {
  BatchRebalanceRequestSchema,
  RebalanceRequestSchema,
  type BatchRebalanceRequest,
  type RebalanceRequest,
} from '../model/request-schema.ts';
import { REBALANCE_REFINEMENTS } from './refinements.ts';

function validateWith<T>(schema: TSchema, body: unknown, path: PathSegment[]): ValidationResult<T> {
  return validate<T>(schema, body, path, REBALANCE_REFINEMENTS);
}

/** Body of `POST /rebalance/simulate`. */
export function validateRebalanceRequest(body: unknown): ValidationResult<RebalanceRequest> {
  return validateWith(RebalanceRequestSchema, body, []);
}

/** Body of `POST /rebalance/analyze` (scenario options are validated later, per scenario). */
export function validateBatchRebalanceRequest(body: unknown): ValidationResult<BatchRebalanceRequest> {
  return validateWith(BatchRebalanceRequestSchema, body, []);
}
