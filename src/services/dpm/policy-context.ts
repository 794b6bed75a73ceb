/**
 * Policy packs on the hot paths (docs/dpm-api.md#policy-packs-on-simulate-and-analyze): which pack
 * applies to a simulate, analyze or async execution, and what the idempotency key must be compared
 * on.
 *
 * Unlike the reference, the catalog is read only when packs are enabled and a pack id was actually
 * selected, so a broken catalog backend cannot take down simulate while packs are off. Packs are
 * validated when they enter the catalog, so their overrides are always options the request
 * validation would accept.
 */
import {
  resolvePolicyPack,
  type PolicyPackDefinition,
  type PolicyPackResolution,
  type PolicyPackResolutionConfig,
} from '../../domain/policy-packs/index.ts';
import type { PolicyPackCatalog } from '../../stores/policy-pack-catalog/port.ts';

/** The request's policy headers (X-Tenant-Policy-Pack-Id is not read on these routes, as the reference). */
export interface PolicyHeaders {
  /** X-Policy-Pack-Id */
  readonly requestPolicyPackId: string | null;
  /** X-Tenant-Id */
  readonly tenantId: string | null;
}

export const NO_POLICY_HEADERS: PolicyHeaders = { requestPolicyPackId: null, tenantId: null };

export interface AppliedPolicyPack {
  readonly resolution: PolicyPackResolution;
  /** The selected pack's definition; null when none is selected or the id is not in the catalog. */
  readonly pack: PolicyPackDefinition | null;
  /** The catalog row revision of `pack` (changes on every admin upsert, even with the same version label). */
  readonly revision: number | null;
}

export interface PolicyPackSelector {
  select(headers: PolicyHeaders): Promise<AppliedPolicyPack>;
}

export function createPolicyPackSelector(deps: { readonly config: PolicyPackResolutionConfig; readonly catalog: PolicyPackCatalog }): PolicyPackSelector {
  return {
    async select(headers) {
      const resolution = resolvePolicyPack(deps.config, { requestPolicyPackId: headers.requestPolicyPackId, tenantId: headers.tenantId });
      const id = resolution.selected_policy_pack_id;
      if (!resolution.enabled || id === null) return { resolution, pack: null, revision: null };
      const stored = (await deps.catalog.snapshot()).packs.get(id) ?? null;
      return { resolution, pack: stored?.definition ?? null, revision: stored?.revision ?? null };
    },
  };
}

/**
 * What an Idempotency-Key is compared on: the engine's request hash, plus the applied pack (id,
 * version label and catalog revision) when one applies — so a replay never returns a result
 * computed under another pack (the reference ignored the pack). Without a pack it is exactly the
 * request hash.
 */
export function idempotencyFingerprint(requestHash: string, applied: AppliedPolicyPack): string {
  if (applied.pack === null) return requestHash;
  return `${requestHash};policy_pack=${applied.pack.policy_pack_id};version=${applied.pack.version};revision=${String(applied.revision)}`;
}

/** The request hash a fingerprint was made from: equal for the same request under different packs. */
export function requestHashOfFingerprint(fingerprint: string): string {
  return fingerprint.split(';policy_pack=')[0] ?? fingerprint;
}
