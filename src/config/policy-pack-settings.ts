/**
 * Policy packs (docs/policy-packs.md): the catalog's backend and where it keeps its packs, the
 * switches, the admin token, the default pack and tenant resolution, the replicas' cache.
 */
import { dsnVariable, enumVariable, flagVariable, integerVariable, textVariable, type ValuesOf, type Env } from './variables.ts';

import { POLICY_PACK_FEATURE_VARIABLES } from './feature-flags.ts';

export type PolicyPackCatalogBackend = 'ENV_JSON' | 'SQLITE' | 'POSTGRES';

export interface PolicyPackSettings {
  readonly catalogBackend: PolicyPackCatalogBackend;
  /** DPM_POLICY_PACK_POSTGRES_DSN exactly as given: the guardrail accepts no fallback. */
  readonly explicitPostgresDsn: string;
  /** The DSN the catalog connects to: the explicit one, or the DPM DSN when the variable is unset. */
  readonly postgresDsn: string;
  readonly sqlitePath: string;
  readonly catalogJson: string;
  readonly enabled: boolean;
  readonly adminApisEnabled: boolean;
  readonly adminToken: string;
  readonly defaultPolicyPackId: string;
  readonly tenantResolutionEnabled: boolean;
  /** Raw JSON; parsed and validated by the policy-pack domain at startup. */
  readonly tenantMapJson: string;
  readonly cacheTtlMs: number;
  /** Packs or their admin APIs are on, so the catalog is part of the persistence contract. */
  readonly catalogRequired: boolean;
}

export const POLICY_PACK_VARIABLES = {
  catalogBackend: enumVariable({
    name: 'DPM_POLICY_PACK_CATALOG_BACKEND',
    description: 'Where the policy-pack catalog is read from. ENV_JSON is read-only.',
    values: ['ENV_JSON', 'SQLITE', 'POSTGRES'],
    defaultValue: 'ENV_JSON',
    invalidCode: 'DPM_POLICY_PACK_CATALOG_BACKEND_INVALID',
  }),
  catalogDsn: dsnVariable({
    name: 'DPM_POLICY_PACK_POSTGRES_DSN',
    description:
      'PostgreSQL DSN of the policy-pack catalog. When unset the catalog uses DPM_SUPPORTABILITY_POSTGRES_DSN, but PRODUCTION with packs enabled requires it explicitly.',
    invalidCode: 'DPM_POLICY_PACK_POSTGRES_DSN_INVALID',
    requiredCode: 'DPM_POLICY_PACK_POSTGRES_DSN_REQUIRED',
  }),
  catalogSqlitePath: textVariable({
    name: 'DPM_POLICY_PACK_SQLITE_PATH',
    description: 'SQLite file of the policy-pack catalog (backend SQLITE).',
    defaultValue: '.data/dpm_policy_packs.db',
    allowed: 'file path (parent folder is created)',
  }),
  catalogJson: textVariable({
    name: 'DPM_POLICY_PACK_CATALOG_JSON',
    description: 'The ENV_JSON catalog: a JSON object {policy_pack_id: definition}.',
    defaultValue: '',
    defaultText: '(empty catalog)',
    allowed: 'JSON object',
  }),
  packsEnabled: flagVariable({
    name: 'DPM_POLICY_PACKS_ENABLED',
    description: 'Apply policy packs to simulations. Makes the catalog part of the PRODUCTION contract.',
    defaultValue: false,
  }),
  ...POLICY_PACK_FEATURE_VARIABLES,
  adminToken: textVariable({
    name: 'DPM_POLICY_PACK_ADMIN_TOKEN',
    description: 'Bearer token required by the policy-pack admin APIs (required in PRODUCTION when they are enabled). Never logged.',
    defaultValue: '',
    allowed: 'secret text',
    secret: true,
  }),
  defaultPolicyPackId: textVariable({
    name: 'DPM_DEFAULT_POLICY_PACK_ID',
    description: 'Policy pack applied when the request names none (and no tenant mapping applies).',
    defaultValue: '',
    defaultText: '(none)',
    allowed: 'policy pack id',
  }),
  tenantResolutionEnabled: flagVariable({
    name: 'DPM_TENANT_POLICY_PACK_RESOLUTION_ENABLED',
    description: 'Resolve the policy pack from X-Tenant-Id through DPM_TENANT_POLICY_PACK_MAP_JSON.',
    defaultValue: false,
  }),
  tenantMapJson: textVariable({
    name: 'DPM_TENANT_POLICY_PACK_MAP_JSON',
    description: 'Tenant → policy pack id map, a JSON object {"tenant": "pack"}. Invalid JSON or entries refuse to start.',
    defaultValue: '',
    defaultText: '(empty map)',
    allowed: 'JSON object',
  }),
  catalogCacheTtlMs: integerVariable({
    name: 'DPM_POLICY_PACK_CACHE_TTL_MS',
    description: 'Longest a replica serves its cached catalog before checking the database for another replica\'s change.',
    defaultValue: 1_000,
    min: 0,
    max: 60_000,
  }),
} as const;

/** `dpmDsn`: the DPM store's DSN, which the catalog falls back to when its own variable is absent. */
export function policyPackSettings(env: Env, v: ValuesOf<typeof POLICY_PACK_VARIABLES>, dpmDsn: string): PolicyPackSettings {
  // The runtime fallback applies only when the variable is absent, as in the reference.
  const catalogDsnUnset = env[POLICY_PACK_VARIABLES.catalogDsn.name] === undefined;
  return {
    catalogBackend: v.catalogBackend,
    explicitPostgresDsn: v.catalogDsn,
    postgresDsn: catalogDsnUnset ? dpmDsn : v.catalogDsn,
    sqlitePath: v.catalogSqlitePath,
    catalogJson: v.catalogJson,
    enabled: v.packsEnabled,
    adminApisEnabled: v['policyPackFeature.admin'],
    adminToken: v.adminToken,
    defaultPolicyPackId: v.defaultPolicyPackId,
    tenantResolutionEnabled: v.tenantResolutionEnabled,
    tenantMapJson: v.tenantMapJson,
    cacheTtlMs: v.catalogCacheTtlMs,
    catalogRequired: v.packsEnabled || v['policyPackFeature.admin'],
  };
}
