/**
 * Advisory proposal simulation (docs/advisory.md#http-api):
 *
 * - POST /rebalance/proposals/simulate   ProposalResult
 * - POST /rebalance/proposals/artifact   ProposalArtifact
 *
 * The schemas below document the API; they do not validate or serialise it. The advisory
 * engine's validator is the single judge of a body (pydantic-style codes and the reference's
 * messages, every problem at once), and responses — replays included — are sent exactly as the
 * engine produced and the store kept them, which a schema-driven serialiser would reorder or trim.
 */
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifySchema } from 'fastify';
import { ReasonError } from '../../../config/reason-codes.ts';
import {
  buildProposalArtifact,
  proposalRequestHash,
  proposalRunIdFor,
  simulateProposal,
  validateProposalSimulateRequest,
} from '../../../domain/advisory/index.ts';
import type { ProposalSimulationOutcome, ProposalSimulationService } from '../../../services/proposals/simulation.ts';
import { IdempotencyKeyHeader, idempotencyConflict, idempotencyKeyOf, invalidBody, markReplay } from '../../idempotency.ts';
import { ProposalArtifact, ProposalResult, ProposalSimulateRequest } from '../../openapi/models.ts';
import { TAGS } from '../../openapi/tags.ts';
import { engineValidatedBody } from '../../validation.ts';
import { verbatimSerializerCompiler } from '../../verbatim-serializer.ts';
import { CorrelationIdHeader } from '../../schema-kit.ts';

/** A small proposal for the OpenAPI page: a client top-up and one buy (a test proves it simulates). */
export const PROPOSAL_REQUEST_EXAMPLE = {
  portfolio_snapshot: {
    portfolio_id: 'pf_example_001',
    base_currency: 'SGD',
    positions: [{ instrument_id: 'SG_BOND_ETF', quantity: '120' }],
    cash_balances: [{ currency: 'SGD', amount: '2500' }],
  },
  market_data_snapshot: {
    prices: [
      { instrument_id: 'SG_BOND_ETF', price: '100', currency: 'SGD' },
      { instrument_id: 'US_EQ_ETF', price: '150', currency: 'SGD' },
    ],
    fx_rates: [],
  },
  shelf_entries: [
    { instrument_id: 'SG_BOND_ETF', status: 'APPROVED', asset_class: 'BOND' },
    { instrument_id: 'US_EQ_ETF', status: 'APPROVED', asset_class: 'EQUITY' },
  ],
  options: { enable_proposal_simulation: true, block_on_missing_prices: true, block_on_missing_fx: true },
  proposed_cash_flows: [{ intent_type: 'CASH_FLOW', currency: 'SGD', amount: '8000', description: 'Client top-up' }],
  proposed_trades: [{ intent_type: 'SECURITY_TRADE', side: 'BUY', instrument_id: 'US_EQ_ETF', quantity: '12' }],
};

/** The example request's real answers, computed by the engine, so the documented responses cannot drift from it. */
function exampleResponses(): { readonly result: unknown; readonly artifact: unknown } {
  const validated = validateProposalSimulateRequest(PROPOSAL_REQUEST_EXAMPLE);
  if (!validated.ok) throw new Error('The OpenAPI example proposal request does not validate.');
  const requestHash = proposalRequestHash(validated.value);
  const result = simulateProposal(validated.value, {
    runId: proposalRunIdFor(requestHash),
    correlationId: 'corr_3f2a9c1b7d4e',
    requestHash,
    idempotencyKey: 'proposal-demo-001',
  });
  return { result, artifact: buildProposalArtifact(validated.value, result, { createdAt: '2026-11-25T09:30:00.000000+00:00' }) };
}

const IDEMPOTENCY_RULE =
  'Idempotency-Key is required and scoped to this endpoint. The same key with the same request (canonical hash of the validated body, defaults filled in) replays the stored response verbatim with header `Idempotent-Replay: true`; with another request it is 409 IDEMPOTENCY_KEY_CONFLICT. Stored responses are shared by every replica and kept until an operator deletes them. Without X-Correlation-Id a `corr_<hex>` id is generated.';
const GATE_RULE = 'A valid body without `options.enable_proposal_simulation: true` is 422 PROPOSAL_SIMULATION_DISABLED; nothing is simulated or stored.';

function schemaFor(operationId: string, summary: string, description: string, ok: object, example: unknown): FastifySchema {
  return {
    tags: [TAGS.advisorySimulation],
    operationId,
    permission: 'simulate',
    summary,
    description: `${description}\n\n${GATE_RULE}\n\n${IDEMPOTENCY_RULE}`,
    headers: Type.Object({ 'idempotency-key': IdempotencyKeyHeader, 'x-correlation-id': CorrelationIdHeader('Recorded in the result.') }),
    body: ProposalSimulateRequest,
    bodyExamples: { top_up_and_buy: { summary: 'A client top-up and one buy', value: PROPOSAL_REQUEST_EXAMPLE } },
    response: { 200: ok },
    responseExamples: { ready: { summary: 'The example request, simulated', value: example } },
    errors: ['IDEMPOTENCY_KEY_CONFLICT', 'PROPOSAL_SIMULATION_DISABLED', 'PROPOSAL_POSTGRES_UNAVAILABLE'],
  };
}

function answer(reply: FastifyReply, outcome: ProposalSimulationOutcome): FastifyReply {
  switch (outcome.outcome) {
    case 'invalid':
      throw invalidBody(outcome.problems);
    case 'disabled':
      throw new ReasonError('PROPOSAL_SIMULATION_DISABLED', 'Set options.enable_proposal_simulation=true to simulate a proposal; nothing was simulated or stored.');
    case 'conflict':
      throw idempotencyConflict();
    case 'ok':
      markReplay(reply, outcome.replayed);
      return reply.send(outcome.response);
  }
}

const documentationOnly = {
  validatorCompiler: engineValidatedBody,
  serializerCompiler: verbatimSerializerCompiler,
};

export function proposalSimulationRoutes(deps: { service: ProposalSimulationService }): FastifyPluginAsync {
  return async function register(fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    const examples = exampleResponses();
    app.post(
      '/rebalance/proposals/simulate',
      {
        ...documentationOnly,
        schema: schemaFor(
          'simulate_proposal_rebalance_proposals_simulate_post',
          'Simulate an advisory proposal (cash flows and manual trades, auto-funded, checked).',
          'Answers 200 with a ProposalResult for every domain outcome (READY, PENDING_REVIEW, BLOCKED). `proposal_run_id` is `pr_` + 8 hex derived from the request hash.',
          ProposalResult,
          examples.result,
        ),
      },
      async (request, reply) =>
        answer(reply, await deps.service.simulate({ body: request.body, idempotencyKey: idempotencyKeyOf(request), correlationId: request.correlationId })),
    );

    app.post(
      '/rebalance/proposals/artifact',
      {
        ...documentationOnly,
        schema: schemaFor(
          'build_proposal_artifact_endpoint_rebalance_proposals_artifact_post',
          'Simulate an advisory proposal and package it as a client-ready artifact with a sealed evidence bundle.',
          '`evidence_bundle.hashes.artifact_hash` covers the proposal\'s inputs and outputs only (not its run id, correlation id, idempotency key or created_at), so the same proposal has the same hash on every call; see docs/advisory.md.',
          ProposalArtifact,
          examples.artifact,
        ),
      },
      async (request, reply) =>
        answer(reply, await deps.service.artifact({ body: request.body, idempotencyKey: idempotencyKeyOf(request), correlationId: request.correlationId })),
    );
  };
}
