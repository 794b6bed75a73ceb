/**
 * Wires policy packs: the resolution settings checked against the domain's vocabulary (before any
 * store opens), the selector simulations ask for their pack, and the catalog routes.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { AuthMode } from '../config/auth.ts';
import type { Settings } from '../config/settings.ts';
import type { Violation } from '../config/variables.ts';
import { parseTenantPolicyPackMap, type PolicyPackResolutionConfig } from '../domain/policy-packs/index.ts';
import { policyPackRoutes } from '../http/routes/policy-packs/catalog.ts';
import { createPolicyPackSelector, type PolicyPackSelector } from '../services/dpm/policy-context.ts';
import type { PolicyPackCatalog } from '../stores/policy-pack-catalog/port.ts';

/** How a simulation's pack is chosen, as the settings give it. */
type PackResolution = PolicyPackResolutionConfig & { readonly defaultPolicyPackId: string };

/** How a simulation's pack is chosen, or every problem of DPM_TENANT_POLICY_PACK_MAP_JSON. */
export function policyPackResolution(
  settings: Settings['policyPacks'],
): { readonly ok: true; readonly resolution: PackResolution } | { readonly ok: false; readonly violations: readonly Violation[] } {
  const tenantMap = parseTenantPolicyPackMap(settings.tenantMapJson);
  if (tenantMap.problems.length > 0) {
    return {
      ok: false,
      violations: [
        { code: 'DPM_TENANT_POLICY_PACK_MAP_JSON_INVALID', variable: 'DPM_TENANT_POLICY_PACK_MAP_JSON', message: `DPM_TENANT_POLICY_PACK_MAP_JSON: ${tenantMap.problems.join('; ')}.` },
      ],
    };
  }
  return {
    ok: true,
    resolution: {
      enabled: settings.enabled,
      defaultPolicyPackId: settings.defaultPolicyPackId,
      tenantResolutionEnabled: settings.tenantResolutionEnabled,
      tenantPolicyPackMap: tenantMap.map,
    },
  };
}

export function wirePolicyPacks(options: {
  readonly catalog: PolicyPackCatalog;
  readonly resolution: PackResolution;
  readonly settings: Settings['policyPacks'];
  /** With JWT authentication the admin routes take the caller's roles instead of the admin token. */
  readonly accessMode: AuthMode;
}): { readonly selector: PolicyPackSelector; readonly routes: readonly FastifyPluginAsync[] } {
  const { catalog, resolution, settings } = options;
  return {
    selector: createPolicyPackSelector({ config: resolution, catalog }),
    routes: [
      policyPackRoutes({
        catalog,
        settings: {
          ...resolution,
          adminApisEnabled: settings.adminApisEnabled,
          adminToken: settings.adminToken,
          adminAuthorisation: options.accessMode === 'JWT' ? 'ROLES' : 'TOKEN',
        },
      }),
    ],
  };
}
