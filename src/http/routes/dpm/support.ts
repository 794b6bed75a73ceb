/**
 * DPM supportability routes (docs/dpm-api.md): run listing, artifacts, lineage, idempotency
 * history, the summary and the four support-bundle routes. (The single-run lookups live with
 * simulate in runs.ts.)
 *
 * Every route is gated by DPM_SUPPORT_APIS_ENABLED and then its own feature flag, checked before
 * anything else of the request (src/http/feature-gates.ts). Fixed path segments
 * (`by-correlation`, `idempotency`, `by-operation`) win over `{rebalance_run_id}` by the router's
 * static-first matching, so `/rebalance/runs/by-correlation/x/support-bundle` is a correlation
 * bundle whatever the order of registration.
 */
import type { Static, TObject } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { DpmArtifactResolver } from '../../../services/dpm/artifact.ts';
import type { BundleOptions, DpmSupportBundleService } from '../../../services/dpm/support-bundle.ts';
import type { DpmSupportService } from '../../../services/dpm/support.ts';
import { requireFeatures, type DpmGates } from '../../feature-gates.ts';
import { instantOf } from '../../instants.ts';
import {
  ArtifactSchema,
  IdempotencyHistorySchema,
  LineageSchema,
  RunListSchema,
  SummarySchema,
  SupportBundleSchema,
} from '../../../services/dpm/wire-schemas.ts';
import {
  BundleQuery,
  CorrelationParams,
  EntityParams,
  IdempotencyKeyParams,
  LineageQuery,
  OperationParams,
  RunIdParams,
  RunListQuery,
} from './support-schemas.ts';

import { TAGS } from '../../openapi/tags.ts';
import type { ReasonCode } from '../../../config/reason-codes.ts';

const TAG = TAGS.support;
const STORE_DOWN = 'DPM_SUPPORTABILITY_POSTGRES_UNAVAILABLE';

export interface DpmSupportRouteDeps {
  readonly support: DpmSupportService;
  readonly bundles: DpmSupportBundleService;
  readonly artifacts: DpmArtifactResolver;
  readonly gates: DpmGates;
}

/** The support gate, the route's own gate, then what the route itself can answer. */
const gatedErrors = (...codes: ReasonCode[]): ReasonCode[] => ['DPM_SUPPORT_APIS_DISABLED', ...codes, STORE_DOWN];

function bundleOptions(query: Static<typeof BundleQuery>): BundleOptions {
  return {
    includeArtifact: query.include_artifact,
    includeAsyncOperation: query.include_async_operation,
    includeIdempotencyHistory: query.include_idempotency_history,
  };
}

export function dpmSupportRoutes(deps: DpmSupportRouteDeps): FastifyPluginAsync {
  const { support, bundles, gates } = deps;
  const gated = {
    support: requireFeatures(gates.support),
    artifacts: requireFeatures(gates.support, gates.artifacts),
    lineage: requireFeatures(gates.support, gates.lineage),
    history: requireFeatures(gates.support, gates.idempotencyHistory),
    summary: requireFeatures(gates.support, gates.summary),
    bundle: requireFeatures(gates.support, gates.supportBundle),
  };

  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/rebalance/runs',
      {
        schema: {
          tags: [TAG],
          operationId: 'list_runs_rebalance_runs_get',
          permission: 'runs.read',
          summary: 'List runs, newest first, with filters and a cursor.',
          querystring: RunListQuery,
          response: { 200: RunListSchema },
          errors: gatedErrors('DPM_SUPPORTABILITY_INVALID_CURSOR'),
        },
        onRequest: gated.support,
      },
      async (request) => {
        const q = request.query;
        return support.listRuns({
          created_from: instantOf(q.from),
          created_to: instantOf(q.to),
          status: q.status,
          request_hash: q.request_hash,
          portfolio_id: q.portfolio_id,
          limit: q.limit,
          cursor: q.cursor,
        });
      },
    );

    app.get(
      '/rebalance/runs/:rebalance_run_id/artifact',
      {
        schema: {
          tags: [TAG],
          operationId: 'get_run_artifact_by_run_id_rebalance_runs__rebalance_run_id__artifact_get',
          permission: 'runs.read',
          summary: 'The run artifact: the recorded run packaged with a deterministic artifact_hash.',
          params: RunIdParams,
          response: { 200: ArtifactSchema },
          errors: gatedErrors('DPM_ARTIFACTS_DISABLED', 'DPM_RUN_NOT_FOUND'),
        },
        onRequest: gated.artifacts,
      },
      async (request) => deps.artifacts.artifactOf(await support.runById(request.params.rebalance_run_id)),
    );

    app.get(
      '/rebalance/lineage/:entity_id',
      {
        schema: {
          tags: [TAG],
          operationId: 'get_dpm_lineage_rebalance_lineage__entity_id__get',
          permission: 'runs.read',
          summary: 'Direct lineage edges of an entity (run, correlation id, idempotency key, operation), oldest first.',
          params: EntityParams,
          querystring: LineageQuery,
          response: { 200: LineageSchema },
          errors: gatedErrors('DPM_LINEAGE_APIS_DISABLED', 'DPM_SUPPORTABILITY_INVALID_CURSOR'),
        },
        onRequest: gated.lineage,
      },
      async (request) => {
        const q = request.query;
        return support.lineage(request.params.entity_id, {
          edge_type: q.edge_type,
          created_from: instantOf(q.from),
          created_to: instantOf(q.to),
          limit: q.limit,
          cursor: q.cursor,
        });
      },
    );

    app.get(
      '/rebalance/idempotency/:idempotency_key/history',
      {
        schema: {
          tags: [TAG],
          operationId: 'get_run_idempotency_history_rebalance_idempotency__idempotency_key__history_get',
          permission: 'runs.read',
          summary: 'Every simulate attempt recorded under an idempotency key, oldest first.',
          params: IdempotencyKeyParams,
          response: { 200: IdempotencyHistorySchema },
          errors: gatedErrors('DPM_IDEMPOTENCY_HISTORY_APIS_DISABLED', 'DPM_IDEMPOTENCY_KEY_NOT_FOUND'),
        },
        onRequest: gated.history,
      },
      async (request) => support.idempotencyHistory(request.params.idempotency_key),
    );

    app.get(
      '/rebalance/supportability/summary',
      {
        schema: {
          tags: [TAG],
          operationId: 'get_dpm_supportability_summary_rebalance_supportability_summary_get',
          permission: 'runs.read',
          summary: 'Counts and time ranges of everything in the supportability store.',
          response: { 200: SummarySchema },
          errors: gatedErrors('DPM_SUPPORTABILITY_SUMMARY_APIS_DISABLED'),
        },
        onRequest: gated.summary,
      },
      async () => support.summary(),
    );

    const bundleSchema = <P extends TObject>(operationId: string, summary: string, params: P, notFound: readonly ReasonCode[]) => ({
      tags: [TAG],
      operationId,
      permission: 'runs.read' as const,
      summary,
      params,
      querystring: BundleQuery,
      response: { 200: SupportBundleSchema },
      errors: gatedErrors('DPM_SUPPORT_BUNDLE_APIS_DISABLED', ...notFound),
    });
    app.get(
      '/rebalance/runs/by-correlation/:correlation_id/support-bundle',
      { schema: bundleSchema('get_dpm_run_support_bundle_by_correlation_rebalance_runs_by_correlation__correlation_id__support_bundle_get', 'Support bundle of the latest run of a correlation id.', CorrelationParams, ['DPM_RUN_NOT_FOUND']), onRequest: gated.bundle },
      async (request) => bundles.byCorrelation(request.params.correlation_id, bundleOptions(request.query)),
    );
    app.get(
      '/rebalance/runs/idempotency/:idempotency_key/support-bundle',
      { schema: bundleSchema('get_dpm_run_support_bundle_by_idempotency_rebalance_runs_idempotency__idempotency_key__support_bundle_get', 'Support bundle of the run an idempotency key maps to.', IdempotencyKeyParams, ['DPM_IDEMPOTENCY_KEY_NOT_FOUND']), onRequest: gated.bundle },
      async (request) => bundles.byIdempotencyKey(request.params.idempotency_key, bundleOptions(request.query)),
    );
    app.get(
      '/rebalance/runs/by-operation/:operation_id/support-bundle',
      { schema: bundleSchema('get_dpm_run_support_bundle_by_operation_rebalance_runs_by_operation__operation_id__support_bundle_get', 'Support bundle of the newest run an async operation recorded.', OperationParams, ['DPM_ASYNC_OPERATION_NOT_FOUND', 'DPM_RUN_NOT_FOUND']), onRequest: gated.bundle },
      async (request) => bundles.byOperation(request.params.operation_id, bundleOptions(request.query)),
    );
    app.get(
      '/rebalance/runs/:rebalance_run_id/support-bundle',
      { schema: bundleSchema('get_dpm_run_support_bundle_rebalance_runs__rebalance_run_id__support_bundle_get', 'Support bundle of a run.', RunIdParams, ['DPM_RUN_NOT_FOUND']), onRequest: gated.bundle },
      async (request) => bundles.byRunId(request.params.rebalance_run_id, bundleOptions(request.query)),
    );
  };
}
