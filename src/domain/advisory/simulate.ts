/**
 * `POST /rebalance/proposals/simulate` semantics: one validated request in, one ProposalResult out
 * (the stages are pipeline.ts), plus the request hash and the reference's run id.
 */
import { canonicalHash, sha256Hex } from '../canonical-json.ts';
import type { ProposalSimulateRequest } from './model/request-schema.ts';
import type { ProposalResult } from './model/result-schema.ts';
import { runProposalPipeline } from './pipeline.ts';
import { serializeProposal } from './serialize.ts';

export interface ProposalContext {
  /** `pr_` + 8 hex; see `proposalRunIdFor` for the reference's deterministic form. */
  readonly runId: string;
  /** Defaults to `c_none` (a direct engine call). */
  readonly correlationId?: string;
  /** Defaults to `no_hash`. */
  readonly requestHash?: string;
  /** The `Idempotency-Key` header, echoed in the lineage (null for lifecycle versions). */
  readonly idempotencyKey?: string | null;
}

/** `sha256:<hex>` over the canonical JSON of the validated request (defaults filled in). */
export function proposalRequestHash(request: ProposalSimulateRequest): string {
  return canonicalHash(request);
}

/**
 * The reference's run id for a hashed request: `pr_` + the first 8 hex of SHA-256 of the hash
 * text (incl. its `sha256:` prefix). Only 32 bits — callers that need uniqueness across many
 * runs should not use it as a key.
 */
export function proposalRunIdFor(requestHash: string): string {
  return `pr_${sha256Hex(requestHash).slice(0, 8)}`;
}

/**
 * Runs the proposal simulation on a validated request. Never throws on a validated request
 * except for arithmetic the reference also refuses (a `DecimalArithmeticError`) — an HTTP 500.
 */
export function simulateProposal(request: ProposalSimulateRequest, context: ProposalContext): ProposalResult {
  return serializeProposal(runProposalPipeline(request), request.portfolio_snapshot.base_currency, context);
}
