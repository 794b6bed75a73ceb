/**
 * The policy-pack headers of simulate, analyze and analyze/async
 * (docs/dpm-api.md#policy-packs-on-simulate-and-analyze). Blank values count as absent;
 * X-Tenant-Policy-Pack-Id is deliberately not read here (only the policy routes take it).
 */
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { PolicyHeaders } from '../services/dpm/policy-context.ts';
import { Identifier } from './schema-kit.ts';
import { headerValue } from './headers.ts';

export const POLICY_HEADER_SCHEMAS = {
  'x-policy-pack-id': Type.Optional(Identifier({ description: 'Policy pack to apply (when DPM_POLICY_PACKS_ENABLED); wins over the tenant and global defaults.' })),
  'x-tenant-id': Type.Optional(Identifier({ description: "Selects the tenant's default pack when DPM_TENANT_POLICY_PACK_RESOLUTION_ENABLED." })),
};

export function policyHeaders(request: FastifyRequest): PolicyHeaders {
  return { requestPolicyPackId: headerValue(request, 'x-policy-pack-id') ?? null, tenantId: headerValue(request, 'x-tenant-id') ?? null };
}
