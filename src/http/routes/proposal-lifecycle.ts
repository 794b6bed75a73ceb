/**
 * Advisory proposal lifecycle routes (docs/advisory.md#routes): create (sync and async), list, get,
 * versions (sync and async), transitions and approvals. Reads of the audit trail, operations and
 * the supportability config are in proposal-support.ts.
 *
 * Differences from the reference, on purpose
 * (docs/advisory.md#lifecycle-differences-from-the-reference): feature gates come before body
 * validation; refusals that depend on the proposal's state (INVALID_TRANSITION,
 * INVALID_APPROVAL_STATE, PROPOSAL_TERMINAL_STATE, PROPOSAL_GATE_BLOCKED) are 409, not 422;
 * create-version accepts an Idempotency-Key; a replay carries `Idempotent-Replay: true`.
 */
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { verbatimSerializerCompiler } from '../verbatim-serializer.ts';
import type { ProposalLifecycleService, WriteResult } from '../../services/proposal-lifecycle.ts';
import type { ProposalOperations } from '../../services/proposal-operations.ts';
import type { ProposalQueries } from '../../services/proposal-queries.ts';
import { gated, headerValue, mapRefusals, requiredIdempotencyKey, type ProposalRouteFlags } from './proposal-http.ts';
import {
  AcceptedResponseSchema,
  ApprovalBodySchema,
  ApprovalResponseSchema,
  CreateProposalBodySchema,
  CreateResponseSchema,
  CreateVersionBodySchema,
  DetailResponseSchema,
  errorResponses,
  IncludeEvidenceQuery,
  ListQuerySchema,
  ListResponseSchema,
  ProposalIdParams,
  TransitionBodySchema,
  TransitionResponseSchema,
  trueish,
  VersionDetailSchema,
} from './proposal-lifecycle-schemas.ts';

export const PROPOSAL_TAG = 'Advisory Proposal Lifecycle';
const DEFAULT_LIMIT = 20;

export interface ProposalLifecycleRouteDeps {
  readonly lifecycle: ProposalLifecycleService;
  readonly queries: ProposalQueries;
  readonly operations: ProposalOperations;
  readonly flags: ProposalRouteFlags;
}

const idempotencyHeaders = Type.Object({ 'idempotency-key': Type.Optional(Type.String()), 'x-correlation-id': Type.Optional(Type.String()) });

const GATE_404 = 'PROPOSAL_WORKFLOW_LIFECYCLE_DISABLED';
const ASYNC_404 = `${GATE_404} or PROPOSAL_ASYNC_OPERATIONS_DISABLED`;
const UNAVAILABLE = 'PROPOSAL_POSTGRES_UNAVAILABLE (with Retry-After)';
const moveErrors = (refusals: string) =>
  errorResponses({
    404: `${GATE_404} or PROPOSAL_NOT_FOUND`,
    409: `STATE_CONFLICT (expected_state missing or stale), PROPOSAL_VERSION_CONFLICT or ${refusals}`,
    422: 'VALIDATION_ERROR or PROPOSAL_RELATED_VERSION_INVALID',
    503: UNAVAILABLE,
  });

export function proposalLifecycleRoutes(deps: ProposalLifecycleRouteDeps): FastifyPluginAsync {
  const { lifecycle, queries, operations, flags } = deps;
  return async function register(app: FastifyInstance): Promise<void> {
    mapRefusals(app);
    app.setSerializerCompiler(verbatimSerializerCompiler);
    const lifecycleOnly = gated(flags);
    const asyncOnly = gated(flags, 'async');
    const written = (reply: { header(name: string, value: string): unknown }, result: WriteResult) => {
      if (result.replayed) reply.header('Idempotent-Replay', 'true');
      return result.response;
    };

    app.post<{ Body: Static<typeof CreateProposalBodySchema> }>(
      '/rebalance/proposals',
      {
        onRequest: lifecycleOnly,
        schema: {
          tags: [PROPOSAL_TAG],
          summary: 'Create a proposal: version 1 simulated, in DRAFT. Idempotency-Key required; a retry replays the original.',
          headers: idempotencyHeaders,
          body: CreateProposalBodySchema,
          response: {
            200: CreateResponseSchema,
            ...errorResponses({
              404: GATE_404,
              409: 'IDEMPOTENCY_KEY_CONFLICT: the key was used with another request',
              422: 'VALIDATION_ERROR (incl. headers.idempotency-key) or PROPOSAL_SIMULATION_DISABLED',
              503: UNAVAILABLE,
            }),
          },
        },
      },
      async (request, reply) => {
        const idempotencyKey = requiredIdempotencyKey(request);
        return written(reply, await lifecycle.create({ body: request.body, idempotencyKey, correlationId: request.correlationId }));
      },
    );

    app.post<{ Body: Static<typeof CreateProposalBodySchema> }>(
      '/rebalance/proposals/async',
      {
        onRequest: asyncOnly,
        schema: {
          tags: [PROPOSAL_TAG],
          summary:
            'Accept a proposal create; it runs in the background (202, poll status_url). Idempotency-Key required: a repeat (even a concurrent one) answers the first 202 with `Idempotent-Replay: true`.',
          headers: idempotencyHeaders,
          body: CreateProposalBodySchema,
          response: {
            202: AcceptedResponseSchema,
            ...errorResponses({ 404: ASYNC_404, 409: 'IDEMPOTENCY_KEY_CONFLICT', 422: 'VALIDATION_ERROR (incl. headers.idempotency-key)', 503: UNAVAILABLE }),
          },
        },
      },
      async (request, reply) => {
        const idempotencyKey = requiredIdempotencyKey(request);
        const accepted = await operations.submitCreate({ body: request.body, idempotencyKey, correlationId: request.correlationId });
        return reply.code(202).send(written(reply, accepted));
      },
    );

    app.get<{ Querystring: Static<typeof ListQuerySchema> }>(
      '/rebalance/proposals',
      {
        onRequest: lifecycleOnly,
        schema: {
          tags: [PROPOSAL_TAG],
          summary: 'List proposals, newest first, keyset-paged.',
          querystring: ListQuerySchema,
          response: { 200: ListResponseSchema, ...errorResponses({ 400: 'PROPOSAL_INVALID_CURSOR', 404: GATE_404, 422: 'VALIDATION_ERROR (limit, state, times)', 503: UNAVAILABLE }) },
        },
      },
      async (request) => {
        const q = request.query;
        return queries.list({
          portfolio_id: q.portfolio_id,
          state: q.state,
          created_by: q.created_by,
          created_from: q.created_from,
          created_to: q.created_to,
          limit: q.limit === undefined ? DEFAULT_LIMIT : Number(q.limit),
          cursor: q.cursor,
        });
      },
    );

    app.get<{ Params: Static<typeof ProposalIdParams>; Querystring: Static<typeof IncludeEvidenceQuery> }>(
      '/rebalance/proposals/:proposal_id',
      {
        onRequest: lifecycleOnly,
        schema: {
          tags: [PROPOSAL_TAG],
          summary: 'A proposal with its current version.',
          params: ProposalIdParams,
          querystring: IncludeEvidenceQuery,
          response: { 200: DetailResponseSchema, ...errorResponses({ 404: `${GATE_404}, PROPOSAL_NOT_FOUND or PROPOSAL_VERSION_NOT_FOUND`, 422: 'VALIDATION_ERROR', 503: UNAVAILABLE }) },
        },
      },
      async (request) => queries.get(request.params.proposal_id, trueish(request.query.include_evidence)),
    );

    const VersionParams = Type.Object({ proposal_id: Type.String(), version_no: Type.String({ pattern: '^[1-9][0-9]{0,8}$', description: '≥ 1' }) });
    app.get<{ Params: Static<typeof VersionParams>; Querystring: Static<typeof IncludeEvidenceQuery> }>(
      '/rebalance/proposals/:proposal_id/versions/:version_no',
      {
        onRequest: lifecycleOnly,
        schema: {
          tags: [PROPOSAL_TAG],
          summary: 'One version of a proposal.',
          params: VersionParams,
          querystring: IncludeEvidenceQuery,
          response: { 200: VersionDetailSchema, ...errorResponses({ 404: `${GATE_404} or PROPOSAL_VERSION_NOT_FOUND`, 422: 'VALIDATION_ERROR', 503: UNAVAILABLE }) },
        },
      },
      async (request) => queries.getVersion(request.params.proposal_id, Number(request.params.version_no), trueish(request.query.include_evidence)),
    );

    app.post<{ Params: Static<typeof ProposalIdParams>; Body: Static<typeof CreateVersionBodySchema> }>(
      '/rebalance/proposals/:proposal_id/versions',
      {
        onRequest: lifecycleOnly,
        schema: {
          tags: [PROPOSAL_TAG],
          summary: 'Add a version. With an Idempotency-Key a retry replays the original version instead of adding another.',
          headers: idempotencyHeaders,
          params: ProposalIdParams,
          body: CreateVersionBodySchema,
          response: {
            200: CreateResponseSchema,
            ...errorResponses({
              404: `${GATE_404} or PROPOSAL_NOT_FOUND`,
              409: 'PROPOSAL_TERMINAL_STATE, PROPOSAL_VERSION_CONFLICT or IDEMPOTENCY_KEY_CONFLICT',
              422: 'VALIDATION_ERROR, PROPOSAL_SIMULATION_DISABLED or PORTFOLIO_CONTEXT_MISMATCH',
              503: UNAVAILABLE,
            }),
          },
        },
      },
      async (request, reply) =>
        written(
          reply,
          await lifecycle.createVersion({
            proposalId: request.params.proposal_id,
            body: request.body,
            idempotencyKey: headerValue(request, 'idempotency-key'),
            correlationId: request.correlationId,
          }),
        ),
    );

    app.post<{ Params: Static<typeof ProposalIdParams>; Body: Static<typeof CreateVersionBodySchema> }>(
      '/rebalance/proposals/:proposal_id/versions/async',
      {
        onRequest: asyncOnly,
        schema: {
          tags: [PROPOSAL_TAG],
          summary:
            'Accept a new version; it runs in the background (202). With an Idempotency-Key a repeat (even a concurrent one) answers the first 202 with `Idempotent-Replay: true`.',
          headers: idempotencyHeaders,
          params: ProposalIdParams,
          body: CreateVersionBodySchema,
          response: { 202: AcceptedResponseSchema, ...errorResponses({ 404: ASYNC_404, 409: 'IDEMPOTENCY_KEY_CONFLICT', 422: 'VALIDATION_ERROR', 503: UNAVAILABLE }) },
        },
      },
      async (request, reply) => {
        const accepted = await operations.submitVersion({
          proposalId: request.params.proposal_id,
          body: request.body,
          idempotencyKey: headerValue(request, 'idempotency-key'),
          correlationId: request.correlationId,
        });
        return reply.code(202).send(written(reply, accepted));
      },
    );

    app.post<{ Params: Static<typeof ProposalIdParams>; Body: Static<typeof TransitionBodySchema> }>(
      '/rebalance/proposals/:proposal_id/transitions',
      {
        onRequest: lifecycleOnly,
        schema: {
          tags: [PROPOSAL_TAG],
          summary: 'Move the proposal through the workflow (compare-and-set on expected_state).',
          params: ProposalIdParams,
          body: TransitionBodySchema,
          response: { 200: TransitionResponseSchema, ...moveErrors('INVALID_TRANSITION / PROPOSAL_GATE_BLOCKED') },
        },
      },
      async (request) => lifecycle.transition(request.params.proposal_id, request.body),
    );

    app.post<{ Params: Static<typeof ProposalIdParams>; Body: Static<typeof ApprovalBodySchema> }>(
      '/rebalance/proposals/:proposal_id/approvals',
      {
        onRequest: lifecycleOnly,
        schema: {
          tags: [PROPOSAL_TAG],
          summary: 'Record a risk, compliance or client-consent decision and move the proposal.',
          params: ProposalIdParams,
          body: ApprovalBodySchema,
          response: { 200: ApprovalResponseSchema, ...moveErrors('INVALID_APPROVAL_STATE') },
        },
      },
      async (request) => lifecycle.approve(request.params.proposal_id, request.body),
    );
  };
}
