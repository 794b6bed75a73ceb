/**
 * DPM run review workflow routes (docs/dpm-api.md#workflow): the workflow view, actions and history
 * of a run reached by id, correlation id or idempotency key, and the decision listing. Gated by
 * DPM_SUPPORT_APIS_ENABLED, then DPM_WORKFLOW_ENABLED — one setting read once, so the gate and the
 * service can never disagree (the reference read the flag twice).
 *
 * An action's decision records the request's correlation id: the caller's X-Correlation-Id, or
 * the id generated for the request (the reference recorded the literal `c_none`).
 */
import { Type, type TObject } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { DpmSupportService } from '../../../services/dpm/support.ts';
import type { DpmWorkflowService, WorkflowActionOutcome, WorkflowView } from '../../../services/dpm/workflow.ts';
import type { RunRecord } from '../../../stores/dpm-runs/port.ts';
import { ReasonError, type ReasonCode } from '../../../config/reason-codes.ts';
import { TAGS } from '../../openapi/tags.ts';
import { RunRefusedAttemptsSchema } from '../../../services/refused-attempt-schema.ts';
import { requireFeatures, type DpmGates } from '../../feature-gates.ts';
import { instantOf } from '../../instants.ts';
import { DecisionListSchema, WorkflowHistorySchema, WorkflowSchema } from '../../../services/dpm/wire-schemas.ts';
import {
  CorrelationParams,
  DecisionListQuery,
  IdempotencyKeyParams,
  RunIdParams,
  WORKFLOW_ACTION_EXAMPLE,
  WorkflowActionBody,
} from './support-schemas.ts';
import { CorrelationIdHeader, Identifier } from '../../schema-kit.ts';

const TAG = TAGS.support;

export interface DpmWorkflowRouteDeps {
  readonly support: DpmSupportService;
  readonly workflow: DpmWorkflowService;
  readonly gates: DpmGates;
}

const GATES: readonly ReasonCode[] = ['DPM_SUPPORT_APIS_DISABLED', 'DPM_WORKFLOW_DISABLED'];
const STORE_DOWN = 'DPM_SUPPORTABILITY_POSTGRES_UNAVAILABLE';

/**
 * The workflow state as an entity tag: the latest decision id. Sent back as If-Match on an
 * action, it makes the action apply only to the state the reviewer saw.
 */
const NO_DECISION = 'none';
const etagOf = (view: WorkflowView): string => `"${view.latest_decision?.decision_id ?? NO_DECISION}"`;

/** If-Match → the expected latest decision id (null = none yet); undefined when absent or `*`. */
function expectedFrom(ifMatch: string | undefined): string | null | undefined {
  const tag = ifMatch?.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
  if (tag === undefined || tag === '' || tag === '*') return undefined;
  return tag === NO_DECISION ? null : tag;
}

const ActionHeaders = Type.Object({
  'if-match': Type.Optional(Identifier({ description: 'The ETag of the workflow state the reviewer saw; the action then fails with 412 DPM_WORKFLOW_STATE_STALE if anyone decided since.', examples: ['"dwd_0a1b2c3d4e5f"'] })),
  'x-correlation-id': CorrelationIdHeader('Recorded on the decision.'),
});

function applied(outcome: WorkflowActionOutcome): WorkflowView {
  switch (outcome.outcome) {
    case 'applied':
      return outcome.view;
    case 'not_required':
      throw new ReasonError('DPM_WORKFLOW_NOT_REQUIRED_FOR_RUN_STATUS', "The run's status needs no review, so no workflow action applies.");
    case 'stale':
      throw new ReasonError('DPM_WORKFLOW_STATE_STALE', `If-Match names an outdated workflow state; the run is now ${outcome.from}. Read the workflow again before acting.`);
    case 'invalid_transition':
      throw new ReasonError(
        'DPM_WORKFLOW_INVALID_TRANSITION',
        outcome.lostRace
          ? `Another decision was recorded first; the run is now ${outcome.from}. Review the new state before acting.`
          : `The action is not allowed while the run is ${outcome.from}.`,
      );
  }
}

/** One way of finding the run: its path, parameter schema and resolver. */
interface RunAddress {
  readonly prefix: string;
  readonly params: TObject;
  readonly resolve: (params: Record<string, string>) => Promise<RunRecord>;
  readonly describe: string;
  /** Reference operationId stem (`…_by_correlation`), and the codes resolving the run can answer. */
  readonly suffix: string;
  readonly notFound: readonly ReasonCode[];
}

export function dpmWorkflowRoutes(deps: DpmWorkflowRouteDeps): FastifyPluginAsync {
  const { support, workflow, gates } = deps;
  const gate = requireFeatures(gates.support, gates.workflow);
  const addresses: readonly RunAddress[] = [
    {
      prefix: '/rebalance/runs/by-correlation/:correlation_id',
      params: CorrelationParams,
      resolve: (p) => support.runByCorrelation(p['correlation_id'] ?? ''),
      describe: 'the latest run of a correlation id',
      suffix: '_by_correlation',
      notFound: ['DPM_RUN_NOT_FOUND'],
    },
    {
      prefix: '/rebalance/runs/idempotency/:idempotency_key',
      params: IdempotencyKeyParams,
      resolve: (p) => support.runByIdempotencyKey(p['idempotency_key'] ?? ''),
      describe: 'the run an idempotency key maps to',
      suffix: '_by_idempotency',
      // The key's mapping and its run are written and purged together: only the key can be missing.
      notFound: ['DPM_IDEMPOTENCY_KEY_NOT_FOUND'],
    },
    {
      prefix: '/rebalance/runs/:rebalance_run_id',
      params: RunIdParams,
      resolve: (p) => support.runById(p['rebalance_run_id'] ?? ''),
      describe: 'a run',
      suffix: '',
      notFound: ['DPM_RUN_NOT_FOUND'],
    },
  ];

  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    for (const address of addresses) {
      const run = (request: FastifyRequest) => address.resolve(request.params as Record<string, string>);
      // The reference's operationIds: <function><path with non-word characters as _>_<method>.
      const opId = (fn: string, suffix: string, method: string) =>
        `${fn}${address.suffix}${`${address.prefix}${suffix}`.replace(/:([a-z_]+)/g, '{$1}').replace(/\W/g, '_')}_${method}`;
      const errors = (...codes: ReasonCode[]): ReasonCode[] => [...GATES, ...address.notFound, ...codes, STORE_DOWN];
      app.get(
        `${address.prefix}/workflow`,
        {
          schema: {
            tags: [TAG],
            operationId: opId('get_dpm_run_workflow', '/workflow', 'get'),
            permission: 'runs.read',
            summary: `Workflow status of ${address.describe}.`,
            params: address.params,
            response: { 200: WorkflowSchema },
            errors: errors(),
          },
          onRequest: gate,
        },
        async (request, reply) => {
          const view = await workflow.view(await run(request));
          void reply.header('ETag', etagOf(view));
          return view;
        },
      );
      app.post(
        `${address.prefix}/workflow/actions`,
        {
          schema: {
            tags: [TAG],
            operationId: opId('apply_dpm_run_workflow_action', '/workflow/actions', 'post'),
            permission: 'runs.review',
            actor: { body: 'actor_id' },
            authErrors: ['SEGREGATION_OF_DUTIES_VIOLATION'],
            summary: `APPROVE, REJECT or REQUEST_CHANGES on ${address.describe}.`,
            description:
              'Each decision is appended only if the state it was checked against is still current. Send the ETag of GET …/workflow as If-Match: of reviewers acting on the same state exactly one wins, the others get 412 DPM_WORKFLOW_STATE_STALE.',
            params: address.params,
            headers: ActionHeaders,
            body: WorkflowActionBody,
            bodyExamples: { approve: { summary: 'A reviewer approves', value: WORKFLOW_ACTION_EXAMPLE } },
            response: { 200: WorkflowSchema },
            errors: errors('DPM_WORKFLOW_NOT_REQUIRED_FOR_RUN_STATUS', 'DPM_WORKFLOW_INVALID_TRANSITION', 'DPM_WORKFLOW_STATE_STALE'),
          },
          onRequest: gate,
        },
        async (request, reply) => {
          const { action, reason_code, comment, actor_id } = request.body;
          const outcome = await workflow.act(await run(request), {
            action,
            reason_code,
            comment: comment ?? null,
            actor_id,
            correlationId: request.correlationId,
            expectedLatestDecisionId: expectedFrom(request.headers['if-match']),
            actor: request.actor,
          });
          const view = applied(outcome);
          void reply.header('ETag', etagOf(view));
          return view;
        },
      );
      app.get(
        `${address.prefix}/workflow/history`,
        {
          schema: {
            tags: [TAG],
            operationId: opId('get_dpm_run_workflow_history', '/workflow/history', 'get'),
            permission: 'runs.read',
            summary: `Workflow decisions of ${address.describe}, in order.`,
            params: address.params,
            response: { 200: WorkflowHistorySchema },
            errors: errors(),
          },
          onRequest: gate,
        },
        async (request) => workflow.history(await run(request)),
      );
      app.get(
        `${address.prefix}/workflow/refused-attempts`,
        {
          schema: {
            tags: [TAG],
            operationId: opId('get_dpm_run_workflow_refused_attempts', '/workflow/refused-attempts', 'get'),
            permission: 'runs.read',
            summary: `Review actions refused on ${address.describe} (four-eyes: its requester tried to approve it), oldest first.`,
            params: address.params,
            response: { 200: RunRefusedAttemptsSchema },
            errors: errors(),
          },
          onRequest: gate,
        },
        async (request) => workflow.refusedAttempts(await run(request)),
      );
    }

    app.get(
      '/rebalance/workflow/decisions',
      {
        schema: {
          tags: [TAG],
          operationId: 'list_dpm_workflow_decisions_rebalance_workflow_decisions_get',
          permission: 'runs.read',
          summary: 'Workflow decisions across runs, newest first, with filters and a cursor.',
          querystring: DecisionListQuery,
          response: { 200: DecisionListSchema },
          errors: [...GATES, 'DPM_SUPPORTABILITY_INVALID_CURSOR', STORE_DOWN],
        },
        onRequest: gate,
      },
      async (request) => {
        const q = request.query;
        return workflow.decisions({
          rebalance_run_id: q.rebalance_run_id,
          action: q.action,
          actor_id: q.actor_id,
          reason_code: q.reason_code,
          decided_from: instantOf(q.from),
          decided_to: instantOf(q.to),
          limit: q.limit,
          cursor: q.cursor,
        });
      },
    );
    app.get(
      '/rebalance/workflow/decisions/by-correlation/:correlation_id',
      {
        schema: {
          tags: [TAG],
          operationId: 'get_dpm_workflow_decisions_by_correlation_rebalance_workflow_decisions_by_correlation__correlation_id__get',
          permission: 'runs.read',
          summary: 'Workflow decisions of the latest run of a correlation id.',
          params: CorrelationParams,
          response: { 200: WorkflowHistorySchema },
          errors: [...GATES, 'DPM_RUN_NOT_FOUND', STORE_DOWN],
        },
        onRequest: gate,
      },
      async (request) => workflow.history(await support.runByCorrelation(request.params.correlation_id)),
    );
  };
}
