/**
 * Support bundles (docs/dpm-api.md#support-bundles-and-summary): everything operations need about
 * one run in one response — the run, its artifact, the async operation behind it, idempotency
 * history, workflow history and lineage — reached by run id, correlation id, idempotency key or
 * operation id.
 *
 * Unlike the reference, a run recorded by an async operation is linked to its operation through
 * `OPERATION_TO_RUN` lineage edges (operation id → scenario run id), since scenario runs carry
 * `<correlation>:<scenario>` and never the operation's exact correlation id. The exact correlation
 * id is still the fallback, for runs recorded without those edges.
 */
import type { Static } from '@sinclair/typebox';
import { ReasonError } from '../../config/reason-codes.ts';
import type { AsyncOperation, DpmRunStore, RunRecord } from '../../stores/dpm-runs/port.ts';
import { OPERATION_TO_RUN } from './analyze.ts';
import type { DpmArtifactResolver } from './artifact.ts';
import { operationStatus } from './operations.ts';
import { runLookup } from './runs.ts';
import { edgeView, runNotFound, type DpmSupportService } from './support.ts';
import type { SupportBundleSchema } from './wire-schemas.ts';

export type SupportBundle = Static<typeof SupportBundleSchema>;

export interface BundleOptions {
  readonly includeArtifact: boolean;
  readonly includeAsyncOperation: boolean;
  readonly includeIdempotencyHistory: boolean;
}

export interface DpmSupportBundleService {
  byRunId(runId: string, options: BundleOptions): Promise<SupportBundle>;
  byCorrelation(correlationId: string, options: BundleOptions): Promise<SupportBundle>;
  byIdempotencyKey(key: string, options: BundleOptions): Promise<SupportBundle>;
  /** 404 DPM_ASYNC_OPERATION_NOT_FOUND, then DPM_RUN_NOT_FOUND when the operation recorded no run. */
  byOperation(operationId: string, options: BundleOptions): Promise<SupportBundle>;
}

const newestFirst = (a: RunRecord, b: RunRecord): number =>
  a.created_at === b.created_at ? b.rebalance_run_id.localeCompare(a.rebalance_run_id) : Date.parse(b.created_at) - Date.parse(a.created_at);

export function createDpmSupportBundleService(deps: {
  store: DpmRunStore;
  support: DpmSupportService;
  artifacts: DpmArtifactResolver;
}): DpmSupportBundleService {
  const { store, support, artifacts } = deps;

  /** The operation that recorded the run: by an OPERATION_TO_RUN edge, else by the run's exact correlation id. */
  async function operationOf(run: RunRecord, runEdges: readonly { edge_type: string; source_entity_id: string; target_entity_id: string }[]) {
    const link = runEdges.find((edge) => edge.edge_type === OPERATION_TO_RUN && edge.target_entity_id === run.rebalance_run_id);
    const linked = link ? await store.getOperation(link.source_entity_id) : null;
    return linked ?? (await store.getOperationByCorrelation(run.correlation_id));
  }

  async function bundle(run: RunRecord, options: BundleOptions, knownOperation?: AsyncOperation): Promise<SupportBundle> {
    const runId = run.rebalance_run_id;
    const edges = await support.allEdges(runId);
    const operation = options.includeAsyncOperation ? (knownOperation ?? (await operationOf(run, edges))) : null;
    return {
      run: runLookup(run),
      artifact: options.includeArtifact ? await artifacts.artifactOf(run) : null,
      async_operation: operation ? operationStatus(operation) : null,
      workflow_history: { run_id: runId, decisions: await store.listWorkflowDecisions(runId) },
      lineage: { entity_id: runId, edges: edges.map(edgeView), next_cursor: null },
      idempotency_history:
        options.includeIdempotencyHistory && run.idempotency_key !== null ? await support.idempotencyHistoryOrEmpty(run.idempotency_key) : null,
    };
  }

  /** The newest run the operation recorded (its OPERATION_TO_RUN edges), else the run of its exact correlation id. */
  async function runOfOperation(operation: AsyncOperation): Promise<RunRecord> {
    const edges = await support.allEdges(operation.operation_id, { edge_type: OPERATION_TO_RUN });
    const runs = await Promise.all(edges.filter((e) => e.source_entity_id === operation.operation_id).map((e) => store.getRun(e.target_entity_id)));
    const [newest] = runs.filter((run): run is RunRecord => run !== null).sort(newestFirst);
    const run = newest ?? (await store.getRunByCorrelation(operation.correlation_id));
    if (!run) throw runNotFound();
    return run;
  }

  return {
    byRunId: async (runId, options) => bundle(await support.runById(runId), options),
    byCorrelation: async (correlationId, options) => bundle(await support.runByCorrelation(correlationId), options),
    byIdempotencyKey: async (key, options) => bundle(await support.runByIdempotencyKey(key), options),
    async byOperation(operationId, options) {
      const operation = await store.getOperation(operationId);
      if (!operation) throw new ReasonError('DPM_ASYNC_OPERATION_NOT_FOUND', 'No async operation matches.');
      return bundle(await runOfOperation(operation), options, operation);
    },
  };
}
