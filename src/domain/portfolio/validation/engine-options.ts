/**
 * The engine options alone (both engines run on them): every problem under `path`, or the options
 * with every default filled in.
 */
import { EngineOptionsSchema, type EngineOptions } from '../request-schema.ts';
import type { PathSegment, ValidationResult } from './problems.ts';
import { PORTFOLIO_REFINEMENTS } from './refinements.ts';
import { validate } from './schema-walker.ts';

/** Used for one scenario's options inside a batch, and for the advisory option defaults. */
export function validateEngineOptions(
  options: unknown,
  path: PathSegment[] = ['options'],
): ValidationResult<EngineOptions> {
  return validate<EngineOptions>(EngineOptionsSchema, options, path, PORTFOLIO_REFINEMENTS);
}
