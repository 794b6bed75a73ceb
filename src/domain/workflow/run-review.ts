/**
 * The run review workflow (docs/dpm-api.md#workflow) as data: which runs need a review, the status
 * a run's decisions add up to, and the allowed transitions. Pure, so the service only has to load
 * the decisions and append the next one under a concurrency guard.
 *
 * The workflow status is derived on every read from the run status and the latest decision;
 * it is never stored, so it cannot disagree with the decision log.
 */

export const WORKFLOW_ACTIONS = ['APPROVE', 'REJECT', 'REQUEST_CHANGES'] as const;
export type WorkflowAction = (typeof WORKFLOW_ACTIONS)[number];

export const WORKFLOW_STATUSES = ['NOT_REQUIRED', 'PENDING_REVIEW', 'APPROVED', 'REJECTED'] as const;
export type WorkflowStatus = (typeof WORKFLOW_STATUSES)[number];

/** Uppercase snake case, as the reference's request model requires. */
export const REASON_CODE_PATTERN = '^[A-Z][A-Z0-9_]*$';

/** The status each action leads to, from the statuses that need a review. Missing pair = not allowed. */
const TRANSITIONS: Readonly<Record<Exclude<WorkflowStatus, 'NOT_REQUIRED'>, Partial<Record<WorkflowAction, WorkflowStatus>>>> = {
  PENDING_REVIEW: { APPROVE: 'APPROVED', REJECT: 'REJECTED', REQUEST_CHANGES: 'PENDING_REVIEW' },
  APPROVED: { REJECT: 'REJECTED', REQUEST_CHANGES: 'PENDING_REVIEW' },
  REJECTED: { REQUEST_CHANGES: 'PENDING_REVIEW' },
};

/** What the latest decision's action says about the run (REQUEST_CHANGES sends it back to review). */
const STATUS_AFTER: Readonly<Record<WorkflowAction, WorkflowStatus>> = {
  APPROVE: 'APPROVED',
  REJECT: 'REJECTED',
  REQUEST_CHANGES: 'PENDING_REVIEW',
};

export function isWorkflowAction(value: string): value is WorkflowAction {
  return (WORKFLOW_ACTIONS as readonly string[]).includes(value);
}

/** A run needs a review when its business status is one of the configured review statuses (case-sensitive). */
export function requiresReview(runStatus: string, reviewStatuses: readonly string[]): boolean {
  return reviewStatuses.includes(runStatus);
}

/**
 * The workflow status of a run from its latest decision (null = none yet). An unknown action
 * in the log (written by a newer version) is treated as no decision rather than guessed at.
 */
export function workflowStatus(needsReview: boolean, latestAction: string | null): WorkflowStatus {
  if (!needsReview) return 'NOT_REQUIRED';
  if (latestAction === null || !isWorkflowAction(latestAction)) return 'PENDING_REVIEW';
  return STATUS_AFTER[latestAction];
}

/** The status `action` leads to from `current`, or null when the transition is not allowed. */
export function nextWorkflowStatus(current: WorkflowStatus, action: WorkflowAction): WorkflowStatus | null {
  if (current === 'NOT_REQUIRED') return null;
  return TRANSITIONS[current][action] ?? null;
}
