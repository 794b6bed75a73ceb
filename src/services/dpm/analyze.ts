/**
 * DPM analyze: one set of snapshots run under several option scenarios (docs/dpm-api.md#analyze),
 * each successful scenario recorded as a run (request hash `<batch_run_id>:<scenario>`, no
 * idempotency key, lineage CORRELATION_TO_RUN). The batch is answered only after every scenario run
 * is recorded.
 *
 * The same routine runs async operations. There every scenario run also gets an OPERATION_TO_RUN
 * edge (operation → run), so an operation's runs are found from the operation (the reference could
 * not; docs/dpm-api.md#async-operations). Those edges also make a retried operation exactly-once
 * per scenario: a worker that takes over after a crash reuses the runs the dead worker already
 * recorded instead of recording them again.
 *
 * Each scenario run keeps what it was computed from (docs/dpm-api.md#reproducing-a-run): the
 * scenario as a single rebalance request — the batch's snapshots with the scenario's validated
 * options — the options after the pack's overrides, the pack and the engine version.
 */
import { createHash } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  canonicalRebalanceRequest,
  validateBatchRebalanceRequest,
  validateEngineOptions,
  type BatchRebalanceRequest,
  type BatchRebalanceResult,
  type RebalanceResult,
  type ValidationProblem,
} from '../../domain/dpm/index.ts';
import { applyPolicyPackOverrides, type PolicyPackDefinition } from '../../domain/policy-packs/index.ts';
import type { DpmRunStore, LineageEdge, RunInputs, RunRecord } from '../../stores/dpm-runs/port.ts';
import { INLINE_ENGINE, type Engine } from '../engine/engine-pool.ts';
import { tracedEngine } from '../engine/tracing.ts';
import { UNKNOWN_ENGINE_VERSION } from '../engine/version.ts';
import { ID_RANDOM_BYTES, newId } from '../ids.ts';
import { NO_POLICY_HEADERS, type PolicyHeaders, type PolicyPackSelector } from './policy-context.ts';
import { referenceTimestamp } from '../reference-time.ts';

/** An operation's batch id is derived from the operation, so a retried execution reproduces it (and its scenario request hashes). */
export const operationBatchRunId = (operationId: string): string =>
  `batch_${createHash('sha256').update(operationId).digest('hex').slice(0, ID_RANDOM_BYTES * 2)}`;

export const OPERATION_TO_RUN = 'OPERATION_TO_RUN';

export interface BatchRunContext {
  readonly batchRunId: string;
  /** Scenario correlation ids are `<root>:<scenario>`; null → `<batch_run_id>:<scenario>`. */
  readonly correlationRoot: string | null;
  readonly policy: PolicyHeaders;
  /** Set when the batch runs an async operation: scenario runs are linked to it and reused on a retry. */
  readonly operationId?: string;
  /** Aborted when the caller lost the right to record (its lease went to another worker). */
  readonly signal?: AbortSignal;
  /** The verified subject who asked for the batch (null without authentication), recorded with each run. */
  readonly requestedBy?: string | null;
}

export type AnalyzeOutcome =
  | { readonly outcome: 'invalid'; readonly problems: readonly ValidationProblem[] }
  | { readonly outcome: 'ok'; readonly result: BatchRebalanceResult };

export interface AnalyzeCommand {
  readonly body: unknown;
  /** X-Correlation-Id as sent, or null. */
  readonly correlationHeader: string | null;
  readonly policy?: PolicyHeaders;
  /** The verified subject asking (null without authentication). */
  readonly requestedBy?: string | null;
}

export interface DpmAnalyzeService {
  /** POST /rebalance/analyze. */
  analyze(command: AnalyzeCommand): Promise<AnalyzeOutcome>;
  /** Runs a validated batch and records its scenario runs (shared with async operations). */
  runBatch(request: BatchRebalanceRequest, context: BatchRunContext): Promise<BatchRebalanceResult>;
}

export interface DpmAnalyzeServiceDeps {
  readonly store: DpmRunStore;
  readonly now?: () => Date;
  /** Absent: no policy packs (the catalog is never read). */
  readonly policyPacks?: PolicyPackSelector;
  /** Where the engine runs (the app's worker pool); replaceable so tests can observe what reaches it or make it fail. */
  readonly engine?: Engine;
  /** The build computing runs, stamped into results and recorded with them (app: version + commit). */
  readonly engineVersion?: string;
}

function scenarioRun(result: RebalanceResult, portfolioId: string, createdAt: string, requestedBy: string | null): RunRecord {
  return {
    rebalance_run_id: result.rebalance_run_id,
    correlation_id: result.correlation_id,
    request_hash: result.lineage.request_hash,
    idempotency_key: null,
    portfolio_id: portfolioId,
    status: result.status,
    created_at: createdAt,
    result_json: result,
    ...(requestedBy === null ? {} : { requested_by: requestedBy }),
  };
}

/** A successful scenario as the single request it ran, with what it ran under. */
function scenarioInputs(request: BatchRebalanceRequest, scenario: string, pack: PolicyPackDefinition | null, engineVersion: string): RunInputs {
  // The engine validated these options the same way before running the scenario.
  const validated = validateEngineOptions(request.scenarios[scenario]?.options, ['scenarios', scenario, 'options']);
  if (!validated.ok) throw new Error(`Scenario ${scenario} ran with options that no longer validate.`);
  const { portfolio_snapshot, market_data_snapshot, model_portfolio, shelf_entries } = request;
  const single = { portfolio_snapshot, market_data_snapshot, model_portfolio, shelf_entries, options: validated.value };
  return {
    request_canonical: canonicalRebalanceRequest(single).text,
    effective_options_json: pack ? applyPolicyPackOverrides(validated.value, pack) : validated.value,
    policy_pack_id: pack?.policy_pack_id ?? null,
    policy_pack_version: pack?.version ?? null,
    engine_version: engineVersion,
  };
}

export function createDpmAnalyzeService(deps: DpmAnalyzeServiceDeps): DpmAnalyzeService {
  const now = deps.now ?? (() => new Date());
  const engine = deps.engine ?? INLINE_ENGINE;
  const engineVersion = deps.engineVersion ?? UNKNOWN_ENGINE_VERSION;

  /** Scenario → run already recorded for this operation by an earlier attempt. */
  async function recordedScenarioRuns(operationId: string | undefined): Promise<Map<string, RunRecord>> {
    const recorded = new Map<string, RunRecord>();
    if (operationId === undefined) return recorded;
    // At most 20 scenarios per batch, so one page holds every edge.
    const edges = await deps.store.listLineageEdges(operationId, { edge_type: OPERATION_TO_RUN, limit: 200 });
    for (const edge of edges.items) {
      const scenario = (edge.metadata_json as { scenario?: unknown } | null)?.scenario;
      const run = edge.source_entity_id === operationId ? await deps.store.getRun(edge.target_entity_id) : null;
      if (typeof scenario === 'string' && run) recorded.set(scenario, run);
    }
    return recorded;
  }

  function edgesFor(run: RunRecord, scenario: string, operationId: string | undefined): LineageEdge[] {
    const edge = (source: string, type: string, metadata: unknown): LineageEdge => ({
      edge_id: newId('dle'),
      source_entity_id: source,
      edge_type: type,
      target_entity_id: run.rebalance_run_id,
      created_at: run.created_at,
      metadata_json: metadata,
    });
    const edges = [edge(run.correlation_id, 'CORRELATION_TO_RUN', { request_hash: run.request_hash })];
    if (operationId !== undefined) edges.push(edge(operationId, OPERATION_TO_RUN, { scenario }));
    return edges;
  }

  async function runBatch(request: BatchRebalanceRequest, context: BatchRunContext): Promise<BatchRebalanceResult> {
    const applied = deps.policyPacks ? await deps.policyPacks.select(context.policy) : null;
    const previous = await recordedScenarioRuns(context.operationId);
    const pack = applied?.pack ?? null;
    const result = await tracedEngine('dpm.analyze', { 'dpm.batch_run_id': context.batchRunId }, (observer) =>
      engine.run(
        'analyze',
        {
          request,
          context: {
            batchRunId: context.batchRunId,
            runAtUtc: referenceTimestamp(now()),
            correlationId: context.correlationRoot,
            runIds: Object.keys(request.scenarios).map(() => newId('rr')),
            policyPack: pack,
            engineVersion,
          },
        },
        observer,
      ),
    );
    const portfolioId = request.portfolio_snapshot.portfolio_id;
    for (const [scenario, scenarioResult] of Object.entries(result.results)) {
      const earlier = previous.get(scenario);
      if (earlier) {
        result.results[scenario] = earlier.result_json as RebalanceResult;
        continue;
      }
      context.signal?.throwIfAborted();
      const run = scenarioRun(scenarioResult, portfolioId, now().toISOString(), context.requestedBy ?? null);
      await deps.store.recordRun({
        run,
        replay: false,
        lineage: edgesFor(run, scenario, context.operationId),
        inputs: scenarioInputs(request, scenario, pack, engineVersion),
      });
      // A synchronous store (SQLite) would otherwise serialise every scenario run in one turn of
      // the event loop; large batches are megabytes (docs/operations.md#engine-worker-pool).
      await nextTurn();
    }
    return result;
  }

  return {
    runBatch,
    async analyze({ body, correlationHeader, policy = NO_POLICY_HEADERS, requestedBy = null }) {
      const validated = validateBatchRebalanceRequest(body);
      if (!validated.ok) return { outcome: 'invalid', problems: validated.problems };
      const result = await runBatch(validated.value, { batchRunId: newId('batch'), correlationRoot: correlationHeader, policy, requestedBy });
      return { outcome: 'ok', result };
    },
  };
}
