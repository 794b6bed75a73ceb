/**
 * The run review workflow (docs/dpm-api.md#workflow) over the decision log in the store.
 *
 * An action is race-free: the current status is derived from the latest decision, and the new
 * decision is appended only if that decision is still the latest (`expectedLatestDecisionId`).
 * Every decision is therefore valid for the state it was recorded on, and a decision is never lost
 * to a concurrent one (the reference read, then appended, so two reviewers could both act from
 * PENDING_REVIEW). A reviewer who sends the state they saw (the workflow ETag as If-Match) gets
 * `stale` (412 DPM_WORKFLOW_STATE_STALE) if anyone decided since: of reviewers acting on the same
 * state, exactly one wins.
 *
 * With authentication the decision records the verified subject, and the subject who requested
 * the run cannot APPROVE it (four-eyes, docs/security.md#four-eyes): the attempt is recorded as
 * refused with the run and answered 403 SEGREGATION_OF_DUTIES_VIOLATION.
 */
import type { Static } from '@sinclair/typebox';
import {
  nextWorkflowStatus,
  requiresReview,
  workflowStatus,
  type WorkflowAction,
  type WorkflowStatus,
} from '../../domain/workflow/run-review.ts';
import type { DecisionFilter, DpmRunStore, RunRecord, WorkflowDecision } from '../../stores/dpm-runs/port.ts';
import { UNAUTHENTICATED, type Actor } from '../../domain/access/actor.ts';
import { runActionNeedsSecondPerson } from '../../domain/access/decisions.ts';
import { recordedActor, refusedAttemptView, refuseOwnApproval } from '../access.ts';
import { newId } from '../ids.ts';
import type { RunRefusedAttemptsSchema } from '../refused-attempt-schema.ts';
import type { DecisionListSchema, WorkflowHistorySchema, WorkflowSchema } from './wire-schemas.ts';

export type WorkflowView = Static<typeof WorkflowSchema>;

export interface WorkflowActionCommand {
  readonly action: WorkflowAction;
  readonly reason_code: string;
  readonly comment: string | null;
  readonly actor_id: string;
  readonly correlationId: string;
  /** Who acts (default: no authentication, `actor_id` recorded as sent). */
  readonly actor?: Actor;
  /**
   * The latest decision the reviewer saw (null: none), from the workflow ETag. When given, the
   * action applies only to that state; without it, to whatever state the server reads.
   */
  readonly expectedLatestDecisionId?: string | null | undefined;
}

export type WorkflowActionOutcome =
  | { readonly outcome: 'applied'; readonly view: WorkflowView }
  | { readonly outcome: 'not_required' }
  /** The reviewer named the state they saw (If-Match), and another decision has been recorded since. */
  | { readonly outcome: 'stale'; readonly from: WorkflowStatus }
  /** Not allowed from the current status, or another decision landed first (`lostRace`). */
  | { readonly outcome: 'invalid_transition'; readonly from: WorkflowStatus; readonly lostRace: boolean };

export interface DpmWorkflowService {
  view(run: RunRecord): Promise<WorkflowView>;
  history(run: RunRecord): Promise<Static<typeof WorkflowHistorySchema>>;
  act(run: RunRecord, command: WorkflowActionCommand): Promise<WorkflowActionOutcome>;
  /** Decisions across runs, newest first (the run need not exist: no match is an empty page). */
  decisions(filter: DecisionFilter): Promise<Static<typeof DecisionListSchema>>;
  /** The actions refused on the run (four-eyes), oldest first. */
  refusedAttempts(run: RunRecord): Promise<Static<typeof RunRefusedAttemptsSchema>>;
}

export function createDpmWorkflowService(deps: {
  store: DpmRunStore;
  reviewStatuses: readonly string[];
  now?: () => Date;
}): DpmWorkflowService {
  const now = deps.now ?? (() => new Date());

  async function latestOf(runId: string): Promise<WorkflowDecision | null> {
    return (await deps.store.listWorkflowDecisions(runId)).at(-1) ?? null;
  }

  function viewOf(run: RunRecord, latest: WorkflowDecision | null): WorkflowView {
    const needsReview = requiresReview(run.status, deps.reviewStatuses);
    return {
      run_id: run.rebalance_run_id,
      run_status: run.status,
      workflow_status: workflowStatus(needsReview, latest?.action ?? null),
      requires_review: needsReview,
      latest_decision: latest,
    };
  }

  return {
    view: async (run) => viewOf(run, await latestOf(run.rebalance_run_id)),
    history: async (run) => ({ run_id: run.rebalance_run_id, decisions: await deps.store.listWorkflowDecisions(run.rebalance_run_id) }),
    refusedAttempts: async (run) => ({ run_id: run.rebalance_run_id, refused_attempts: (await deps.store.listRefusedAttempts(run.rebalance_run_id)).map(refusedAttemptView) }),

    async decisions(filter) {
      const page = await deps.store.listWorkflowDecisionsFiltered(filter);
      return { items: [...page.items], next_cursor: page.nextCursor };
    },

    async act(run, command) {
      const current = viewOf(run, await latestOf(run.rebalance_run_id));
      if (!current.requires_review) return { outcome: 'not_required' };
      const seen = current.latest_decision?.decision_id ?? null;
      const named = command.expectedLatestDecisionId !== undefined;
      if (named && command.expectedLatestDecisionId !== seen) return { outcome: 'stale', from: current.workflow_status };
      const next = nextWorkflowStatus(current.workflow_status, command.action);
      if (next === null) return { outcome: 'invalid_transition', from: current.workflow_status, lostRace: false };
      const actor = command.actor ?? UNAUTHENTICATED;
      if (runActionNeedsSecondPerson(command.action) && run.requested_by !== undefined) {
        await refuseOwnApproval({
          context: { actor, correlationId: command.correlationId },
          authors: [run.requested_by],
          entityId: run.rebalance_run_id,
          action: `WORKFLOW:${command.action}`,
          details: { workflow_status: current.workflow_status },
          now,
          record: (attempt) => deps.store.recordRefusedAttempt(attempt),
        });
      }
      const decision: WorkflowDecision = {
        decision_id: newId('dwd'),
        run_id: run.rebalance_run_id,
        action: command.action,
        reason_code: command.reason_code,
        comment: command.comment,
        actor_id: recordedActor(actor, command.actor_id),
        decided_at: now().toISOString(),
        correlation_id: command.correlationId,
      };
      const appended = await deps.store.appendWorkflowDecision(decision, { expectedLatestDecisionId: seen });
      if (appended.outcome === 'stale') {
        const actual = viewOf(run, appended.latest);
        return named ? { outcome: 'stale', from: actual.workflow_status } : { outcome: 'invalid_transition', from: actual.workflow_status, lostRace: true };
      }
      return { outcome: 'applied', view: { ...current, workflow_status: next, latest_decision: appended.decision } };
    },
  };
}
