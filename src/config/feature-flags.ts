/**
 * The route switches, declared once. Each row is everything about one switch: the variable that
 * turns it (read with the other settings, listed in docs/configuration.md), its default, what it
 * serves, and the 404 code a switched-off route answers. The HTTP gates (src/http/feature-gates.ts)
 * are built from the same rows, so a switch cannot be read under one name and refused under another.
 */
import type { ReasonCode } from './reason-codes.ts';
import { flagVariable, type Variable } from './variables.ts';

export interface FeatureFlag {
  readonly variable: string;
  /** What a switched-off route answers (404). */
  readonly code: ReasonCode;
  /** What the switch serves, for the configuration reference. */
  readonly serves: string;
  readonly defaultValue: boolean;
}

export const DPM_FEATURES = {
  support: {
    variable: 'DPM_SUPPORT_APIS_ENABLED',
    code: 'DPM_SUPPORT_APIS_DISABLED',
    serves: 'Run lookups, listing and every other supportability route',
    defaultValue: true,
  },
  asyncOperations: {
    variable: 'DPM_ASYNC_OPERATIONS_ENABLED',
    code: 'DPM_ASYNC_OPERATIONS_DISABLED',
    serves: 'POST /rebalance/analyze/async and the operation routes',
    defaultValue: true,
  },
  manualExecution: {
    variable: 'DPM_ASYNC_MANUAL_EXECUTION_ENABLED',
    code: 'DPM_ASYNC_MANUAL_EXECUTION_DISABLED',
    serves: 'POST /rebalance/operations/{id}/execute',
    defaultValue: true,
  },
  artifacts: { variable: 'DPM_ARTIFACTS_ENABLED', code: 'DPM_ARTIFACTS_DISABLED', serves: 'GET /rebalance/runs/{id}/artifact', defaultValue: true },
  workflow: { variable: 'DPM_WORKFLOW_ENABLED', code: 'DPM_WORKFLOW_DISABLED', serves: 'The run review workflow routes', defaultValue: false },
  lineage: { variable: 'DPM_LINEAGE_APIS_ENABLED', code: 'DPM_LINEAGE_APIS_DISABLED', serves: 'GET /rebalance/lineage/{entity_id}', defaultValue: false },
  idempotencyHistory: {
    variable: 'DPM_IDEMPOTENCY_HISTORY_APIS_ENABLED',
    code: 'DPM_IDEMPOTENCY_HISTORY_APIS_DISABLED',
    serves: 'GET /rebalance/idempotency/{key}/history',
    defaultValue: false,
  },
  summary: {
    variable: 'DPM_SUPPORTABILITY_SUMMARY_APIS_ENABLED',
    code: 'DPM_SUPPORTABILITY_SUMMARY_APIS_DISABLED',
    serves: 'GET /rebalance/supportability/summary',
    defaultValue: true,
  },
  supportBundle: {
    variable: 'DPM_SUPPORT_BUNDLE_APIS_ENABLED',
    code: 'DPM_SUPPORT_BUNDLE_APIS_DISABLED',
    serves: 'The four support-bundle routes',
    defaultValue: true,
  },
} as const satisfies Record<string, FeatureFlag>;

export const PROPOSAL_FEATURES = {
  lifecycle: {
    variable: 'PROPOSAL_WORKFLOW_LIFECYCLE_ENABLED',
    code: 'PROPOSAL_WORKFLOW_LIFECYCLE_DISABLED',
    serves: 'The advisory proposal lifecycle routes, except supportability/config',
    defaultValue: true,
  },
  support: {
    variable: 'PROPOSAL_SUPPORT_APIS_ENABLED',
    code: 'PROPOSAL_SUPPORT_APIS_DISABLED',
    serves: 'The proposal workflow-events, approvals (GET), lineage and idempotency lookups',
    defaultValue: true,
  },
  async: {
    variable: 'PROPOSAL_ASYNC_OPERATIONS_ENABLED',
    code: 'PROPOSAL_ASYNC_OPERATIONS_DISABLED',
    serves: 'The async proposal create/version routes and operation lookups',
    defaultValue: true,
  },
} as const satisfies Record<string, FeatureFlag>;

export const POLICY_PACK_FEATURES = {
  admin: {
    variable: 'DPM_POLICY_PACK_ADMIN_APIS_ENABLED',
    code: 'DPM_POLICY_PACK_ADMIN_APIS_DISABLED',
    serves: 'PUT and DELETE /rebalance/policies/catalog/{id}; makes the catalog part of the PRODUCTION contract',
    defaultValue: false,
  },
} as const satisfies Record<string, FeatureFlag>;

export type DpmFeature = keyof typeof DPM_FEATURES;
export type ProposalFeature = keyof typeof PROPOSAL_FEATURES;

/** Which DPM routes are switched on, fixed at startup. */
export type DpmFeatureFlags = { readonly [K in DpmFeature]: boolean };

/** The settings keys of a table's variables: `dpmFeature.support` and so on. */
type SwitchVariables<P extends string, K extends string> = { readonly [Key in K as `${P}.${Key}`]: Variable<boolean> };

function switchVariables<P extends string, K extends string>(prefix: P, table: Readonly<Record<K, FeatureFlag>>): SwitchVariables<P, K> {
  return Object.fromEntries(
    Object.entries<FeatureFlag>(table).map(([key, flag]) => [
      `${prefix}.${key}`,
      flagVariable({ name: flag.variable, description: `${flag.serves} (off: 404 ${flag.code}).`, defaultValue: flag.defaultValue }),
    ]),
  ) as SwitchVariables<P, K>;
}

export const DPM_FEATURE_VARIABLES = switchVariables('dpmFeature', DPM_FEATURES);
export const PROPOSAL_FEATURE_VARIABLES = switchVariables('proposalFeature', PROPOSAL_FEATURES);
export const POLICY_PACK_FEATURE_VARIABLES = switchVariables('policyPackFeature', POLICY_PACK_FEATURES);

/** The DPM switches' values out of the settings values read from the environment. */
export function dpmFeatureFlags(values: { readonly [K in DpmFeature as `dpmFeature.${K}`]: boolean }): DpmFeatureFlags {
  return Object.fromEntries(Object.keys(DPM_FEATURES).map((key) => [key, values[`dpmFeature.${key as DpmFeature}`]])) as DpmFeatureFlags;
}
