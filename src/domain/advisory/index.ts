/**
 * Public API of the advisory proposal engine (pure; no I/O, clock or randomness).
 *
 *   validateProposalSimulateRequest(body)        → problems[] | ProposalSimulateRequest   (422 on problems)
 *   proposalRequestHash(request)                 → "sha256:…"                              (idempotency)
 *   proposalRunIdFor(requestHash)                → "pr_" + 8 hex (the reference's deterministic run id)
 *   simulateProposal(request, ctx)               → ProposalResult        (POST /rebalance/proposals/simulate)
 *   buildProposalArtifact(request, result, ctx)  → ProposalArtifact      (POST /rebalance/proposals/artifact)
 *   proposalArtifactHash(artifact)               → "sha256:…" (recomputes the evidence hash, for verification)
 *
 * The TypeBox schemas are exported for OpenAPI.
 */
export type { ValidationProblem } from '../portfolio/validation/problems.ts';
export { validateProposalSimulateRequest } from './validation.ts';
export { proposalRequestHash, proposalRunIdFor, simulateProposal, type ProposalContext } from './simulate.ts';
export { buildProposalArtifact, proposalArtifactHash } from './artifact.ts';
export * from './model/request-schema.ts';
export * from './model/result-schema.ts';
