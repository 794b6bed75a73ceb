/**
 * Policy-pack routes (docs/policy-packs.md#http-api).
 *
 * - GET /rebalance/policies/effective          resolution only; never touches the catalog
 * - GET /rebalance/policies/catalog            catalog + selection context
 * - GET /rebalance/policies/catalog/{id}       one pack (ungated, as the reference)
 * - PUT /rebalance/policies/catalog/{id}       upsert  (admin)
 * - DELETE /rebalance/policies/catalog/{id}    delete  (admin)
 *
 * Admin check order (in `onRequest`, before the body is even parsed, so nothing reaches the
 * store and an unauthenticated caller learns nothing about the schema):
 * DPM_POLICY_PACK_ADMIN_APIS_ENABLED off → 404 DPM_POLICY_PACK_ADMIN_APIS_DISABLED (its switch-table gate);
 * with API_AUTH_MODE=NONE, bearer token missing or not DPM_POLICY_PACK_ADMIN_TOKEN → 401
 * DPM_POLICY_PACK_ADMIN_UNAUTHORIZED (with JWT the access guard has already required the
 * policy_packs.admin permission, and the audit records the token's subject);
 * ENV_JSON catalog → 409 DPM_POLICY_PACK_CATALOG_READ_ONLY; then body validation → 422. Store
 * outages reach the common error handler like every other route's (503, counted in
 * dpm_rebalance_store_errors_total).
 * (The reference validated the body before the admin gate; checking the gate first is deliberate.)
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { ReasonError, type ReasonCode } from '../../../config/reason-codes.ts';
import { redactUrl } from '../../../config/redact.ts';
import { parsePolicyPackDefinition, POLICY_PACK_ID_PATTERN, type PolicyPackDefinition } from '../../../domain/policy-packs/model.ts';
import { POLICY_PACK_SOURCES, resolvePolicyPack, type PolicyPackResolutionConfig } from '../../../domain/policy-packs/resolution.ts';
import type { PolicyPackCatalog } from '../../../stores/policy-pack-catalog/port.ts';
import { bearerToken } from '../../auth/guard.ts';
import { ADMIN_SECURITY_SCHEME } from '../../openapi/document.ts';
import { TAGS } from '../../openapi/tags.ts';
import { Identifier, Nullable, Text } from '../../schema-kit.ts';
import { headerValue } from '../../headers.ts';
import { featureGate, requireFeatures } from '../../feature-gates.ts';
import { POLICY_PACK_FEATURES } from '../../../config/feature-flags.ts';

/** What the routes need from configuration (captured once at startup). */
export interface PolicyPackRouteSettings extends PolicyPackResolutionConfig {
  /** DPM_POLICY_PACKS_ENABLED */
  readonly enabled: boolean;
  /** DPM_POLICY_PACK_ADMIN_APIS_ENABLED */
  readonly adminApisEnabled: boolean;
  /** DPM_POLICY_PACK_ADMIN_TOKEN; empty means no admin call can authenticate. */
  readonly adminToken: string;
  /** TOKEN (default): admin calls present DPM_POLICY_PACK_ADMIN_TOKEN (API_AUTH_MODE=NONE); ROLES: the policy_packs.admin permission decides. */
  readonly adminAuthorisation?: 'TOKEN' | 'ROLES';
  /** DPM_DEFAULT_POLICY_PACK_ID ('' = none) */
  readonly defaultPolicyPackId: string;
  /** DPM_TENANT_POLICY_PACK_RESOLUTION_ENABLED */
  readonly tenantResolutionEnabled: boolean;
  /** DPM_TENANT_POLICY_PACK_MAP_JSON, parsed with parseTenantPolicyPackMap */
  readonly tenantPolicyPackMap: Readonly<Record<string, string>>;
}

export interface PolicyPackRouteDeps {
  readonly catalog: PolicyPackCatalog;
  readonly settings: PolicyPackRouteSettings;
}

// ── Schemas ──────────────────────────────────────────────────────────────────────────────

const TAG = TAGS.support;
const STORE_DOWN = 'DPM_POLICY_PACK_POSTGRES_UNAVAILABLE';
/** What an admin call can be refused with before its own work (the gate, in order). */
const adminRefusals = (authorisation: 'TOKEN' | 'ROLES'): readonly ReasonCode[] =>
  authorisation === 'TOKEN'
    ? ['DPM_POLICY_PACK_ADMIN_APIS_DISABLED', 'DPM_POLICY_PACK_ADMIN_UNAUTHORIZED', 'DPM_POLICY_PACK_CATALOG_READ_ONLY']
    : ['DPM_POLICY_PACK_ADMIN_APIS_DISABLED', 'DPM_POLICY_PACK_CATALOG_READ_ONLY'];
const DecimalOut = (description: string) => Nullable(Type.String({ description: `${description} Decimal as a string.` }));
const DecimalIn = (description: string) => Type.Optional(Nullable(Type.Union([Type.String(), Type.Number()], { description })));
const BoolIn = (description: string) => Type.Optional(Nullable(Type.Boolean({ description })));

const EXAMPLE_DEFINITION: PolicyPackDefinition = {
  policy_pack_id: 'dpm_standard_v1',
  version: '1',
  turnover_policy: { max_turnover_pct: '0.15' },
  tax_policy: { enable_tax_awareness: true, max_realized_capital_gains: '100' },
  settlement_policy: { enable_settlement_awareness: null, settlement_horizon_days: null },
  constraint_policy: { single_position_max_weight: '0.25', group_constraints: { 'sector:TECH': { max_weight: '0.30' } } },
  workflow_policy: { enable_workflow_gates: true, workflow_requires_client_consent: null, client_consent_already_obtained: null },
  idempotency_policy: { replay_enabled: null },
};
const { policy_pack_id: _exampleId, ...EXAMPLE_UPSERT } = EXAMPLE_DEFINITION;

const DefinitionSchema = Type.Object(
  {
    policy_pack_id: Type.String(),
    version: Type.String({ description: "The author's version label (free text)." }),
    turnover_policy: Type.Object({ max_turnover_pct: DecimalOut('Overrides options.max_turnover_pct (0..1).') }),
    tax_policy: Type.Object({
      enable_tax_awareness: Nullable(Type.Boolean()),
      max_realized_capital_gains: DecimalOut('Overrides options.max_realized_capital_gains (>= 0).'),
    }),
    settlement_policy: Type.Object({
      enable_settlement_awareness: Nullable(Type.Boolean()),
      settlement_horizon_days: Nullable(Type.Integer({ minimum: 0, maximum: 10 })),
    }),
    constraint_policy: Type.Object({
      single_position_max_weight: DecimalOut('Overrides options.single_position_max_weight (0..1).'),
      group_constraints: Type.Record(Type.String(), Type.Object({ max_weight: Type.String() }), {
        description: 'Replaces options.group_constraints when non-empty. Keys are "<attribute_key>:<attribute_value>".',
      }),
    }),
    workflow_policy: Type.Object({
      enable_workflow_gates: Nullable(Type.Boolean()),
      workflow_requires_client_consent: Nullable(Type.Boolean()),
      client_consent_already_obtained: Nullable(Type.Boolean()),
    }),
    idempotency_policy: Type.Object({ replay_enabled: Nullable(Type.Boolean({ description: 'Overrides DPM_IDEMPOTENCY_REPLAY_ENABLED for simulate.' })) }),
  },
  { title: 'DpmPolicyPackDefinition', examples: [EXAMPLE_DEFINITION] },
);

const section = <T extends Record<string, TSchema>>(properties: T) =>
  Type.Optional(Nullable(Type.Object(properties, { additionalProperties: false })));

const UpsertBodySchema = Type.Object(
  {
    version: Text({ description: "Required. The author's version label (free text)." }),
    turnover_policy: section({ max_turnover_pct: DecimalIn('0..1') }),
    tax_policy: section({ enable_tax_awareness: BoolIn('Tax-aware selling.'), max_realized_capital_gains: DecimalIn('>= 0') }),
    settlement_policy: section({
      enable_settlement_awareness: BoolIn('Settlement awareness.'),
      settlement_horizon_days: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 10 }))),
    }),
    constraint_policy: section({
      single_position_max_weight: DecimalIn('0..1'),
      group_constraints: Type.Optional(
        Nullable(
          Type.Record(Type.String(), Type.Object({ max_weight: Type.Union([Type.String(), Type.Number()], { description: '0..1' }) }, { additionalProperties: false })),
        ),
      ),
    }),
    workflow_policy: section({
      enable_workflow_gates: BoolIn('Workflow gates.'),
      workflow_requires_client_consent: BoolIn('Client consent required.'),
      client_consent_already_obtained: BoolIn('Client consent obtained.'),
    }),
    idempotency_policy: section({ replay_enabled: BoolIn('Simulate idempotency replay.') }),
    policy_pack_id: Type.Optional(Identifier({ description: 'Ignored: the path id always wins.' })),
  },
  { additionalProperties: false, title: 'DpmPolicyPackUpsertRequest', examples: [EXAMPLE_UPSERT] },
);
type UpsertBody = Static<typeof UpsertBodySchema>;

const SourceSchema = Type.Union(
  POLICY_PACK_SOURCES.map((s) => Type.Literal(s)),
  { description: 'Where the selection came from.' },
);

const EffectiveSchema = Type.Object(
  { enabled: Type.Boolean(), selected_policy_pack_id: Nullable(Type.String()), source: SourceSchema },
  { title: 'DpmEffectivePolicyPackResolution', examples: [{ enabled: true, selected_policy_pack_id: 'dpm_standard_v1', source: 'REQUEST' }] },
);

const CatalogSchema = Type.Object(
  {
    enabled: Type.Boolean(),
    total: Type.Integer(),
    selected_policy_pack_id: Nullable(Type.String()),
    selected_policy_pack_present: Type.Boolean(),
    selected_policy_pack_source: SourceSchema,
    items: Type.Array(DefinitionSchema, { description: 'Sorted by policy_pack_id; listed even when packs are disabled.' }),
  },
  {
    title: 'DpmPolicyPackCatalogResponse',
    examples: [
      {
        enabled: true,
        total: 1,
        selected_policy_pack_id: 'dpm_standard_v1',
        selected_policy_pack_present: true,
        selected_policy_pack_source: 'REQUEST',
        items: [EXAMPLE_DEFINITION],
      },
    ],
  },
);

const MutationSchema = Type.Object({ item: DefinitionSchema }, { title: 'DpmPolicyPackMutationResponse' });

const SelectionHeaders = Type.Object({
  'x-policy-pack-id': Type.Optional(Identifier({ description: 'Requested pack (wins over every default).' })),
  'x-tenant-policy-pack-id': Type.Optional(Identifier({ description: "The tenant's default pack; skips the tenant map when present." })),
  'x-tenant-id': Type.Optional(Identifier({ description: 'Looked up in DPM_TENANT_POLICY_PACK_MAP_JSON when tenant resolution is on.' })),
});

const AdminHeaders = Type.Object({
  'x-actor': Type.Optional(Identifier({ description: 'Who makes the change (recorded in the audit log line).', examples: ['ops.alice'] })),
});

const IdParams = Type.Object({
  policy_pack_id: Type.String({ pattern: POLICY_PACK_ID_PATTERN, maxLength: 128, description: 'Pack id: 1..128 characters, no whitespace.', examples: ['dpm_standard_v1'] }),
});

const REVISION_HEADER = 'x-policy-pack-revision';

// ── Helpers ──────────────────────────────────────────────────────────────────────────────

const sha256 = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

function notFound(id: string): ReasonError {
  return new ReasonError('DPM_POLICY_PACK_NOT_FOUND', `Policy pack ${JSON.stringify(id)} is not in the catalog.`);
}

// ── Plugin ───────────────────────────────────────────────────────────────────────────────

export function policyPackRoutes(deps: PolicyPackRouteDeps): FastifyPluginAsync {
  const { catalog, settings } = deps;
  const byToken = (settings.adminAuthorisation ?? 'TOKEN') === 'TOKEN';
  const configuredDigest = settings.adminToken === '' ? null : sha256(settings.adminToken);
  // A non-secret fingerprint of the configured token, so the audit log can tell tokens apart after a rotation.
  const tokenFingerprint = byToken && configuredDigest ? configuredDigest.toString('hex').slice(0, 8) : null;
  const adminRefusalCodes = adminRefusals(byToken ? 'TOKEN' : 'ROLES');
  const adminAccess = {
    permission: 'policy_packs.admin',
    actor: { header: 'x-actor' },
    ...(byToken ? { security: [{ [ADMIN_SECURITY_SCHEME]: [] }] } : {}),
  } as const;

  const resolve = (request: FastifyRequest) =>
    resolvePolicyPack(settings, {
      requestPolicyPackId: headerValue(request, 'x-policy-pack-id') ?? null,
      tenantDefaultPolicyPackId: headerValue(request, 'x-tenant-policy-pack-id') ?? null,
      tenantId: headerValue(request, 'x-tenant-id') ?? null,
    });

  const catalogWritable = (): void => {
    if (!catalog.writable) {
      throw new ReasonError(
        'DPM_POLICY_PACK_CATALOG_READ_ONLY',
        `The ${catalog.backend} policy-pack catalog is read-only; use DPM_POLICY_PACK_CATALOG_BACKEND=SQLITE or POSTGRES.`,
      );
    }
  };

  /** After the switch: the admin token (without API authentication), then a writable catalog. */
  const adminCredentials = async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    if (!byToken) return catalogWritable();
    const token = bearerToken(headerValue(request, 'authorization'));
    const authorised = configuredDigest !== null && token !== null && timingSafeEqual(sha256(token), configuredDigest);
    if (!authorised) {
      request.log.warn({ event: 'policy_pack_admin_unauthorized', method: request.method, url: redactUrl(request.url) }, 'Policy-pack admin call refused');
      throw new ReasonError('DPM_POLICY_PACK_ADMIN_UNAUTHORIZED', 'Send "Authorization: Bearer <DPM_POLICY_PACK_ADMIN_TOKEN>".');
    }
    catalogWritable();
  };

  /** The admin gates, run in onRequest: before body parsing, validation and any store access. */
  const adminGate = [requireFeatures(featureGate(POLICY_PACK_FEATURES.admin, settings.adminApisEnabled)), adminCredentials];

  const audit = (request: FastifyRequest, fields: Record<string, unknown>): void => {
    // With authentication the verified subject (the guard refused a disagreeing X-Actor).
    const actor =
      request.actor.subject ??
      headerValue(request, 'x-actor')
        ?.replace(/[^\x20-\x7e]/g, '')
        .trim()
        .slice(0, 128);
    request.log.info(
      { event: 'policy_pack_catalog_changed', backend: catalog.backend, actor: actor || null, token_sha256_prefix: tokenFingerprint, ...fields },
      'Policy-pack catalog changed',
    );
  };

  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

    app.get(
      '/rebalance/policies/effective',
      {
        schema: {
          tags: [TAG],
          operationId: 'get_effective_dpm_policy_pack_rebalance_policies_effective_get',
          permission: 'policy_packs.read',
          summary: 'Resolve the effective policy pack for the request headers (no catalog access).',
          headers: SelectionHeaders,
          response: { 200: EffectiveSchema },
        },
      },
      async (request) => resolve(request),
    );

    app.get(
      '/rebalance/policies/catalog',
      {
        schema: {
          tags: [TAG],
          operationId: 'get_dpm_policy_pack_catalog_rebalance_policies_catalog_get',
          permission: 'policy_packs.read',
          summary: 'The policy-pack catalog with the selection context of the request headers.',
          headers: SelectionHeaders,
          response: { 200: CatalogSchema },
          errors: [STORE_DOWN],
        },
      },
      async (request) => {
        const resolution = resolve(request);
        const snapshot = await catalog.snapshot();
        const selected = resolution.selected_policy_pack_id;
        return {
          enabled: resolution.enabled,
          total: snapshot.sorted.length,
          selected_policy_pack_id: selected,
          selected_policy_pack_present: selected !== null && snapshot.packs.has(selected),
          selected_policy_pack_source: resolution.source,
          items: snapshot.sorted.map((pack) => pack.definition),
        };
      },
    );

    app.get(
      '/rebalance/policies/catalog/:policy_pack_id',
      {
        schema: {
          tags: [TAG],
          operationId: 'get_dpm_policy_pack_rebalance_policies_catalog__policy_pack_id__get',
          permission: 'policy_packs.read',
          summary: 'One policy pack. The x-policy-pack-revision header carries the catalog row revision.',
          params: IdParams,
          response: { 200: DefinitionSchema },
          errors: ['DPM_POLICY_PACK_NOT_FOUND', STORE_DOWN],
        },
      },
      async (request, reply) => {
        const id = request.params.policy_pack_id;
        const pack = await catalog.get(id);
        if (!pack) throw notFound(id);
        void reply.header(REVISION_HEADER, String(pack.revision));
        return pack.definition;
      },
    );

    app.put(
      '/rebalance/policies/catalog/:policy_pack_id',
      {
        onRequest: adminGate,
        schema: {
          tags: [TAG],
          operationId: 'upsert_dpm_policy_pack_rebalance_policies_catalog__policy_pack_id__put',
          ...adminAccess,
          summary: 'Create or replace a policy pack (admin). Always 200; the revision is bumped on every call.',
          params: IdParams,
          headers: AdminHeaders,
          body: UpsertBodySchema,
          bodyExamples: { standard: { summary: 'A pack capping turnover and enabling tax awareness', value: EXAMPLE_UPSERT } },
          response: { 200: MutationSchema },
          errors: [...adminRefusalCodes, STORE_DOWN],
        },
      },
      async (request, reply) => {
        const id = request.params.policy_pack_id;
        const body: UpsertBody = request.body;
        const parsed = parsePolicyPackDefinition(id, body);
        if (!parsed.ok) throw new ReasonError('VALIDATION_ERROR', 'The policy pack is invalid; see detail.', { problems: parsed.problems });
        const stored = await catalog.upsert(parsed.value);
        audit(request, { action: 'UPSERT', policy_pack_id: id, revision: stored.revision, definition_version: stored.definition.version });
        void reply.header(REVISION_HEADER, String(stored.revision));
        return { item: stored.definition };
      },
    );

    app.delete(
      '/rebalance/policies/catalog/:policy_pack_id',
      {
        onRequest: adminGate,
        schema: {
          tags: [TAG],
          operationId: 'delete_dpm_policy_pack_rebalance_policies_catalog__policy_pack_id__delete',
          ...adminAccess,
          summary: 'Delete a policy pack (admin). 204, or 404 when it does not exist.',
          params: IdParams,
          headers: AdminHeaders,
          response: { 204: Type.Null({ description: 'Deleted; empty body.' }) },
          errors: [...adminRefusalCodes, 'DPM_POLICY_PACK_NOT_FOUND', STORE_DOWN],
        },
      },
      async (request, reply) => {
        const id = request.params.policy_pack_id;
        const removed = await catalog.delete(id);
        if (!removed) throw notFound(id);
        audit(request, { action: 'DELETE', policy_pack_id: id, revision: null });
        return reply.code(204).send(null);
      },
    );
  };
}
