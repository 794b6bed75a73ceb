/**
 * Advisory proposal lifecycle routes (docs/advisory.md#routes): create (sync and async), list, get,
 * versions (sync and async), transitions and approvals. Reads of the audit trail, operations and
 * the supportability config are in support.ts.
 *
 * Differences from the reference, on purpose
 * (docs/advisory.md#lifecycle-differences-from-the-reference): feature gates come before body
 * validation; create-version accepts an Idempotency-Key; a replay carries `Idempotent-Replay: true`.
 */
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply } from 'fastify';
import { verbatimSerializerCompiler } from '../../verbatim-serializer.ts';
import type { ProposalLifecycleService, WriteResult } from '../../../services/proposals/lifecycle.ts';
import type { ProposalOperations } from '../../../services/proposals/operations.ts';
import type { ProposalQueries } from '../../../services/proposals/queries.ts';
import type { ReasonCode } from '../../../config/reason-codes.ts';
import { IdempotencyKeyHeader, idempotencyKeyOf, markReplay } from '../../idempotency.ts';
import { TAGS } from '../../openapi/tags.ts';
import { APPROVAL_PERMISSIONS, TRANSITION_PERMISSIONS } from '../../../domain/access/decisions.ts';
import { headerValue } from '../../headers.ts';
import { gateCodes, gated, type ProposalRouteFlags } from './gates.ts';
import { PROPOSAL_REQUEST_EXAMPLE } from './simulation.ts';
import {
  AcceptedResponseSchema,
  ApprovalResponseSchema,
  CreateResponseSchema,
  DetailResponseSchema,
  ListResponseSchema,
  TransitionResponseSchema,
  VersionDetailSchema,
} from '../../../services/proposals/wire-schemas.ts';
import {
  ApprovalBodySchema,
  CreateProposalBodySchema,
  CreateVersionBodySchema,
  IncludeEvidenceQuery,
  ListQuerySchema,
  ProposalIdParams,
  TransitionBodySchema,
  trueish,
  VersionParams,
} from './lifecycle-schemas.ts';
import { CorrelationIdHeader, Identifier } from '../../schema-kit.ts';
import { instantOf } from '../../instants.ts';

export const PROPOSAL_TAG = TAGS.lifecycle;

export interface ProposalLifecycleRouteDeps {
  readonly lifecycle: ProposalLifecycleService;
  readonly queries: ProposalQueries;
  readonly operations: ProposalOperations;
  readonly flags: ProposalRouteFlags;
}

const CorrelationHeader = CorrelationIdHeader('Recorded in the CREATED / NEW_VERSION_CREATED event reason.');
const createHeaders = Type.Object({ 'idempotency-key': IdempotencyKeyHeader, 'x-correlation-id': CorrelationHeader });
const versionHeaders = Type.Object({
  'idempotency-key': Type.Optional(Identifier({ description: 'Optional here: with it, a retry replays the original version instead of adding another.' })),
  'x-correlation-id': CorrelationHeader,
});

const STORE_DOWN = 'PROPOSAL_POSTGRES_UNAVAILABLE';
const CREATED_BY = { body: 'created_by' } as const;
const ACTOR_ID = { body: 'actor_id' } as const;
const LIFECYCLE = gateCodes();
const ASYNC = gateCodes('async');
/** Compare-and-set refusals of transitions and approvals. */
const MOVE: readonly ReasonCode[] = [...LIFECYCLE, 'PROPOSAL_NOT_FOUND', 'STATE_CONFLICT', 'PROPOSAL_VERSION_CONFLICT', 'PROPOSAL_RELATED_VERSION_INVALID', STORE_DOWN];

const CREATE_EXAMPLES = {
  create: {
    summary: 'A READY proposal: a client top-up and one buy',
    value: { created_by: 'advisor_01', simulate_request: PROPOSAL_REQUEST_EXAMPLE, metadata: { title: 'Q1 top-up', advisor_notes: null, jurisdiction: 'SG', mandate_id: 'mandate_001' } },
  },
};
const VERSION_EXAMPLES = { version: { summary: 'Version 2 of the same proposal', value: { created_by: 'advisor_01', simulate_request: PROPOSAL_REQUEST_EXAMPLE } } };

export function proposalLifecycleRoutes(deps: ProposalLifecycleRouteDeps): FastifyPluginAsync {
  const { lifecycle, queries, operations, flags } = deps;
  return async function register(fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    app.setSerializerCompiler(verbatimSerializerCompiler);
    const lifecycleOnly = gated(flags);
    const asyncOnly = gated(flags, 'async');
    const written = <Response>(reply: FastifyReply, result: WriteResult<Response>): Response => {
      markReplay(reply, result.replayed);
      return result.response;
    };

    app.post(
      '/rebalance/proposals',
      {
        onRequest: lifecycleOnly,
        schema: {
          tags: [PROPOSAL_TAG],
          operationId: 'create_proposal_rebalance_proposals_post',
          permission: 'proposals.write',
          actor: CREATED_BY,
          summary: 'Create a proposal: version 1 simulated, in DRAFT. Idempotency-Key required; a retry replays the original.',
          headers: createHeaders,
          body: CreateProposalBodySchema,
          bodyExamples: CREATE_EXAMPLES,
          response: { 200: CreateResponseSchema },
          errors: [...LIFECYCLE, 'IDEMPOTENCY_KEY_CONFLICT', 'PROPOSAL_SIMULATION_DISABLED', STORE_DOWN],
        },
      },
      async (request, reply) => {
        const idempotencyKey = idempotencyKeyOf(request);
        return written(reply, await lifecycle.create({ body: request.body, idempotencyKey, correlationId: request.correlationId }));
      },
    );

    app.post(
      '/rebalance/proposals/async',
      {
        onRequest: asyncOnly,
        schema: {
          tags: [PROPOSAL_TAG],
          operationId: 'create_proposal_async_rebalance_proposals_async_post',
          permission: 'proposals.write',
          actor: CREATED_BY,
          summary:
            'Accept a proposal create; it runs in the background (202, poll status_url). A repeat with the same Idempotency-Key (even a concurrent one) answers the first 202 with `Idempotent-Replay: true`.',
          headers: createHeaders,
          body: CreateProposalBodySchema,
          bodyExamples: CREATE_EXAMPLES,
          response: { 202: AcceptedResponseSchema },
          errors: [...ASYNC, 'IDEMPOTENCY_KEY_CONFLICT', STORE_DOWN],
        },
      },
      async (request, reply) => {
        const idempotencyKey = idempotencyKeyOf(request);
        const accepted = await operations.submitCreate({ body: request.body, idempotencyKey, correlationId: request.correlationId });
        return reply.code(202).send(written(reply, accepted));
      },
    );

    app.get(
      '/rebalance/proposals',
      {
        onRequest: lifecycleOnly,
        schema: {
          tags: [PROPOSAL_TAG],
          operationId: 'list_proposals_rebalance_proposals_get',
          permission: 'proposals.read',
          summary: 'List proposals, newest first, keyset-paged.',
          querystring: ListQuerySchema,
          response: { 200: ListResponseSchema },
          errors: [...LIFECYCLE, 'PROPOSAL_INVALID_CURSOR', STORE_DOWN],
        },
      },
      async (request) => {
        const q = request.query;
        return queries.list({
          portfolio_id: q.portfolio_id,
          state: q.state,
          created_by: q.created_by,
          created_from: instantOf(q.created_from),
          created_to: instantOf(q.created_to),
          limit: q.limit,
          cursor: q.cursor,
        });
      },
    );

    app.get(
      '/rebalance/proposals/:proposal_id',
      {
        onRequest: lifecycleOnly,
        schema: {
          tags: [PROPOSAL_TAG],
          operationId: 'get_proposal_rebalance_proposals__proposal_id__get',
          permission: 'proposals.read',
          summary: 'A proposal with its current version.',
          params: ProposalIdParams,
          querystring: IncludeEvidenceQuery,
          response: { 200: DetailResponseSchema },
          errors: [...LIFECYCLE, 'PROPOSAL_NOT_FOUND', STORE_DOWN],
        },
      },
      async (request) => queries.get(request.params.proposal_id, trueish(request.query.include_evidence)),
    );

    app.get(
      '/rebalance/proposals/:proposal_id/versions/:version_no',
      {
        onRequest: lifecycleOnly,
        schema: {
          tags: [PROPOSAL_TAG],
          operationId: 'get_proposal_version_rebalance_proposals__proposal_id__versions__version_no__get',
          permission: 'proposals.read',
          summary: 'One version of a proposal.',
          params: VersionParams,
          querystring: IncludeEvidenceQuery,
          response: { 200: VersionDetailSchema },
          errors: [...LIFECYCLE, 'PROPOSAL_VERSION_NOT_FOUND', STORE_DOWN],
        },
      },
      async (request) => queries.getVersion(request.params.proposal_id, Number(request.params.version_no), trueish(request.query.include_evidence)),
    );

    app.post(
      '/rebalance/proposals/:proposal_id/versions',
      {
        onRequest: lifecycleOnly,
        schema: {
          tags: [PROPOSAL_TAG],
          operationId: 'create_proposal_version_rebalance_proposals__proposal_id__versions_post',
          permission: 'proposals.write',
          actor: CREATED_BY,
          summary: 'Add a version. With an Idempotency-Key a retry replays the original version instead of adding another.',
          headers: versionHeaders,
          params: ProposalIdParams,
          body: CreateVersionBodySchema,
          bodyExamples: VERSION_EXAMPLES,
          response: { 200: CreateResponseSchema },
          errors: [
            ...LIFECYCLE,
            'PROPOSAL_NOT_FOUND',
            'PROPOSAL_TERMINAL_STATE',
            'PROPOSAL_SIMULATION_DISABLED',
            'PORTFOLIO_CONTEXT_MISMATCH',
            'IDEMPOTENCY_KEY_CONFLICT',
            'PROPOSAL_VERSION_CONFLICT',
            STORE_DOWN,
          ],
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

    app.post(
      '/rebalance/proposals/:proposal_id/versions/async',
      {
        onRequest: asyncOnly,
        schema: {
          tags: [PROPOSAL_TAG],
          operationId: 'create_proposal_version_async_rebalance_proposals__proposal_id__versions_async_post',
          permission: 'proposals.write',
          actor: CREATED_BY,
          summary:
            'Accept a new version; it runs in the background (202). With an Idempotency-Key a repeat (even a concurrent one) answers the first 202 with `Idempotent-Replay: true`.',
          headers: versionHeaders,
          params: ProposalIdParams,
          body: CreateVersionBodySchema,
          bodyExamples: VERSION_EXAMPLES,
          response: { 202: AcceptedResponseSchema },
          errors: [...ASYNC, 'IDEMPOTENCY_KEY_CONFLICT', STORE_DOWN],
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

    app.post(
      '/rebalance/proposals/:proposal_id/transitions',
      {
        onRequest: lifecycleOnly,
        schema: {
          tags: [PROPOSAL_TAG],
          operationId: 'transition_proposal_state_rebalance_proposals__proposal_id__transitions_post',
          // Any move's permission lets the call in; the service checks the one this move needs.
          permission: TRANSITION_PERMISSIONS,
          actor: ACTOR_ID,
          authErrors: ['SEGREGATION_OF_DUTIES_VIOLATION'],
          summary: 'Move the proposal through the workflow (compare-and-set on expected_state).',
          params: ProposalIdParams,
          body: TransitionBodySchema,
          bodyExamples: {
            submit: { summary: 'Submit a draft for risk review', value: { event_type: 'SUBMITTED_FOR_RISK_REVIEW', actor_id: 'advisor_01', expected_state: 'DRAFT', reason: { comment: 'Ready for review' } } },
          },
          response: { 200: TransitionResponseSchema },
          errors: [...MOVE, 'INVALID_TRANSITION', 'PROPOSAL_GATE_BLOCKED'],
        },
      },
      async (request) => lifecycle.transition(request.params.proposal_id, request.body, { actor: request.actor, correlationId: request.correlationId }),
    );

    app.post(
      '/rebalance/proposals/:proposal_id/approvals',
      {
        onRequest: lifecycleOnly,
        schema: {
          tags: [PROPOSAL_TAG],
          operationId: 'record_proposal_approval_rebalance_proposals__proposal_id__approvals_post',
          permission: APPROVAL_PERMISSIONS,
          actor: ACTOR_ID,
          authErrors: ['SEGREGATION_OF_DUTIES_VIOLATION'],
          summary: 'Record a risk, compliance or client-consent decision and move the proposal.',
          params: ProposalIdParams,
          body: ApprovalBodySchema,
          bodyExamples: {
            risk: { summary: 'Risk approves a proposal in RISK_REVIEW', value: { approval_type: 'RISK', approved: true, actor_id: 'risk_officer_01', expected_state: 'RISK_REVIEW', details: {} } },
          },
          response: { 200: ApprovalResponseSchema },
          errors: [...MOVE, 'INVALID_APPROVAL_STATE'],
        },
      },
      async (request) => lifecycle.approve(request.params.proposal_id, request.body, { actor: request.actor, correlationId: request.correlationId }),
    );
  };
}
