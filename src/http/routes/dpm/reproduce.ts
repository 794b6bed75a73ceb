/**
 * POST /rebalance/runs/{rebalance_run_id}/reproduce (docs/dpm-api.md#reproducing-a-run): runs a
 * recorded run's request through today's engine and answers whether the result is identical.
 * Gated like the other run lookups (DPM_SUPPORT_APIS_ENABLED); writes nothing.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { ReasonError } from '../../../config/reason-codes.ts';
import type { DpmReproduceService } from '../../../services/dpm/reproduce.ts';
import { requireFeatures, type DpmGates } from '../../feature-gates.ts';
import { TAGS } from '../../openapi/tags.ts';
import { RunIdParams } from './support-schemas.ts';
import { RunReproductionSchema } from '../../../services/reproduction-schemas.ts';

export function dpmReproduceRoutes(deps: { readonly reproduce: DpmReproduceService; readonly gates: DpmGates }): FastifyPluginAsync {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    app.post(
      '/rebalance/runs/:rebalance_run_id/reproduce',
      {
        schema: {
          tags: [TAGS.support],
          operationId: 'reproduce_run_rebalance_runs__rebalance_run_id__reproduce_post',
          permission: 'runs.read',
          summary: "Run a recorded run's request through today's engine: is the result identical?",
          description:
            'Re-runs the recorded request with the options it ran under (after its policy pack) and its own run id, correlation id and request hash, and compares the result with the recorded one field by field (`lineage.engine_version` aside: both builds are reported). Nothing is written. 409 DPM_RUN_REQUEST_NOT_STORED for a run recorded before runs kept their request.',
          params: RunIdParams,
          response: { 200: RunReproductionSchema },
          responseExamples: { different: { summary: "A run today's engine computes differently", value: RunReproductionSchema.examples[0] } },
          errors: ['DPM_RUN_NOT_FOUND', 'DPM_RUN_REQUEST_NOT_STORED', 'DPM_SUPPORT_APIS_DISABLED', 'DPM_SUPPORTABILITY_POSTGRES_UNAVAILABLE'],
        },
        onRequest: requireFeatures(deps.gates.support),
      },
      async (request) => {
        const outcome = await deps.reproduce.reproduce(request.params.rebalance_run_id);
        if (outcome.outcome === 'not_found') throw new ReasonError('DPM_RUN_NOT_FOUND', 'No run matches.');
        if (outcome.outcome === 'not_stored') {
          throw new ReasonError(
            'DPM_RUN_REQUEST_NOT_STORED',
            `Run ${outcome.run.rebalance_run_id} was recorded on ${outcome.run.created_at}, before runs kept their request, so it cannot be reproduced; its stored result stands as recorded.`,
          );
        }
        return outcome.report;
      },
    );
  };
}
