/**
 * The lifecycle service's refusals. A refusal carries a catalogued code and its kind; the HTTP
 * layer turns the kind into a status (not_found 404, conflict 409, invalid 422), and an async
 * operation records `{code, message}` as its error.
 */
import type { ReasonCode } from '../config/reason-codes.ts';
import type { ValidationProblem } from '../domain/advisory/index.ts';

export type RefusalKind = 'not_found' | 'conflict' | 'invalid';

export class LifecycleRefusal extends Error {
  constructor(
    readonly kind: RefusalKind,
    readonly code: ReasonCode,
    message: string,
    /** For `VALIDATION_ERROR`: every bad field, named from the request body. */
    readonly problems: readonly ValidationProblem[] = [],
  ) {
    super(message);
    this.name = 'LifecycleRefusal';
  }
}

export const notFound = (code: ReasonCode, message: string): LifecycleRefusal => new LifecycleRefusal('not_found', code, message);
export const conflict = (code: ReasonCode, message: string): LifecycleRefusal => new LifecycleRefusal('conflict', code, message);
export const invalid = (code: ReasonCode, message: string, problems: readonly ValidationProblem[] = []): LifecycleRefusal =>
  new LifecycleRefusal('invalid', code, message, problems);

/** The same Idempotency-Key came with another request (409); nothing was written. */
export const idempotencyKeyConflict = (): LifecycleRefusal => conflict('IDEMPOTENCY_KEY_CONFLICT', 'IDEMPOTENCY_KEY_CONFLICT: request hash mismatch');
