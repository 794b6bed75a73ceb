/**
 * DPM simulate (docs/dpm-api.md#simulate) and the single-run lookups
 * (docs/dpm-api.md#runs-and-lookups). Listing, artifacts, lineage and support bundles are in
 * support.ts, the workflow in workflow.ts.
 */
import { Type, type TObject } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { rebalanceRequestHash, simulateRebalance, validateRebalanceRequest } from '../../../domain/dpm/index.ts';
import { runLookup, type DpmRunService } from '../../../services/dpm/runs.ts';
import type { DpmSupportService } from '../../../services/dpm/support.ts';
import { requireFeatures, type DpmGates } from '../../feature-gates.ts';
import type { ServiceMetrics } from '../../../services/observability/metrics.ts';
import { IdempotencyKeyHeader, idempotencyConflict, idempotencyKeyOf, invalidBody, markReplay } from '../../idempotency.ts';
import { RebalanceRequest, RebalanceResult } from '../../openapi/models.ts';
import { TAGS } from '../../openapi/tags.ts';
import { POLICY_HEADER_SCHEMAS, policyHeaders } from '../../policy-headers.ts';
import { engineValidatedBody } from '../../validation.ts';
import { sendJsonText, verbatimSerializerCompiler } from '../../verbatim-serializer.ts';
import { IdempotencyMappingSchema, RunLookupSchema } from '../../../services/dpm/wire-schemas.ts';
import { CorrelationParams, IdempotencyKeyParams, RequestHashParams, RunIdParams } from './support-schemas.ts';
import { CorrelationIdHeader } from '../../schema-kit.ts';

const STORE_DOWN = 'DPM_SUPPORTABILITY_POSTGRES_UNAVAILABLE';

/** The reference's example request, and a variant whose price is missing (BLOCKED). */
const READY_REQUEST = {
  portfolio_snapshot: {
    portfolio_id: 'pf_1',
    base_currency: 'USD',
    positions: [{ instrument_id: 'EQ_1', quantity: '100' }],
    cash_balances: [{ currency: 'USD', amount: '5000' }],
  },
  market_data_snapshot: { prices: [{ instrument_id: 'EQ_1', price: '100', currency: 'USD' }], fx_rates: [] },
  model_portfolio: { targets: [{ instrument_id: 'EQ_1', weight: '0.6' }] },
  shelf_entries: [{ instrument_id: 'EQ_1', status: 'APPROVED' }],
  options: { target_method: 'HEURISTIC', enable_tax_awareness: false, enable_settlement_awareness: false },
};
const BLOCKED_REQUEST = { ...READY_REQUEST, market_data_snapshot: { prices: [], fx_rates: [] } };

/** The engine's real answer to an example (what the server returns for it, ids aside). */
function engineAnswer(request: unknown, runId: string): unknown {
  const validated = validateRebalanceRequest(request);
  if (!validated.ok) throw new Error('An OpenAPI example rebalance request does not validate.');
  return simulateRebalance(validated.value, { runId, correlationId: 'corr_3f2a9c1b7d4e', requestHash: rebalanceRequestHash(validated.value) });
}

export interface DpmRunRouteDeps {
  readonly service: DpmRunService;
  /** The run lookups (their not-found refusals included). */
  readonly support: DpmSupportService;
  readonly gates: DpmGates;
  readonly metrics: Pick<ServiceMetrics, 'dpmSimulations' | 'dpmIdempotentReplays' | 'dpmIdempotencyConflicts'>;
}

export function dpmRunRoutes(deps: DpmRunRouteDeps): FastifyPluginAsync {
  return async function register(fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    app.post(
      '/rebalance/simulate',
      {
        validatorCompiler: engineValidatedBody,
        serializerCompiler: verbatimSerializerCompiler,
        schema: {
          tags: [TAGS.simulation],
          operationId: 'simulate_rebalance_rebalance_simulate_post',
          permission: 'simulate',
          summary: 'Simulate a Portfolio Rebalance',
          description:
            'Runs one deterministic rebalance simulation; the run is recorded before it is returned. Domain outcomes (READY, PENDING_REVIEW, BLOCKED) are in the body `status`. The same Idempotency-Key with the same request replays the stored run (same rebalance_run_id, header `Idempotent-Replay: true`); with another request — or the same request under another policy pack — it is 409 IDEMPOTENCY_KEY_CONFLICT. Without X-Correlation-Id a `corr_<hex>` id is generated.',
          headers: Type.Object({
            'idempotency-key': IdempotencyKeyHeader,
            'x-correlation-id': CorrelationIdHeader('Recorded with the run.'),
            ...POLICY_HEADER_SCHEMAS,
          }),
          body: RebalanceRequest,
          bodyExamples: { ready: { summary: 'A one-instrument rebalance', value: READY_REQUEST } },
          response: { 200: RebalanceResult },
          responseExamples: {
            ready: { summary: 'READY run', value: engineAnswer(READY_REQUEST, 'rr_demo1234') },
            blocked: { summary: 'BLOCKED run (missing price)', value: engineAnswer(BLOCKED_REQUEST, 'rr_demo9999') },
          },
          errors: ['IDEMPOTENCY_KEY_CONFLICT', STORE_DOWN, 'DPM_POLICY_PACK_POSTGRES_UNAVAILABLE'],
        },
      },
      async (request, reply) => {
        const outcome = await deps.service.simulate({
          body: request.body,
          idempotencyKey: idempotencyKeyOf(request),
          correlationId: request.correlationId,
          policy: policyHeaders(request),
          requestedBy: request.actor.subject,
        });
        if (outcome.outcome === 'invalid') throw invalidBody(outcome.problems);
        if (outcome.outcome === 'conflict') {
          deps.metrics.dpmIdempotencyConflicts.inc();
          throw idempotencyConflict(outcome.samePolicyFreeRequest ? 'IDEMPOTENCY_KEY_CONFLICT: policy pack mismatch' : 'IDEMPOTENCY_KEY_CONFLICT: request hash mismatch');
        }
        markReplay(reply, outcome.replayed);
        if (outcome.replayed) deps.metrics.dpmIdempotentReplays.inc();
        else deps.metrics.dpmSimulations.inc({ status: String((outcome.result as { status?: unknown }).status) });
        return sendJsonText(reply, outcome.resultText);
      },
    );

    const lookup = <P extends TObject>(operationId: string, summary: string, params: P) => ({
      tags: [TAGS.support],
      operationId,
      permission: 'runs.read' as const,
      summary,
      params,
      response: { 200: RunLookupSchema },
      errors: ['DPM_RUN_NOT_FOUND', 'DPM_SUPPORT_APIS_DISABLED', STORE_DOWN] as const,
    });
    const supportGate = requireFeatures(deps.gates.support);
    app.get(
      '/rebalance/runs/:rebalance_run_id',
      { schema: lookup('get_run_by_run_id_rebalance_runs__rebalance_run_id__get', 'A run by id.', RunIdParams), onRequest: supportGate },
      async (request) => runLookup(await deps.support.runById(request.params.rebalance_run_id)),
    );
    app.get(
      '/rebalance/runs/by-correlation/:correlation_id',
      { schema: lookup('get_run_by_correlation_rebalance_runs_by_correlation__correlation_id__get', 'The latest run of a correlation id.', CorrelationParams), onRequest: supportGate },
      async (request) => runLookup(await deps.support.runByCorrelation(request.params.correlation_id)),
    );
    app.get(
      '/rebalance/runs/by-request-hash/:request_hash',
      { schema: lookup('get_run_by_request_hash_rebalance_runs_by_request_hash__request_hash__get', 'The latest run of a request hash.', RequestHashParams), onRequest: supportGate },
      async (request) => runLookup(await deps.support.runByRequestHash(request.params.request_hash)),
    );
    app.get(
      '/rebalance/runs/idempotency/:idempotency_key',
      {
        schema: {
          tags: [TAGS.support],
          operationId: 'get_run_idempotency_lookup_rebalance_runs_idempotency__idempotency_key__get',
          permission: 'runs.read',
          summary: 'The current mapping of an idempotency key.',
          params: IdempotencyKeyParams,
          response: { 200: IdempotencyMappingSchema },
          errors: ['DPM_IDEMPOTENCY_KEY_NOT_FOUND', 'DPM_SUPPORT_APIS_DISABLED', STORE_DOWN],
        },
        onRequest: supportGate,
      },
      async (request) => deps.support.idempotencyMapping(request.params.idempotency_key),
    );
  };
}
