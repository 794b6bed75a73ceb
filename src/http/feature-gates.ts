/**
 * Feature gates. A gated route answers 404 `<FEATURE>_DISABLED` when its flag is off — after
 * request validation (so a malformed request is still a 422) but before the handler, so a
 * disabled route never touches a store (unlike the reference, where a store outage showed
 * through disabled routes as 503).
 */
import type { preHandlerAsyncHookHandler } from 'fastify';
import { ReasonError, type ReasonCode } from '../config/reason-codes.ts';
import { DPM_FEATURES, type DpmFeature, type DpmFeatureFlags } from '../config/feature-flags.ts';

export interface FeatureGate {
  readonly enabled: boolean;
  readonly code: ReasonCode;
  /** The variable that turns it on, named in the error message. */
  readonly variable: string;
}

/** A preHandler checking the gates in order; the first closed one answers. */
export function requireFeatures(...gates: readonly FeatureGate[]): preHandlerAsyncHookHandler {
  return async () => {
    const closed = gates.find((gate) => !gate.enabled);
    if (closed) throw new ReasonError(closed.code, `This route is disabled; set ${closed.variable}=true to enable it.`);
  };
}

/** One gate per DPM switch, named as in the table (src/config/feature-flags.ts). */
export type DpmGates = { readonly [K in DpmFeature]: FeatureGate };

export function dpmGates(flags: DpmFeatureFlags): DpmGates {
  return Object.fromEntries(
    Object.entries(DPM_FEATURES).map(([key, flag]) => [key, { enabled: flags[key as DpmFeature], code: flag.code, variable: flag.variable }]),
  ) as DpmGates;
}
