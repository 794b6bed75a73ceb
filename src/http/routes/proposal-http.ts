/**
 * What the proposal lifecycle routes share: the feature gates and header reading.
 *
 * Gates run in `onRequest`, before the body is parsed and before any store access, so a
 * switched-off API reveals nothing and costs nothing (the reference validated the body first
 * and opened its repository even for a disabled route).
 */
import type { FastifyRequest, onRequestHookHandler } from 'fastify';
import { ReasonError, type ReasonCode } from '../../config/reason-codes.ts';

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

/** The codes a route behind these gates can be refused with, in the order they are checked. */
export function gateCodes(...gates: Gate[]): ReasonCode[] {
  return ['PROPOSAL_WORKFLOW_LIFECYCLE_DISABLED', ...gates.map((gate) => GATE[gate].code)];
}

/** The lifecycle switch first, then the route's own (as the reference orders them). */
export function gated(flags: ProposalRouteFlags, ...gates: Gate[]): onRequestHookHandler {
  return async () => {
    if (!flags.lifecycleEnabled) throw new ReasonError('PROPOSAL_WORKFLOW_LIFECYCLE_DISABLED', 'The proposal lifecycle API is switched off.');
    for (const gate of gates) {
      const { flag, code } = GATE[gate];
      if (!flags[flag]) throw new ReasonError(code, `${code}: switched off by configuration.`);
    }
  };
}

export function headerValue(request: FastifyRequest, name: string): string | undefined {
  const raw = request.headers[name];
  const first = Array.isArray(raw) ? raw[0] : raw;
  return first === undefined || first.trim() === '' ? undefined : first.trim();
}
