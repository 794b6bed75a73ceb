/**
 * Proposal support routes (docs/advisory.md#routes): the audit trail (workflow events, approvals),
 * lineage, idempotency lookup, async operation status, and `supportability/config`.
 *
 * `supportability/config` is never gated and creates nothing: it reports the switches this process
 * runs with (fixed at startup, so the report cannot disagree with the behaviour, unlike the
 * reference's; docs/advisory.md#flags) and probes the store it already has open.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { verbatimSerializerCompiler } from '../../verbatim-serializer.ts';
import type { ProbeResult } from '../../../app/readiness.ts';
import type { ReasonCode } from '../../../config/reason-codes.ts';
import type { ProposalLifecycleSettings, ProposalStoreBackend } from '../../../config/proposal-settings.ts';
import type { ProposalOperations } from '../../../services/proposals/operations.ts';
import type { ProposalQueries } from '../../../services/proposals/queries.ts';
import { gateCodes, gated } from './gates.ts';
import { ProposalRefusedAttemptsSchema } from '../../../services/refused-attempt-schema.ts';
import { PROPOSAL_TAG } from './lifecycle.ts';
import {
  ApprovalsResponseSchema,
  IdempotencyLookupSchema,
  LineageResponseSchema,
  OperationStatusSchema,
  SupportabilityConfigSchema,
  TimelineResponseSchema,
} from '../../../services/proposals/wire-schemas.ts';
import { ProposalIdParams } from './lifecycle-schemas.ts';
import { Identifier } from '../../schema-kit.ts';

export interface ProposalSupportRouteDeps {
  readonly queries: ProposalQueries;
  readonly operations: ProposalOperations;
  readonly settings: ProposalLifecycleSettings;
  readonly backend: ProposalStoreBackend;
  /** The open store's readiness probe. */
  check(): Promise<ProbeResult>;
}

export function proposalSupportRoutes(deps: ProposalSupportRouteDeps): FastifyPluginAsync {
  const { queries, operations, settings } = deps;
  return async function register(fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    app.setSerializerCompiler(verbatimSerializerCompiler);
    const support = gated(settings, 'support');
    const asyncOnly = gated(settings, 'async');
    const STORE_DOWN = 'PROPOSAL_POSTGRES_UNAVAILABLE';
    const read = <Ok extends TSchema>(operationId: string, summary: string, ok: Ok, errors: readonly ReasonCode[]) => ({
      tags: [PROPOSAL_TAG],
      operationId,
      permission: 'proposals.read' as const,
      summary,
      response: { 200: ok },
      errors: [...errors, STORE_DOWN] as ReasonCode[],
    });
    const byProposal = <Ok extends TSchema>(operationId: string, summary: string, ok: Ok) => ({
      ...read(operationId, summary, ok, [...gateCodes('support'), 'PROPOSAL_NOT_FOUND']),
      params: ProposalIdParams,
    });

    app.get('/rebalance/proposals/supportability/config', {
        schema: {
          tags: [PROPOSAL_TAG],
          operationId: 'get_proposal_supportability_config_rebalance_proposals_supportability_config_get',
          permission: 'proposals.read',
          summary: 'The lifecycle configuration and store readiness (never gated).',
          response: { 200: SupportabilityConfigSchema },
        },
      }, async () => {
      const probe = await deps.check().catch((): ProbeResult => ({ ready: false, code: 'PROBE_FAILED' }));
      return {
        store_backend: deps.backend,
        backend_ready: probe.ready,
        backend_init_error: probe.ready ? null : (probe.code ?? 'UNAVAILABLE'),
        lifecycle_enabled: settings.lifecycleEnabled,
        support_apis_enabled: settings.supportApisEnabled,
        async_operations_enabled: settings.asyncOperationsEnabled,
        store_evidence_bundle: settings.storeEvidenceBundle,
        require_expected_state: settings.requireExpectedState,
        allow_portfolio_id_change_on_new_version: settings.allowPortfolioChangeOnNewVersion,
        require_proposal_simulation_flag: settings.requireSimulationFlag,
        async_worker_enabled: settings.asyncWorkerEnabled,
      };
    });

    app.get('/rebalance/proposals/:proposal_id/workflow-events', { onRequest: support, schema: byProposal('get_proposal_workflow_timeline_rebalance_proposals__proposal_id__workflow_events_get', 'The workflow events, in the order they happened.', TimelineResponseSchema) }, async (request) =>
      queries.events(request.params.proposal_id),
    );
    app.get('/rebalance/proposals/:proposal_id/approvals', { onRequest: support, schema: byProposal('get_proposal_approvals_rebalance_proposals__proposal_id__approvals_get', 'The approval records, in the order they were given.', ApprovalsResponseSchema) }, async (request) =>
      queries.approvals(request.params.proposal_id),
    );
    app.get(
      '/rebalance/proposals/:proposal_id/refused-attempts',
      {
        onRequest: support,
        schema: byProposal(
          'get_proposal_refused_attempts_rebalance_proposals__proposal_id__refused_attempts_get',
          'Decisions refused on the proposal (four-eyes: an author tried to approve it), oldest first.',
          ProposalRefusedAttemptsSchema,
        ),
      },
      async (request) => queries.refusedAttempts(request.params.proposal_id),
    );
    app.get('/rebalance/proposals/:proposal_id/lineage', { onRequest: support, schema: byProposal('get_proposal_lineage_rebalance_proposals__proposal_id__lineage_get', 'The versions 1..current with their hashes.', LineageResponseSchema) }, async (request) =>
      queries.lineage(request.params.proposal_id),
    );

    const KeyParams = Type.Object({ idempotency_key: Identifier() });
    app.get(
      '/rebalance/proposals/idempotency/:idempotency_key',
      {
        onRequest: support,
        schema: {
          ...read('get_proposal_idempotency_lookup_rebalance_proposals_idempotency__idempotency_key__get', 'What an Idempotency-Key created.', IdempotencyLookupSchema, [
            ...gateCodes('support'),
            'PROPOSAL_IDEMPOTENCY_KEY_NOT_FOUND',
          ]),
          params: KeyParams,
        },
      },
      async (request) => queries.idempotency(request.params.idempotency_key),
    );

    const OperationParams = Type.Object({ operation_id: Identifier() });
    app.get(
      '/rebalance/proposals/operations/:operation_id',
      {
        onRequest: asyncOnly,
        schema: {
          ...read('get_proposal_async_operation_rebalance_proposals_operations__operation_id__get', 'An async operation.', OperationStatusSchema, [
            ...gateCodes('async'),
            'PROPOSAL_ASYNC_OPERATION_NOT_FOUND',
          ]),
          params: OperationParams,
        },
      },
      async (request) => operations.get(request.params.operation_id),
    );
    const CorrelationParams = Type.Object({ correlation_id: Identifier() });
    app.get(
      '/rebalance/proposals/operations/by-correlation/:correlation_id',
      {
        onRequest: asyncOnly,
        schema: {
          ...read(
            'get_proposal_async_operation_by_correlation_rebalance_proposals_operations_by_correlation__correlation_id__get',
            'The latest async operation of a correlation id.',
            OperationStatusSchema,
            [...gateCodes('async'), 'PROPOSAL_ASYNC_OPERATION_NOT_FOUND'],
          ),
          params: CorrelationParams,
        },
      },
      async (request) => operations.getByCorrelation(request.params.correlation_id),
    );
  };
}
