/** A finished proposal run before serialisation (serialize.ts). */
import type { Diagnostics, GateDecision, RuleResult, RunStatus, SimulatedState } from '../portfolio/model.ts';
import type { FundingOutcome } from './funding.ts';
import type { ProposalIntent } from './intents.ts';
import type { DriftAnalysis } from './model/result-schema.ts';
import type { SnapshotIds, Suitability } from './stages/analytics.ts';
import type { AdvisoryReconciliation } from './stages/reconciliation.ts';

export interface ProposalOutcome {
  readonly status: RunStatus;
  readonly before: SimulatedState;
  readonly intents: readonly ProposalIntent[];
  readonly after: SimulatedState;
  readonly reconciliation: AdvisoryReconciliation;
  readonly rules: readonly RuleResult[];
  readonly diagnostics: Diagnostics;
  /** Null with `auto_funding=false`. */
  readonly funding: FundingOutcome | null;
  readonly drift: DriftAnalysis | null;
  readonly suitability: Suitability | null;
  readonly gate: GateDecision | null;
  readonly ids: SnapshotIds;
}
