/** `POST /rebalance/simulate` semantics: one validated request in, one RebalanceResult out. */
import { canonicalHash, canonicalJson, canonicalTextHash } from '../canonical-json.ts';
import { parseEngineInput } from '../portfolio/engine-input.ts';
import type { RebalanceRequest } from './model/request-schema.ts';
import type { RebalanceResult } from './model/result-schema.ts';
import type { EngineContext } from './outcomes.ts';
import { runPipeline } from './pipeline.ts';
import type { StageObserver } from './stage-observer.ts';
import { serializeResult } from './serialize/result.ts';

/**
 * Runs the engine. Never throws on a validated request except for arithmetic the reference also
 * refuses (a `DecimalArithmeticError`, e.g. division by zero) — an HTTP 500 there. `observer`
 * hears the stage groups as they start (tracing); it cannot change the result.
 */
export function simulateRebalance(request: RebalanceRequest, context: EngineContext, observer?: StageObserver): RebalanceResult {
  observer?.enter('input');
  const outcome = runPipeline(parseEngineInput(request, request.options), context, observer);
  observer?.enter('serialize');
  return serializeResult(outcome);
}

/**
 * `sha256:<hex>` over the canonical JSON of the validated request (defaults filled in, decimals
 * as the reference's text): equal for bodies that validate to the same request, stable across
 * processes. Take it before policy-pack overrides.
 */
export function rebalanceRequestHash(request: RebalanceRequest): string {
  return canonicalHash(request);
}

/** The canonical JSON text of the request and its `rebalanceRequestHash`, computed once (the text is what a run keeps). */
export function canonicalRebalanceRequest(request: RebalanceRequest): { readonly text: string; readonly hash: string } {
  const text = canonicalJson(request);
  return { text, hash: canonicalTextHash(text) };
}
