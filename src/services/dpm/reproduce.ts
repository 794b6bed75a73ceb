/**
 * Reproducing a run (docs/dpm-api.md#reproducing-a-run): the run's recorded request is validated
 * again, given the options it actually ran with (after its policy pack), and run through today's
 * engine under the run's own ids; the answer says whether the result is identical to the recorded
 * one, field by field when it is not. Nothing is written.
 *
 * `lineage.engine_version` is left out of the comparison — it names the build, which is the point
 * of the question — and both builds are reported instead.
 */
import { canonicalTextHash } from '../../domain/canonical-json.ts';
import {
  validateEngineOptions,
  validateRebalanceRequest,
  type RebalanceRequest,
  type ValidationProblem,
} from '../../domain/dpm/index.ts';
import type { DpmRunStore, RunInputs, RunRecord } from '../../stores/dpm-runs/port.ts';
import { INLINE_ENGINE, type Engine } from '../engine/engine-pool.ts';
import { tracedEngine } from '../engine/tracing.ts';
import { UNKNOWN_ENGINE_VERSION } from '../engine/version.ts';
import { compareReproduction, rejectedReproduction, type ReproduceComparison } from '../reproduction.ts';

export interface RunReproduction extends ReproduceComparison {
  readonly rebalance_run_id: string;
  readonly request_hash: string;
  /**
   * The recorded request text still hashes to the run's request hash. Null for analyze scenario
   * runs, whose request hash is `<batch_run_id>:<scenario>` rather than a hash of the request.
   */
  readonly request_hash_verified: boolean | null;
  readonly policy_pack: { readonly policy_pack_id: string; readonly version: string | null } | null;
}

export type RunReproduceOutcome =
  | { readonly outcome: 'not_found' }
  /** The run was recorded before requests were kept. */
  | { readonly outcome: 'not_stored'; readonly run: RunRecord }
  | { readonly outcome: 'done'; readonly report: RunReproduction };

export interface DpmReproduceService {
  reproduce(runId: string): Promise<RunReproduceOutcome>;
}

export interface DpmReproduceDeps {
  readonly store: Pick<DpmRunStore, 'getRun' | 'getRunInputs'>;
  /** Today's build (app: version + commit). */
  readonly engineVersion?: string;
  /** Where today's engine runs (the app's worker pool); replaceable so a test can stand in a changed one. */
  readonly engine?: Engine;
}

/** The request the run ran: recorded request, recorded effective options; or today's problems with them. */
function effectiveRequest(inputs: RunInputs): { ok: true; request: RebalanceRequest } | { ok: false; problems: readonly ValidationProblem[] } {
  const request = validateRebalanceRequest(JSON.parse(inputs.request_canonical) as unknown);
  const options = validateEngineOptions(inputs.effective_options_json, ['effective_options']);
  const problems = [...(request.ok ? [] : request.problems), ...(options.ok ? [] : options.problems)];
  if (!request.ok || !options.ok) return { ok: false, problems };
  return { ok: true, request: { ...request.value, options: options.value } };
}

export function createDpmReproduceService(deps: DpmReproduceDeps): DpmReproduceService {
  const current = deps.engineVersion ?? UNKNOWN_ENGINE_VERSION;
  const engine = deps.engine ?? INLINE_ENGINE;
  return {
    async reproduce(runId) {
      const run = await deps.store.getRun(runId);
      if (!run) return { outcome: 'not_found' };
      const inputs = await deps.store.getRunInputs(runId);
      if (!inputs) return { outcome: 'not_stored', run };
      const versions = { recorded: inputs.engine_version, current };
      const identity = {
        rebalance_run_id: run.rebalance_run_id,
        request_hash: run.request_hash,
        request_hash_verified: run.request_hash.startsWith('sha256:') ? canonicalTextHash(inputs.request_canonical) === run.request_hash : null,
        policy_pack: inputs.policy_pack_id === null ? null : { policy_pack_id: inputs.policy_pack_id, version: inputs.policy_pack_version },
      };
      const effective = effectiveRequest(inputs);
      if (!effective.ok) return { outcome: 'done', report: { ...identity, ...rejectedReproduction(effective.problems, versions) } };
      const context = { runId: run.rebalance_run_id, correlationId: run.correlation_id, requestHash: run.request_hash, engineVersion: current };
      const reproduced = await tracedEngine('dpm.reproduce', { 'dpm.run_id': run.rebalance_run_id }, (observer) =>
        engine.run('rebalance', { request: effective.request, context }, observer),
      );
      return { outcome: 'done', report: { ...identity, ...compareReproduction(run.result_json, reproduced, versions, ['lineage.engine_version']) } };
    },
  };
}
