/**
 * POST /rebalance/proposals/{proposal_id}/versions/{version_no}/reproduce
 * (docs/advisory.md#reproducing-a-version): simulates a version's recorded request again with
 * today's engine and answers whether result and artifact are identical. Gated like the other
 * support reads (PROPOSAL_WORKFLOW_LIFECYCLE_ENABLED, PROPOSAL_SUPPORT_APIS_ENABLED); writes nothing.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { ProposalReproduceService } from '../../../services/proposals/reproduce.ts';
import { TAGS } from '../../openapi/tags.ts';
import { gateCodes, gated, type ProposalRouteFlags } from './gates.ts';
import { VersionReproductionSchema } from '../../../services/reproduction-schemas.ts';
import { VersionParams } from './lifecycle-schemas.ts';

export function proposalReproduceRoutes(deps: { readonly reproduce: ProposalReproduceService; readonly flags: ProposalRouteFlags }): FastifyPluginAsync {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    app.post(
      '/rebalance/proposals/:proposal_id/versions/:version_no/reproduce',
      {
        onRequest: gated(deps.flags, 'support'),
        schema: {
          tags: [TAGS.lifecycle],
          operationId: 'reproduce_proposal_version_rebalance_proposals__proposal_id__versions__version_no__reproduce_post',
          permission: 'proposals.read',
          summary: "Simulate a version's recorded request with today's engine: are result and artifact identical?",
          description:
            'Validates the recorded simulate request again, simulates it under the version’s own request hash, correlation id and idempotency key, rebuilds the artifact at the version’s creation time (without the evidence bundle when the version was stored without it) and compares both with the stored ones field by field. Nothing is written.',
          params: VersionParams,
          response: { 200: VersionReproductionSchema },
          responseExamples: { different: { summary: "A version today's engine simulates differently", value: VersionReproductionSchema.examples[0] } },
          errors: [...gateCodes('support'), 'PROPOSAL_NOT_FOUND', 'PROPOSAL_VERSION_NOT_FOUND', 'PROPOSAL_VERSION_REQUEST_NOT_STORED', 'PROPOSAL_POSTGRES_UNAVAILABLE'],
        },
      },
      async (request) => deps.reproduce.reproduce(request.params.proposal_id, Number(request.params.version_no)),
    );
  };
}
