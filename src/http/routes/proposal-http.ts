/**
 * What the proposal lifecycle routes share: the feature gates, the mapping of the service's
 * refusals to HTTP, and header reading.
 *
 * Gates run in `onRequest`, before the body is parsed and before any store access, so a
 * switched-off API reveals nothing and costs nothing (the reference validated the body first
 * and opened its repository even for a disabled route).
 */
import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { ReasonCode } from '../../config/reason-codes.ts';
import { LifecycleRefusal, type RefusalKind } from '../../services/proposal-errors.ts';
import { HttpError } from '../errors.ts';

/** The PROPOSAL_* switches the routes honour (fixed at startup, reported by supportability/config). */
export interface ProposalRouteFlags {
  readonly lifecycleEnabled: boolean;
  readonly supportApisEnabled: boolean;
  readonly asyncOperationsEnabled: boolean;
}

export type Gate = 'support' | 'async';

const GATE: Readonly<Record<Gate, { flag: keyof ProposalRouteFlags; code: ReasonCode }>> = {
  support: { flag: 'supportApisEnabled', code: 'PROPOSAL_SUPPORT_APIS_DISABLED' },
  async: { flag: 'asyncOperationsEnabled', code: 'PROPOSAL_ASYNC_OPERATIONS_DISABLED' },
};

/** The lifecycle switch first, then the route's own (as the reference orders them). */
export function gated(flags: ProposalRouteFlags, ...gates: Gate[]): onRequestHookHandler {
  return async () => {
    if (!flags.lifecycleEnabled) throw new HttpError(404, 'PROPOSAL_WORKFLOW_LIFECYCLE_DISABLED', 'The proposal lifecycle API is switched off.');
    for (const gate of gates) {
      const { flag, code } = GATE[gate];
      if (!flags[flag]) throw new HttpError(404, code, `${code}: switched off by configuration.`);
    }
  };
}

const STATUS: Readonly<Record<RefusalKind, number>> = { not_found: 404, conflict: 409, invalid: 422 };

/**
 * Lifecycle refusals become HTTP errors here; everything else goes on to the server's error
 * handler (Fastify hands an error rethrown by a plugin's handler to its parent's).
 */
export function mapRefusals(app: FastifyInstance): void {
  app.setErrorHandler(async (error) => {
    if (!(error instanceof LifecycleRefusal)) throw error;
    const fields = error.problems.map((p) => ({ field: `body.${p.field}`, code: p.code, message: p.message }));
    throw new HttpError(STATUS[error.kind], error.code, error.message, fields.length > 0 ? fields : undefined);
  });
}

export function headerValue(request: FastifyRequest, name: string): string | undefined {
  const raw = request.headers[name];
  const first = Array.isArray(raw) ? raw[0] : raw;
  return first === undefined || first.trim() === '' ? undefined : first.trim();
}

export function requiredIdempotencyKey(request: FastifyRequest): string {
  const key = headerValue(request, 'idempotency-key');
  if (key === undefined) {
    throw new HttpError(422, 'VALIDATION_ERROR', 'The Idempotency-Key header is required.', [
      { field: 'headers.idempotency-key', code: 'required', message: 'Idempotency-Key is required' },
    ]);
  }
  return key;
}
