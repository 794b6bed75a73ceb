/**
 * What every idempotent POST answers the same way: the required `Idempotency-Key` header, a
 * body the engine refused, a key reused for another request, and the replay marker.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ReasonError, type DetailOf, type FieldProblem } from '../config/reason-codes.ts';
import { RequestValidationError } from './validation-errors.ts';
import { Identifier } from './schema-kit.ts';

/** The header schema: required by every route that takes it; blank counts as missing. */
export const IdempotencyKeyHeader = Identifier({
  pattern: '\\S',
  description: 'Required. The same key with the same request replays the stored response (`Idempotent-Replay: true`); with another request it is 409 IDEMPOTENCY_KEY_CONFLICT.',
  examples: ['demo-key-001'],
});

/** The trimmed key (the route schema already made it required and non-blank). */
export function idempotencyKeyOf(request: FastifyRequest): string {
  const given = request.headers['idempotency-key'];
  const key = (Array.isArray(given) ? given[0] : given)?.trim();
  if (key) return key;
  throw new RequestValidationError([{ type: 'missing', loc: ['header', 'Idempotency-Key'], msg: 'Field required', input: null }]);
}

/** The engine's validation problems as a 422 (FastAPI's list, `body.<field>`). */
export function invalidBody(problems: readonly FieldProblem[]): ReasonError {
  return new ReasonError('VALIDATION_ERROR', 'The request is invalid; see detail.', { problems });
}

const CONFLICT_MESSAGES: Readonly<Record<DetailOf<'IDEMPOTENCY_KEY_CONFLICT'>, string>> = {
  'IDEMPOTENCY_KEY_CONFLICT: request hash mismatch': 'This Idempotency-Key was already used with a different request; nothing was recorded.',
  'IDEMPOTENCY_KEY_CONFLICT: policy pack mismatch':
    'This Idempotency-Key was already used with the same request under another policy pack (X-Policy-Pack-Id, tenant or pack revision); nothing was recorded.',
};

export function idempotencyConflict(detail: DetailOf<'IDEMPOTENCY_KEY_CONFLICT'> = 'IDEMPOTENCY_KEY_CONFLICT: request hash mismatch'): ReasonError {
  return new ReasonError('IDEMPOTENCY_KEY_CONFLICT', CONFLICT_MESSAGES[detail], { detail });
}

/** A stored response answered again: same body, plus `Idempotent-Replay: true`. */
export function markReplay(reply: FastifyReply, replayed: boolean): void {
  if (replayed) void reply.header('Idempotent-Replay', 'true');
}
