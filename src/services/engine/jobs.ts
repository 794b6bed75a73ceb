/**
 * The engine calls the service makes, as jobs that can run on the serving thread or in a worker
 * thread (docs/operations.md#engine-worker-pool). A job's input and output are plain JSON data —
 * ids, clock readings and the selected policy pack come in as values, never as callbacks — so
 * the same function gives the same bytes wherever it runs.
 *
 * `rows` is what routing compares with the inline threshold: the rows of the request's lists,
 * which the engines' cost grows with (near-linearly, docs/performance.md), times the number of
 * engine runs the job makes.
 */
import { canonicalHash } from '../../domain/canonical-json.ts';
import {
  buildProposalArtifact,
  simulateProposal,
  type ProposalArtifact,
  type ProposalContext,
  type ProposalResult,
  type ProposalSimulateRequest,
} from '../../domain/advisory/index.ts';
import {
  analyzeBatch,
  analyzeBatchSteps,
  simulateRebalance,
  type BatchContext,
  type BatchRebalanceRequest,
  type BatchRebalanceResult,
  type EngineContext,
  type RebalanceRequest,
  type RebalanceResult,
  type StageObserver,
} from '../../domain/dpm/index.ts';
import { applyPolicyPackOverrides, type PolicyPackDefinition } from '../../domain/policy-packs/index.ts';

export interface EngineJob<I, O> {
  /** The request's size in rows (see above); compared with ENGINE_INLINE_MAX_ROWS. */
  rows(input: I): number;
  /**
   * Runs the engine to the end. `observer` hears the DPM pipeline's stage groups (tracing); it is
   * a callback, so only a call on the serving thread gets one.
   */
  run(input: I, observer?: StageObserver): O;
  /** The same, one engine run at a time (analyze scenarios), so an inline call can let other work in between. */
  steps?(input: I, observer?: StageObserver): Generator<unknown, O, void>;
  /**
   * A large output crosses from a worker in pieces (each sent as its own JSON text), so the
   * serving thread parses one piece at a time instead of megabytes in one go. `join` must
   * rebuild the output exactly, key order included.
   */
  readonly pieces?: { split(output: O): unknown[]; join(pieces: unknown[]): O };
}

/** The analyze context as data: the run ids to hand out (one per scenario, in order) and the selected pack. */
export interface AnalyzeJobContext {
  readonly batchRunId: string;
  readonly runAtUtc: string;
  readonly correlationId: string | null;
  /** At least one per scenario; scenarios take them in their (sorted) order. */
  readonly runIds: readonly string[];
  readonly policyPack: PolicyPackDefinition | null;
  /** The build computing the runs, stamped into each result. */
  readonly engineVersion: string;
}

export interface ProposalVersionOutput {
  readonly result: ProposalResult;
  readonly artifact: ProposalArtifact;
  /** canonicalHash(result), computed where the result was. */
  readonly simulationHash: string;
}

type DpmSnapshots = Pick<RebalanceRequest, 'portfolio_snapshot' | 'market_data_snapshot' | 'model_portfolio' | 'shelf_entries'>;

const dpmRows = (request: DpmSnapshots): number =>
  request.portfolio_snapshot.positions.length +
  request.market_data_snapshot.prices.length +
  request.model_portfolio.targets.length +
  request.shelf_entries.length;

const proposalRows = (request: ProposalSimulateRequest): number =>
  request.portfolio_snapshot.positions.length +
  request.market_data_snapshot.prices.length +
  request.shelf_entries.length +
  request.proposed_trades.length +
  request.proposed_cash_flows.length +
  (request.reference_model?.instrument_targets.length ?? 0);

/** The domain's BatchContext (with its callbacks) built from the job's data. */
export function batchContextOf(context: AnalyzeJobContext): BatchContext {
  let next = 0;
  const { policyPack } = context;
  return {
    batchRunId: context.batchRunId,
    runAtUtc: context.runAtUtc,
    correlationId: context.correlationId,
    engineVersion: context.engineVersion,
    newRunId: () => {
      const id = context.runIds[next];
      next += 1;
      if (id === undefined) throw new Error(`analyze job: ${context.runIds.length} run ids for more scenarios`);
      return id;
    },
    ...(policyPack ? { applyPolicyPack: (options) => applyPolicyPackOverrides(options, policyPack) } : {}),
  };
}

interface ProposalInput {
  readonly request: ProposalSimulateRequest;
  readonly context: ProposalContext;
}

const job = <I, O>(definition: EngineJob<I, O>): EngineJob<I, O> => definition;

export const ENGINE_JOBS = {
  /** POST /rebalance/simulate. */
  rebalance: job({
    rows: ({ request }: { request: RebalanceRequest; context: EngineContext }) => dpmRows(request),
    run: ({ request, context }, observer?: StageObserver): RebalanceResult => simulateRebalance(request, context, observer),
  }),
  /** POST /rebalance/analyze and async analyze operations: one engine run per scenario. */
  analyze: job({
    rows: ({ request }: { request: BatchRebalanceRequest; context: AnalyzeJobContext }) => dpmRows(request) * Object.keys(request.scenarios).length,
    run: ({ request, context }, observer?: StageObserver): BatchRebalanceResult => analyzeBatch(request, batchContextOf(context), observer),
    steps: ({ request, context }, observer?: StageObserver) => analyzeBatchSteps(request, batchContextOf(context), observer),
    // One piece per scenario result (~1 MB for 700 positions), plus the batch around them.
    pieces: {
      split: (batch: BatchRebalanceResult): unknown[] => [{ ...batch, results: {} }, ...Object.entries(batch.results)],
      join: ([batch, ...results]: unknown[]): BatchRebalanceResult => ({
        ...(batch as BatchRebalanceResult),
        results: Object.fromEntries(results as [string, RebalanceResult][]),
      }),
    },
  }),
  /** POST /rebalance/proposals/simulate. */
  proposal: job({
    rows: ({ request }: ProposalInput) => proposalRows(request),
    run: ({ request, context }): ProposalResult => simulateProposal(request, context),
  }),
  /** POST /rebalance/proposals/artifact: the simulation and its artifact in one call. */
  proposalArtifact: job({
    rows: ({ request }: ProposalInput & { createdAt: string }) => proposalRows(request),
    run: ({ request, context, createdAt }): ProposalArtifact => buildProposalArtifact(request, simulateProposal(request, context), { createdAt }),
  }),
  /** A lifecycle create or new version (sync or async): result, artifact and the result's hash. */
  proposalVersion: job({
    rows: ({ request }: ProposalInput & { createdAt: string }) => proposalRows(request),
    run: ({ request, context, createdAt }): ProposalVersionOutput => {
      const result = simulateProposal(request, context);
      return { result, artifact: buildProposalArtifact(request, result, { createdAt }), simulationHash: canonicalHash(result) };
    },
  }),
} as const;

export type EngineJobs = typeof ENGINE_JOBS;
export type EngineJobName = keyof EngineJobs;
export type EngineInput<J extends EngineJobName> = Parameters<EngineJobs[J]['run']>[0];
export type EngineOutput<J extends EngineJobName> = ReturnType<EngineJobs[J]['run']>;
