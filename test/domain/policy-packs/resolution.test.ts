import { describe, expect, it } from 'vitest';
import { parseTenantPolicyPackMap, resolvePolicyPack, type PolicyPackResolutionConfig } from '../../../src/domain/policy-packs/resolution.ts';

const config = (overrides: Partial<PolicyPackResolutionConfig> = {}): PolicyPackResolutionConfig => ({
  enabled: true,
  defaultPolicyPackId: 'global',
  tenantResolutionEnabled: true,
  tenantPolicyPackMap: { acme: 'acme_pack' },
  ...overrides,
});

describe('resolvePolicyPack precedence', () => {
  it('REQUEST beats tenant default and global default', () => {
    expect(resolvePolicyPack(config(), { requestPolicyPackId: ' req ', tenantDefaultPolicyPackId: 'tdef', tenantId: 'acme' })).toEqual({
      enabled: true,
      selected_policy_pack_id: 'req',
      source: 'REQUEST',
    });
  });

  it('the tenant-default header beats the tenant map', () => {
    expect(resolvePolicyPack(config(), { tenantDefaultPolicyPackId: 'tdef', tenantId: 'acme' })).toMatchObject({
      selected_policy_pack_id: 'tdef',
      source: 'TENANT_DEFAULT',
    });
  });

  it('the tenant map (trimmed tenant id) is a TENANT_DEFAULT when the header is absent', () => {
    expect(resolvePolicyPack(config(), { tenantId: ' acme ' })).toMatchObject({ selected_policy_pack_id: 'acme_pack', source: 'TENANT_DEFAULT' });
  });

  it('a whitespace-only tenant-default header skips the resolver and falls to the global default', () => {
    expect(resolvePolicyPack(config(), { tenantDefaultPolicyPackId: '   ', tenantId: 'acme' })).toMatchObject({
      selected_policy_pack_id: 'global',
      source: 'GLOBAL_DEFAULT',
    });
  });

  it('tenant resolution off ignores the map', () => {
    expect(resolvePolicyPack(config({ tenantResolutionEnabled: false }), { tenantId: 'acme' })).toMatchObject({ source: 'GLOBAL_DEFAULT' });
  });

  it('an unknown tenant and no default gives NONE; an empty request id counts as absent', () => {
    expect(resolvePolicyPack(config({ defaultPolicyPackId: ' ' }), { requestPolicyPackId: '  ', tenantId: 'other' })).toEqual({
      enabled: true,
      selected_policy_pack_id: null,
      source: 'NONE',
    });
  });

  it('disabled packs → DISABLED, whatever the headers say', () => {
    expect(resolvePolicyPack(config({ enabled: false }), { requestPolicyPackId: 'req' })).toEqual({
      enabled: false,
      selected_policy_pack_id: null,
      source: 'DISABLED',
    });
  });
});

describe('parseTenantPolicyPackMap', () => {
  it('trims keys and values and skips non-strings and empties, reporting each', () => {
    const result = parseTenantPolicyPackMap('{" acme ":" p1 ","bad":3,"":"x","empty":"  "}');
    expect(result.map).toEqual({ acme: 'p1' });
    expect(result.problems).toHaveLength(3);
  });

  it('invalid JSON or a non-object gives {} with a problem; unset gives {} silently', () => {
    expect(parseTenantPolicyPackMap('{nope')).toEqual({ map: {}, problems: ['not valid JSON'] });
    expect(parseTenantPolicyPackMap('[1]')).toEqual({ map: {}, problems: ['not a JSON object'] });
    expect(parseTenantPolicyPackMap(undefined)).toEqual({ map: {}, problems: [] });
  });
});
