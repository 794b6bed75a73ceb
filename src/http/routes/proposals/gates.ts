/**
 * What the proposal lifecycle routes share: their feature gates.
 *
 * Gates are the same as every route group's (src/http/feature-gates.ts), declared with the
 * switches in src/config/feature-flags.ts.
 */
import type { onRequestAsyncHookHandler } from 'fastify';
import { PROPOSAL_FEATURES, type ProposalFeature } from '../../../config/feature-flags.ts';
import type { ReasonCode } from '../../../config/reason-codes.ts';
import { featureGate, requireFeatures } from '../../feature-gates.ts';

/** The PROPOSAL_* switches the routes honour (fixed at startup, reported by supportability/config). */
export interface ProposalRouteFlags {
  readonly lifecycleEnabled: boolean;
  readonly supportApisEnabled: boolean;
  readonly asyncOperationsEnabled: boolean;
}

export type Gate = Exclude<ProposalFeature, 'lifecycle'>;

const FLAG_OF: Readonly<Record<ProposalFeature, keyof ProposalRouteFlags>> = {
  lifecycle: 'lifecycleEnabled',
  support: 'supportApisEnabled',
  async: 'asyncOperationsEnabled',
};

/** The codes a route behind these gates can be refused with, in the order they are checked. */
export function gateCodes(...gates: Gate[]): ReasonCode[] {
  return (['lifecycle', ...gates] as const).map((feature) => PROPOSAL_FEATURES[feature].code);
}

/** The lifecycle switch first, then the route's own (as the reference orders them). */
export function gated(flags: ProposalRouteFlags, ...gates: Gate[]): onRequestAsyncHookHandler {
  return requireFeatures(
    ...(['lifecycle', ...gates] as const).map((feature) => featureGate(PROPOSAL_FEATURES[feature], flags[FLAG_OF[feature]])),
  );
}
