/**
 * POST /rebalance/analyze (sync batch, never gated: runs are always recorded) and
 * POST /rebalance/analyze/async (gate ASYNC; 202 with the operation's real status).
 *
 * The body is validated by the engine's own model (validateBatchRebalanceRequest), which has the
 * reference's lax coercions and messages; the TypeBox schema on the route documents it in
 * OpenAPI only (see `documentationOnly`).
 */
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { validateBatchRebalanceRequest, type BatchRebalanceRequest as BatchRequest } from '../../../domain/dpm/index.ts';
import type { DpmAnalyzeService } from '../../../services/dpm/analyze.ts';
import { operationAccepted, type DpmOperationService } from '../../../services/dpm/operations.ts';
import { requireFeatures, type DpmGates } from '../../feature-gates.ts';
import { POLICY_HEADER_SCHEMAS, policyHeaders } from '../../policy-headers.ts';
import { invalidBody } from '../../idempotency.ts';
import { BatchRebalanceRequest } from '../../openapi/models.ts';
import { TAGS } from '../../openapi/tags.ts';
import { engineValidatedBody } from '../../validation.ts';
import { CorrelationIdHeader } from '../../schema-kit.ts';

const EXAMPLE_BATCH = {
  portfolio_snapshot: { portfolio_id: 'pf_13', base_currency: 'USD', positions: [{ instrument_id: 'Tech_Stock', quantity: '100' }], cash_balances: [{ currency: 'USD', amount: '0' }] },
  market_data_snapshot: {
    prices: [
      { instrument_id: 'Tech_Stock', price: '100', currency: 'USD' },
      { instrument_id: 'Bond_Safe', price: '100', currency: 'USD' },
    ],
    fx_rates: [],
  },
  model_portfolio: { targets: [{ instrument_id: 'Tech_Stock', weight: '0.0' }, { instrument_id: 'Bond_Safe', weight: '1.0' }] },
  shelf_entries: [
    { instrument_id: 'Tech_Stock', status: 'APPROVED', asset_class: 'EQUITY' },
    { instrument_id: 'Bond_Safe', status: 'APPROVED', asset_class: 'FIXED_INCOME' },
  ],
  scenarios: { baseline: { options: {} }, capped: { description: 'Turnover at most 10 %', options: { max_turnover_pct: '0.10' } } },
};

const BatchResultSchema = Type.Object(
  {
    batch_run_id: Type.String(),
    run_at_utc: Type.String(),
    base_snapshot_ids: Type.Object({ portfolio_snapshot_id: Type.String(), market_data_snapshot_id: Type.String() }),
    results: Type.Record(Type.String(), Type.Unknown(), { description: 'RebalanceResult of each successful scenario (each recorded as a run).' }),
    comparison_metrics: Type.Record(Type.String(), Type.Unknown()),
    failed_scenarios: Type.Record(Type.String(), Type.String()),
    warnings: Type.Array(Type.String()),
  },
  {
    title: 'BatchRebalanceResult',
    examples: [
      {
        batch_run_id: 'batch_5e1f0c2a3b4d6e7f8a9b0c1d',
        run_at_utc: '2026-03-01T09:00:00.123000+00:00',
        base_snapshot_ids: { portfolio_snapshot_id: 'pf_13', market_data_snapshot_id: 'md' },
        results: {},
        comparison_metrics: { baseline: { status: 'READY', security_intent_count: 2, gross_turnover_notional_base: { amount: '20000.0', currency: 'USD' } } },
        failed_scenarios: {},
        warnings: [],
      },
    ],
  },
);

const AcceptedSchema = Type.Object(
  {
    operation_id: Type.String(),
    operation_type: Type.String(),
    status: Type.String({ description: 'The real status: SUCCEEDED or FAILED after an INLINE run, PENDING in ACCEPT_ONLY mode.' }),
    correlation_id: Type.String(),
    created_at: Type.String(),
    status_url: Type.String(),
    execute_url: Type.String(),
  },
  {
    title: 'DpmAsyncAcceptedResponse',
    examples: [
      {
        operation_id: 'dop_3f2a9c1b7d4ea0b1c2d3e4f5',
        operation_type: 'ANALYZE_SCENARIOS',
        status: 'SUCCEEDED',
        correlation_id: 'corr_1a2b3c4d5e6f7a8b9c0d1e2f',
        created_at: '2026-03-01T09:00:00.000Z',
        status_url: '/rebalance/operations/dop_3f2a9c1b7d4ea0b1c2d3e4f5',
        execute_url: '/rebalance/operations/dop_3f2a9c1b7d4e/execute',
      },
    ],
  },
);

const Headers = Type.Object({
  'x-correlation-id': CorrelationIdHeader('Scenario runs are correlated as `<it>:<scenario>`.'),
  ...POLICY_HEADER_SCHEMAS,
});

const BODY_EXAMPLES = { two_scenarios: { summary: 'A baseline and a turnover-capped scenario', value: EXAMPLE_BATCH } };

function correlationHeader(request: FastifyRequest): string | null {
  // The correlation hook generates an id when the header is absent or unusable; only a sent one counts here.
  return request.headers['x-correlation-id'] === request.correlationId ? request.correlationId : null;
}

/** Validated bodies of the async route, from its first preHandler to the handler. */
const validatedBatches = new WeakMap<FastifyRequest, BatchRequest>();

/** Runs before the feature gate, so a malformed request is a 422 even when the route is off. */
const validateBatchBody: preHandlerAsyncHookHandler = async (request) => {
  const validated = validateBatchRebalanceRequest(request.body);
  if (!validated.ok) throw invalidBody(validated.problems);
  validatedBatches.set(request, validated.value);
};

export interface DpmAnalyzeRouteDeps {
  readonly analyze: DpmAnalyzeService;
  readonly operations: DpmOperationService;
  readonly gates: DpmGates;
}

export function dpmAnalyzeRoutes(deps: DpmAnalyzeRouteDeps): FastifyPluginAsync {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    app.post(
      '/rebalance/analyze',
      {
        schema: {
          tags: [TAGS.whatIf],
          operationId: 'analyze_scenarios_rebalance_analyze_post',
          permission: 'simulate',
          summary: 'Run one set of snapshots under several option scenarios; each successful scenario is recorded as a run.',
          description:
            'Scenario runs carry request_hash `<batch_run_id>:<scenario>` and correlation `<X-Correlation-Id or batch_run_id>:<scenario>`. Invalid scenario options or a failing scenario land in failed_scenarios (warning PARTIAL_BATCH_FAILURE); the batch still answers 200.',
          headers: Headers,
          body: BatchRebalanceRequest,
          bodyExamples: BODY_EXAMPLES,
          response: { 200: BatchResultSchema },
          errors: ['DPM_SUPPORTABILITY_POSTGRES_UNAVAILABLE'],
        },
        validatorCompiler: engineValidatedBody,
      },
      async (request) => {
        const outcome = await deps.analyze.analyze({
          body: request.body,
          correlationHeader: correlationHeader(request),
          policy: policyHeaders(request),
          requestedBy: request.actor.subject,
        });
        if (outcome.outcome === 'invalid') throw invalidBody(outcome.problems);
        return outcome.result;
      },
    );

    app.post(
      '/rebalance/analyze/async',
      {
        schema: {
          tags: [TAGS.whatIf],
          operationId: 'analyze_scenarios_async_rebalance_analyze_async_post',
          permission: 'simulate',
          summary: 'Accept an analyze batch as a durable async operation (202).',
          description:
            'The operation is stored before the answer. INLINE mode runs it before answering, so the 202 shows SUCCEEDED or FAILED; ACCEPT_ONLY leaves it PENDING for POST /rebalance/operations/{id}/execute. If the process dies meanwhile, a worker of any replica takes it over once its lease expires. The X-Correlation-Id response header carries the operation correlation id (generated `corr_…` when not sent).',
          headers: Headers,
          body: BatchRebalanceRequest,
          bodyExamples: BODY_EXAMPLES,
          response: { 202: AcceptedSchema },
          errors: ['DPM_ASYNC_OPERATIONS_DISABLED', 'DPM_SUPPORTABILITY_POSTGRES_UNAVAILABLE'],
        },
        validatorCompiler: engineValidatedBody,
        onRequest: requireFeatures(deps.gates.asyncOperations),
        preHandler: validateBatchBody,
      },
      async (request, reply) => {
        const batch = validatedBatches.get(request);
        if (!batch) throw new Error('The batch body was not validated before the handler.');
        const operation = await deps.operations.submit({ request: batch, correlationId: request.correlationId, policy: policyHeaders(request), requestedBy: request.actor.subject });
        return reply.code(202).send(operationAccepted(operation));
      },
    );
  };
}
