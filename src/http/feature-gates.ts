/**
 * Feature gates (docs/architecture.md#a-route). A switched-off route answers 404
 * `<FEATURE>_DISABLED`, and every gate of every route group runs at one point: `onRequest`, after
 * authentication and before the body is read, validated or any store is touched. A switched-off
 * route so behaves as if it did not exist: a malformed body to it is a 404 too, it costs nothing,
 * and a store outage never shows through it (the reference validated first and opened its store,
 * so a disabled route could answer 422 or 503).
 */
import type { onRequestAsyncHookHandler } from 'fastify';
import { ReasonError } from '../config/reason-codes.ts';
import { DPM_FEATURES, type DpmFeature, type DpmFeatureFlags, type FeatureFlag } from '../config/feature-flags.ts';

/** A switch of the table and whether it is on: its code answers when it is off, its variable is named in the message. */
export interface FeatureGate extends Pick<FeatureFlag, 'code' | 'variable'> {
  readonly enabled: boolean;
}

export function featureGate(flag: FeatureFlag, enabled: boolean): FeatureGate {
  return { code: flag.code, variable: flag.variable, enabled };
}

/** An onRequest hook checking the gates in order; the first closed one answers. */
export function requireFeatures(...gates: readonly FeatureGate[]): onRequestAsyncHookHandler {
  return async () => {
    const closed = gates.find((gate) => !gate.enabled);
    if (closed) throw new ReasonError(closed.code, `This route is disabled; set ${closed.variable}=true to enable it.`);
  };
}

/** One gate per DPM switch, named as in the table (src/config/feature-flags.ts). */
export type DpmGates = { readonly [K in DpmFeature]: FeatureGate };

export function dpmGates(flags: DpmFeatureFlags): DpmGates {
  return Object.fromEntries(
    Object.entries(DPM_FEATURES).map(([key, flag]) => [key, featureGate(flag, flags[key as DpmFeature])]),
  ) as DpmGates;
}
