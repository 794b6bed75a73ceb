/**
 * The 422 for a body the engine's own validation refused (the DPM request models validate in
 * the domain, with the reference's messages, not with the route's JSON schema).
 */
import type { ValidationProblem } from '../domain/dpm/index.ts';
import { HttpError } from './errors.ts';

export function invalidBody(problems: readonly ValidationProblem[]): HttpError {
  return new HttpError(
    422,
    'VALIDATION_ERROR',
    'The request is invalid; see errors.',
    problems.map((p) => ({ field: `body.${p.field}`, code: p.code, message: p.message })),
  );
}
