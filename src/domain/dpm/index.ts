/**
 * Public API of the DPM rebalance engine (pure; no I/O, clock or randomness).
 *
 *   validateRebalanceRequest(body)      → problems[] | RebalanceRequest      (422 on problems)
 *   rebalanceRequestHash(request)       → "sha256:…"                          (idempotency)
 *   simulateRebalance(request, ctx, obs?) → RebalanceResult                    (POST /rebalance/simulate)
 *   validateBatchRebalanceRequest(body) → problems[] | BatchRebalanceRequest  (422 on problems)
 *   analyzeBatch(request, ctx)          → BatchRebalanceResult                 (POST /rebalance/analyze)
 *   analyzeBatchSteps(request, ctx)     → the same, yielding after each scenario
 *
 * The TypeBox schemas are exported for OpenAPI.
 */
export { analyzeBatch, analyzeBatchSteps, type BatchContext } from './analyze.ts';
export type { EngineContext } from './outcomes.ts';
export type { StageGroup, StageObserver } from './stage-observer.ts';
export { canonicalRebalanceRequest, rebalanceRequestHash, simulateRebalance } from './simulate.ts';
export type { ValidationProblem, ValidationResult } from '../portfolio/validation/problems.ts';
export { validateBatchRebalanceRequest, validateRebalanceRequest } from './validation/validate-request.ts';
export { validateEngineOptions } from '../portfolio/validation/engine-options.ts';
export * from '../portfolio/request-schema.ts';
export * from '../portfolio/result-schema.ts';
export * from './model/request-schema.ts';
export * from './model/result-schema.ts';
