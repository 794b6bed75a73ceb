/**
 * DPM simulate (docs/dpm-api.md#simulate) and the single-run lookups
 * (docs/dpm-api.md#runs-and-lookups). Listing, artifacts, lineage and support bundles are in
 * dpm-support.ts, the workflow in dpm-workflow.ts.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { DpmRunService } from '../../services/dpm-runs.ts';
import { runLookup } from '../../services/dpm-runs.ts';
import type { DpmSupportabilityStore, RunRecord } from '../../stores/dpm-supportability/port.ts';
import { HttpError } from '../errors.ts';
import { requireFeatures, type DpmGates } from '../feature-gates.ts';
import type { ServiceMetrics } from '../../services/metrics.ts';
import { idempotencyConflict, invalidBody, markReplay, requireIdempotencyKey } from '../idempotency.ts';
import { POLICY_HEADER_SCHEMAS, policyHeaders } from '../policy-headers.ts';

const TAG = 'DPM Run Supportability';

function found(run: RunRecord | null): Record<string, unknown> {
  if (!run) throw new HttpError(404, 'DPM_RUN_NOT_FOUND', 'No run matches.');
  return runLookup(run);
}

export interface DpmRunRouteDeps {
  readonly service: DpmRunService;
  readonly store: DpmSupportabilityStore;
  readonly gates: DpmGates;
  readonly metrics: Pick<ServiceMetrics, 'dpmSimulations' | 'dpmIdempotentReplays' | 'dpmIdempotencyConflicts'>;
}

export function dpmRunRoutes(deps: DpmRunRouteDeps): FastifyPluginAsync {
  return async function register(app: FastifyInstance): Promise<void> {
    app.post(
      '/rebalance/simulate',
      {
        schema: {
          tags: ['DPM Rebalance'],
          summary: 'Simulate a rebalance; the run is recorded before it is returned. Idempotency-Key is required.',
          description:
            'The body is a RebalanceRequest (see docs/engine.md). The same Idempotency-Key with the same request replays the stored run (same rebalance_run_id, header `Idempotent-Replay: true`); with another request it is 409 IDEMPOTENCY_KEY_CONFLICT. Without X-Correlation-Id a `corr_<hex>` id is generated.',
          headers: Type.Object({
            'idempotency-key': Type.Optional(Type.String()),
            'x-correlation-id': Type.Optional(Type.String()),
            ...POLICY_HEADER_SCHEMAS,
          }),
        },
      },
      async (request, reply) => {
        const idempotencyKey = requireIdempotencyKey(request);
        const outcome = await deps.service.simulate({
          body: request.body,
          idempotencyKey,
          correlationId: request.correlationId,
          policy: policyHeaders(request),
        });
        if (outcome.outcome === 'invalid') throw invalidBody(outcome.problems);
        if (outcome.outcome === 'conflict') {
          deps.metrics.dpmIdempotencyConflicts.inc();
          throw idempotencyConflict();
        }
        markReplay(reply, outcome.replayed);
        if (outcome.replayed) deps.metrics.dpmIdempotentReplays.inc();
        else deps.metrics.dpmSimulations.inc({ status: String((outcome.result as { status?: unknown }).status) });
        return reply.send(outcome.result);
      },
    );

    const lookup = { tags: [TAG], response: {} };
    const supportGate = requireFeatures(deps.gates.support);
    app.get<{ Params: { rebalance_run_id: string } }>(
      '/rebalance/runs/:rebalance_run_id',
      { schema: { ...lookup, summary: 'A run by id.' }, preHandler: supportGate },
      async (request) => found(await deps.store.getRun(request.params.rebalance_run_id)),
    );
    app.get<{ Params: { correlation_id: string } }>(
      '/rebalance/runs/by-correlation/:correlation_id',
      { schema: { ...lookup, summary: 'The latest run of a correlation id.' }, preHandler: supportGate },
      async (request) => found(await deps.store.getRunByCorrelation(request.params.correlation_id)),
    );
    app.get<{ Params: { request_hash: string } }>(
      '/rebalance/runs/by-request-hash/:request_hash',
      { schema: { ...lookup, summary: 'The latest run of a request hash.' }, preHandler: supportGate },
      async (request) => found(await deps.store.getRunByRequestHash(request.params.request_hash)),
    );
    app.get<{ Params: { idempotency_key: string } }>(
      '/rebalance/runs/idempotency/:idempotency_key',
      { schema: { ...lookup, summary: 'The current mapping of an idempotency key.' }, preHandler: supportGate },
      async (request) => {
        const mapping = await deps.store.getIdempotencyMapping(request.params.idempotency_key);
        if (!mapping) throw new HttpError(404, 'DPM_IDEMPOTENCY_KEY_NOT_FOUND', 'No run was recorded with this key.');
        return mapping;
      },
    );
  };
}
