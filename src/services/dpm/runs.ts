/**
 * DPM runs: simulate with durable idempotency, and the run lookups of the supportability API.
 * A run is acknowledged only after the store has recorded it (with its idempotency mapping,
 * history entry and lineage edges, in one transaction), so every replica sharing the store
 * replays the same run for the same key. Each run keeps what it was computed from — the canonical
 * request, the effective options, the pack and the engine version — so it can be computed again
 * (docs/dpm-api.md#reproducing-a-run).
 */
import type { Static } from '@sinclair/typebox';
import { canonicalRebalanceRequest, validateRebalanceRequest, type ValidationProblem } from '../../domain/dpm/index.ts';
import { applyPolicyPackOverrides, policyPackReplayEnabled } from '../../domain/policy-packs/index.ts';
import type { DpmRunStore, RunRecord } from '../../stores/dpm-runs/port.ts';
import { INLINE_ENGINE, type Engine } from '../engine/engine-pool.ts';
import { jsonText } from '../engine/json-text.ts';
import { tracedEngine } from '../engine/tracing.ts';
import { UNKNOWN_ENGINE_VERSION } from '../engine/version.ts';
import { newId } from '../ids.ts';
import type { RunLookupSchema } from './wire-schemas.ts';
import { idempotencyFingerprint, NO_POLICY_HEADERS, requestHashOfFingerprint, type PolicyHeaders, type PolicyPackSelector } from './policy-context.ts';

export type RunLookup = Static<typeof RunLookupSchema>;

export type SimulateOutcome =
  | { readonly outcome: 'invalid'; readonly problems: readonly ValidationProblem[] }
  /** The key was used for another request, or (`samePolicyFreeRequest`) for this request under another policy pack. */
  | { readonly outcome: 'conflict'; readonly samePolicyFreeRequest: boolean }
  /** `resultText` is the JSON text to answer: the recorded run's, so a replay repeats the first answer byte for byte. */
  | { readonly outcome: 'ok'; readonly replayed: boolean; readonly result: unknown; readonly resultText: string };

export interface SimulateCommand {
  readonly body: unknown;
  readonly idempotencyKey: string;
  readonly correlationId: string;
  readonly policy?: PolicyHeaders;
  /** The verified subject asking (null without authentication), recorded with the run for four-eyes. */
  readonly requestedBy?: string | null;
}

export interface DpmRunService {
  simulate(command: SimulateCommand): Promise<SimulateOutcome>;
}

export interface DpmRunServiceDeps {
  readonly store: DpmRunStore;
  readonly now?: () => Date;
  /** DPM_IDEMPOTENCY_REPLAY_ENABLED; the selected pack's replay flag overrides it. */
  readonly replayEnabled: boolean;
  /** Absent: no policy packs (the catalog is never read). */
  readonly policyPacks?: PolicyPackSelector;
  /** Where the engine runs (the app's worker pool); replaceable so tests can observe the options that reach it. */
  readonly engine?: Engine;
  /** The build computing runs, stamped into results and recorded with them (app: version + commit). */
  readonly engineVersion?: string;
}


/** How many keys `RecentKeys` remembers: a few MB at most, and retries come soon after the first call. */
const RECENT_KEYS = 10_000;

/**
 * Idempotency keys this process recorded or replayed lately, with the hash they map to: a request
 * repeating one is most likely a replay, so the store is asked for the stored run before the
 * engine computes one to be thrown away. Only a hint: the store decides, and a miss (the key was
 * purged, or remapped while replay was off) falls back to computing and recording as usual.
 */
class RecentKeys {
  private readonly keys = new Map<string, string>();

  has(key: string, hash: string): boolean {
    return this.keys.get(key) === hash;
  }

  remember(key: string, hash: string): void {
    this.keys.delete(key);
    this.keys.set(key, hash);
    if (this.keys.size > RECENT_KEYS) this.keys.delete(this.keys.keys().next().value as string);
  }
}

export function createDpmRunService(deps: DpmRunServiceDeps): DpmRunService {
  const now = deps.now ?? (() => new Date());
  const engine = deps.engine ?? INLINE_ENGINE;
  const engineVersion = deps.engineVersion ?? UNKNOWN_ENGINE_VERSION;
  const recentKeys = new RecentKeys();
  return {
    async simulate({ body, idempotencyKey, correlationId, policy = NO_POLICY_HEADERS, requestedBy = null }) {
      const validated = validateRebalanceRequest(body);
      if (!validated.ok) return { outcome: 'invalid', problems: validated.problems };
      const request = validated.value;
      // The request hash is of the request as sent, before any pack override
      // (docs/dpm-api.md#policy-packs-on-simulate-and-analyze).
      const canonical = canonicalRebalanceRequest(request);
      const requestHash = canonical.hash;
      const applied = deps.policyPacks ? await deps.policyPacks.select(policy) : null;
      const replay = policyPackReplayEnabled(deps.replayEnabled, applied?.pack);
      const idempotencyHash = applied ? idempotencyFingerprint(requestHash, applied) : requestHash;
      if (replay && recentKeys.has(idempotencyKey, idempotencyHash)) {
        const entry = { idempotency_key: idempotencyKey, correlation_id: correlationId, request_hash: requestHash, created_at: now().toISOString() };
        const stored = await deps.store.replayRun(entry, idempotencyHash);
        if (stored) return answer(true, stored);
      }
      const effective = applied?.pack ? { ...request, options: applyPolicyPackOverrides(request.options, applied.pack) } : request;
      const runId = newId('rr');
      const result = await tracedEngine('dpm.simulate', { 'dpm.run_id': runId }, (observer) =>
        engine.run('rebalance', { request: effective, context: { runId, correlationId, requestHash, engineVersion } }, observer),
      );
      const createdAt = now().toISOString();
      const run: RunRecord = {
        rebalance_run_id: runId,
        correlation_id: correlationId,
        request_hash: requestHash,
        idempotency_key: idempotencyKey,
        portfolio_id: request.portfolio_snapshot.portfolio_id,
        status: String((result as { status?: unknown }).status ?? ''),
        created_at: createdAt,
        result_json: result,
        ...(requestedBy === null ? {} : { requested_by: requestedBy }),
      };
      const recorded = await deps.store.recordRun({
        run,
        // Serialised once: the store writes this text and the response is the same text.
        resultText: jsonText(result),
        replay,
        inputs: {
          request_canonical: canonical.text,
          effective_options_json: effective.options,
          policy_pack_id: applied?.pack?.policy_pack_id ?? null,
          policy_pack_version: applied?.pack?.version ?? null,
          engine_version: engineVersion,
        },
        ...(applied ? { idempotencyHash } : {}),
        lineage: [
          { edge_id: newId('dle'), source_entity_id: correlationId, edge_type: 'CORRELATION_TO_RUN', target_entity_id: runId, created_at: createdAt, metadata_json: {} },
          { edge_id: newId('dle'), source_entity_id: idempotencyKey, edge_type: 'IDEMPOTENCY_TO_RUN', target_entity_id: runId, created_at: createdAt, metadata_json: { request_hash: requestHash } },
        ],
      });
      if (recorded.outcome === 'conflict') {
        return { outcome: 'conflict', samePolicyFreeRequest: requestHashOfFingerprint(recorded.existingRequestHash) === requestHash };
      }
      if (replay) recentKeys.remember(idempotencyKey, idempotencyHash);
      return answer(recorded.outcome === 'replayed', recorded);
    },
  };
}

function answer(replayed: boolean, { run, resultText }: { readonly run: RunRecord; readonly resultText: string }): SimulateOutcome {
  // Read only when asked: a replay's result is parsed from its stored text, and a replay is answered with that text.
  return {
    outcome: 'ok',
    replayed,
    get result() {
      return run.result_json;
    },
    resultText,
  };
}

/** The reference's `DpmRunLookupResponse`. */
export function runLookup(run: RunRecord): RunLookup {
  return {
    rebalance_run_id: run.rebalance_run_id,
    correlation_id: run.correlation_id,
    request_hash: run.request_hash,
    idempotency_key: run.idempotency_key,
    portfolio_id: run.portfolio_id,
    created_at: run.created_at,
    result: run.result_json,
  };
}
