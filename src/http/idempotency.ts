/**
 * What every idempotent POST answers the same way: the required `Idempotency-Key` header, a
 * body the engine refused, a key reused for another request, and the replay marker.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ValidationProblem } from '../domain/dpm/index.ts';
import { HttpError } from './errors.ts';

const IDEMPOTENCY_HEADER = 'idempotency-key';

/** The trimmed `Idempotency-Key`; missing or blank is a 422 naming the header. */
export function requireIdempotencyKey(request: FastifyRequest): string {
  const given = request.headers[IDEMPOTENCY_HEADER];
  const first = (Array.isArray(given) ? given[0] : given)?.trim();
  if (first) return first;
  throw new HttpError(422, 'VALIDATION_ERROR', 'The Idempotency-Key header is required.', [
    { field: 'headers.idempotency-key', code: 'required', message: 'Idempotency-Key is required' },
  ]);
}

/** The engine's validation problems as a 422 with one entry per field (`body.<path>`, `body` for the whole body). */
export function invalidBody(problems: readonly ValidationProblem[]): HttpError {
  return new HttpError(
    422,
    'VALIDATION_ERROR',
    'The request is invalid; see errors.',
    problems.map((p) => ({ field: p.field === '' ? 'body' : `body.${p.field}`, code: p.code, message: p.message })),
  );
}

export function idempotencyConflict(): HttpError {
  return new HttpError(409, 'IDEMPOTENCY_KEY_CONFLICT', 'IDEMPOTENCY_KEY_CONFLICT: request hash mismatch');
}

/** A stored response answered again: same body, plus `Idempotent-Replay: true`. */
export function markReplay(reply: FastifyReply, replayed: boolean): void {
  if (replayed) void reply.header('Idempotent-Replay', 'true');
}
