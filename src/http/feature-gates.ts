/**
 * Feature gates. A gated route answers 404 `<FEATURE>_DISABLED` when its flag is off — after
 * request validation (so a malformed request is still a 422) but before the handler, so a
 * disabled route never touches a store (unlike the reference, where a store outage showed
 * through disabled routes as 503).
 */
import type { preHandlerAsyncHookHandler } from 'fastify';
import { ReasonError, type ReasonCode } from '../config/reason-codes.ts';
import type { DpmFeatureFlags } from '../config/settings.ts';

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

export interface DpmGates {
  readonly support: FeatureGate;
  readonly asyncOperations: FeatureGate;
  readonly manualExecution: FeatureGate;
  readonly artifacts: FeatureGate;
  readonly workflow: FeatureGate;
  readonly lineage: FeatureGate;
  readonly idempotencyHistory: FeatureGate;
  readonly summary: FeatureGate;
  readonly supportBundle: FeatureGate;
}

export function dpmGates(flags: DpmFeatureFlags): DpmGates {
  return {
    support: { enabled: flags.supportApis, code: 'DPM_SUPPORT_APIS_DISABLED', variable: 'DPM_SUPPORT_APIS_ENABLED' },
    asyncOperations: { enabled: flags.asyncOperations, code: 'DPM_ASYNC_OPERATIONS_DISABLED', variable: 'DPM_ASYNC_OPERATIONS_ENABLED' },
    manualExecution: { enabled: flags.manualExecution, code: 'DPM_ASYNC_MANUAL_EXECUTION_DISABLED', variable: 'DPM_ASYNC_MANUAL_EXECUTION_ENABLED' },
    artifacts: { enabled: flags.artifacts, code: 'DPM_ARTIFACTS_DISABLED', variable: 'DPM_ARTIFACTS_ENABLED' },
    workflow: { enabled: flags.workflow, code: 'DPM_WORKFLOW_DISABLED', variable: 'DPM_WORKFLOW_ENABLED' },
    lineage: { enabled: flags.lineageApis, code: 'DPM_LINEAGE_APIS_DISABLED', variable: 'DPM_LINEAGE_APIS_ENABLED' },
    idempotencyHistory: {
      enabled: flags.idempotencyHistoryApis,
      code: 'DPM_IDEMPOTENCY_HISTORY_APIS_DISABLED',
      variable: 'DPM_IDEMPOTENCY_HISTORY_APIS_ENABLED',
    },
    summary: { enabled: flags.summaryApis, code: 'DPM_SUPPORTABILITY_SUMMARY_APIS_DISABLED', variable: 'DPM_SUPPORTABILITY_SUMMARY_APIS_ENABLED' },
    supportBundle: { enabled: flags.supportBundleApis, code: 'DPM_SUPPORT_BUNDLE_APIS_DISABLED', variable: 'DPM_SUPPORT_BUNDLE_APIS_ENABLED' },
  };
}
