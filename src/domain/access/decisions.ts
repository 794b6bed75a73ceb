/**
 * Which permission each workflow move needs, and the four-eyes rules (docs/security.md#four-eyes).
 * Pure: the services ask with the state they read; the console asks the same functions to decide
 * which buttons to show.
 *
 * Four-eyes (segregation of duties): the subject who created a proposal or wrote its current
 * version cannot give its RISK or COMPLIANCE approval (by /approvals, or by the equivalent
 * RISK_APPROVED / COMPLIANCE_APPROVED transition); the subject who requested a DPM run cannot
 * APPROVE it in the run review workflow. Refusing (REJECTED, REJECT) stays open to them: it grants
 * nothing, and an author can withdraw their own work anyway.
 */
import type { WorkflowAction } from '../workflow/run-review.ts';
import { decideTransition, type ApprovalType, type ImpliedApproval } from '../workflow/proposal-state-machine.ts';
import type { Permission } from './permissions.ts';

/** The permission that decides each kind of approval, whether it is given or refused. */
export const APPROVAL_PERMISSION: Readonly<Record<ApprovalType, Permission>> = {
  RISK: 'proposals.approve_risk',
  COMPLIANCE: 'proposals.approve_compliance',
  CLIENT_CONSENT: 'proposals.record_consent',
};

/** Moves that are not decisions, by event. */
const EVENT_PERMISSION: Readonly<Record<string, Permission>> = {
  SUBMITTED_FOR_RISK_REVIEW: 'proposals.submit',
  SUBMITTED_FOR_COMPLIANCE_REVIEW: 'proposals.submit',
  CANCELLED: 'proposals.write',
  EXECUTED: 'proposals.execute',
  EXPIRED: 'proposals.execute',
};

/** Every permission some /transitions move needs: what the route asks of a caller before reading the proposal. */
export const TRANSITION_PERMISSIONS: readonly Permission[] = [...new Set([...Object.values(EVENT_PERMISSION), ...Object.values(APPROVAL_PERMISSION)])];
export const APPROVAL_PERMISSIONS: readonly Permission[] = Object.values(APPROVAL_PERMISSION);

/**
 * The permission a `/transitions` move from `from` on `event` needs; null when the workflow does
 * not allow the move at all (the state machine refuses it, whoever asks). A decision out of a
 * review (its approval or REJECTED) needs the permission of that review.
 */
export function transitionPermission(from: string, event: string): Permission | null {
  const decision = decideTransition(from, event, false);
  if (!decision.ok) return null;
  if (decision.approval) return APPROVAL_PERMISSION[decision.approval.approval_type];
  return EVENT_PERMISSION[event] ?? null;
}

/** Approvals only the author's colleagues may give. */
const FOUR_EYES_APPROVALS: ReadonlySet<ApprovalType> = new Set(['RISK', 'COMPLIANCE']);

/** Whether a decision must come from someone other than the proposal's authors. */
export const needsSecondPerson = (decision: ImpliedApproval): boolean => decision.approved && FOUR_EYES_APPROVALS.has(decision.approval_type);

/** Whether the run review action must come from someone other than the run's requester. */
export const runActionNeedsSecondPerson = (action: WorkflowAction): boolean => action === 'APPROVE';
