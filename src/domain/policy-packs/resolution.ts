/**
 * Which policy pack applies to a request (docs/policy-packs.md#resolution).
 *
 * 1. When the tenant default id is absent (`undefined`/`null`: header not sent), the tenant
 *    resolver is asked: with tenant resolution on, `tenantMap[trim(tenantId)]`; off → none.
 *    A header that is present, even whitespace-only, skips the resolver.
 * 2. Packs disabled → `{ enabled: false, selected: null, source: 'DISABLED' }`.
 * 3. Each candidate is trimmed (empty → absent); the first present wins:
 *    request → REQUEST, tenant default → TENANT_DEFAULT, global default → GLOBAL_DEFAULT, else NONE.
 */

export const POLICY_PACK_SOURCES = ['DISABLED', 'REQUEST', 'TENANT_DEFAULT', 'GLOBAL_DEFAULT', 'NONE'] as const;
export type PolicyPackSource = (typeof POLICY_PACK_SOURCES)[number];

export interface PolicyPackResolution {
  readonly enabled: boolean;
  readonly selected_policy_pack_id: string | null;
  readonly source: PolicyPackSource;
}

/** The configuration resolution reads (captured once at startup by the caller). */
export interface PolicyPackResolutionConfig {
  /** DPM_POLICY_PACKS_ENABLED */
  readonly enabled: boolean;
  /** DPM_DEFAULT_POLICY_PACK_ID ('' or undefined = none) */
  readonly defaultPolicyPackId?: string | null;
  /** DPM_TENANT_POLICY_PACK_RESOLUTION_ENABLED */
  readonly tenantResolutionEnabled: boolean;
  /** DPM_TENANT_POLICY_PACK_MAP_JSON, parsed by `parseTenantPolicyPackMap` */
  readonly tenantPolicyPackMap: Readonly<Record<string, string>>;
}

export interface PolicyPackRequestContext {
  /** Header X-Policy-Pack-Id */
  readonly requestPolicyPackId?: string | null;
  /** Header X-Tenant-Policy-Pack-Id (accepted only by /policies/effective and /policies/catalog) */
  readonly tenantDefaultPolicyPackId?: string | null;
  /** Header X-Tenant-Id */
  readonly tenantId?: string | null;
}

function present(value: string | null | undefined): string | null {
  if (value === undefined || value === null) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** The tenant resolver: the mapped pack of a tenant, or null. */
export function resolveTenantPolicyPackId(config: PolicyPackResolutionConfig, tenantId: string | null | undefined): string | null {
  if (!config.tenantResolutionEnabled) return null;
  const tenant = present(tenantId);
  if (tenant === null) return null;
  return Object.prototype.hasOwnProperty.call(config.tenantPolicyPackMap, tenant) ? (config.tenantPolicyPackMap[tenant] ?? null) : null;
}

export function resolvePolicyPack(config: PolicyPackResolutionConfig, context: PolicyPackRequestContext): PolicyPackResolution {
  const tenantDefault =
    context.tenantDefaultPolicyPackId === undefined || context.tenantDefaultPolicyPackId === null
      ? resolveTenantPolicyPackId(config, context.tenantId)
      : context.tenantDefaultPolicyPackId;
  if (!config.enabled) return { enabled: false, selected_policy_pack_id: null, source: 'DISABLED' };
  const candidates: readonly [string | null, PolicyPackSource][] = [
    [present(context.requestPolicyPackId), 'REQUEST'],
    [present(tenantDefault), 'TENANT_DEFAULT'],
    [present(config.defaultPolicyPackId), 'GLOBAL_DEFAULT'],
  ];
  for (const [id, source] of candidates) if (id !== null) return { enabled: true, selected_policy_pack_id: id, source };
  return { enabled: true, selected_policy_pack_id: null, source: 'NONE' };
}

export interface TenantMapParseResult {
  readonly map: Readonly<Record<string, string>>;
  /** What was wrong or skipped; empty when the value was clean. The caller decides whether to refuse to start. */
  readonly problems: readonly string[];
}

/**
 * DPM_TENANT_POLICY_PACK_MAP_JSON → `{tenant: pack}`. As the reference: keys and values are
 * trimmed, non-string or empty ones are skipped, invalid JSON or a non-object gives `{}`.
 * Unlike the reference, every skip is reported in `problems` so configuration can surface it.
 */
export function parseTenantPolicyPackMap(raw: string | undefined | null): TenantMapParseResult {
  if (raw === undefined || raw === null || raw.trim() === '') return { map: {}, problems: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { map: {}, problems: ['not valid JSON'] };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { map: {}, problems: ['not a JSON object'] };
  const map: Record<string, string> = {};
  const problems: string[] = [];
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    const tenant = key.trim();
    if (typeof value !== 'string') {
      problems.push(`tenant ${JSON.stringify(key)}: the pack id is not a string`);
      continue;
    }
    const pack = value.trim();
    if (tenant === '' || pack === '') {
      problems.push(`tenant ${JSON.stringify(key)}: empty tenant or pack id`);
      continue;
    }
    map[tenant] = pack;
  }
  return { map, problems };
}
