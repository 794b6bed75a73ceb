/**
 * The advisory proposal workflow (docs/advisory.md#states-and-transitions), in one place: states,
 * which event moves which state where, which moves are decisions that must leave an approval
 * record, what a new version does to the state, and when execution is refused. Pure: the service
 * asks, the store applies with compare-and-set.
 *
 * Deliberate differences from the reference
 * (docs/advisory.md#lifecycle-differences-from-the-reference):
 * - a decision taken through `/transitions` (RISK_APPROVED, COMPLIANCE_APPROVED,
 *   CLIENT_CONSENT_RECORDED, or REJECTED out of a review) is recorded as an approval too, so
 *   the approvals trail never misses a decision;
 * - a proposal whose current version's gate is BLOCKED cannot be EXECUTED;
 * - a new version withdraws approvals given to an earlier one: from AWAITING_CLIENT_CONSENT or
 *   EXECUTION_READY it sends the proposal back to DRAFT (it must be reviewed again); in DRAFT or
 *   in a review it keeps the state (nothing was approved yet).
 */

export const PROPOSAL_STATES = [
  'DRAFT',
  'RISK_REVIEW',
  'COMPLIANCE_REVIEW',
  'AWAITING_CLIENT_CONSENT',
  'EXECUTION_READY',
  'EXECUTED',
  'REJECTED',
  'CANCELLED',
  'EXPIRED',
] as const;
export type ProposalState = (typeof PROPOSAL_STATES)[number];

export const TERMINAL_STATES: ReadonlySet<ProposalState> = new Set(['EXECUTED', 'REJECTED', 'CANCELLED', 'EXPIRED']);

export const PROPOSAL_EVENT_TYPES = [
  'CREATED',
  'NEW_VERSION_CREATED',
  'SUBMITTED_FOR_RISK_REVIEW',
  'RISK_APPROVED',
  'SUBMITTED_FOR_COMPLIANCE_REVIEW',
  'COMPLIANCE_APPROVED',
  'CLIENT_CONSENT_RECORDED',
  'EXECUTION_REQUESTED',
  'EXECUTED',
  'REJECTED',
  'EXPIRED',
  'CANCELLED',
] as const;
export type ProposalEventType = (typeof PROPOSAL_EVENT_TYPES)[number];

export const APPROVAL_TYPES = ['RISK', 'COMPLIANCE', 'CLIENT_CONSENT'] as const;
export type ApprovalType = (typeof APPROVAL_TYPES)[number];

export const INITIAL_STATE: ProposalState = 'DRAFT';

/** The state in which each approval type is decided. */
const APPROVAL_STATE: Readonly<Record<ApprovalType, ProposalState>> = {
  RISK: 'RISK_REVIEW',
  COMPLIANCE: 'COMPLIANCE_REVIEW',
  CLIENT_CONSENT: 'AWAITING_CLIENT_CONSENT',
};

/** The event of a positive decision; a negative one is always REJECTED. */
const APPROVAL_EVENT: Readonly<Record<ApprovalType, ProposalEventType>> = {
  RISK: 'RISK_APPROVED',
  COMPLIANCE: 'COMPLIANCE_APPROVED',
  CLIENT_CONSENT: 'CLIENT_CONSENT_RECORDED',
};

/** `/transitions` moves besides CANCELLED (allowed from every non-terminal state). */
const MOVES: Readonly<Partial<Record<ProposalState, Partial<Record<ProposalEventType, ProposalState>>>>> = {
  DRAFT: { SUBMITTED_FOR_RISK_REVIEW: 'RISK_REVIEW', SUBMITTED_FOR_COMPLIANCE_REVIEW: 'COMPLIANCE_REVIEW' },
  RISK_REVIEW: { RISK_APPROVED: 'AWAITING_CLIENT_CONSENT', REJECTED: 'REJECTED' },
  COMPLIANCE_REVIEW: { COMPLIANCE_APPROVED: 'AWAITING_CLIENT_CONSENT', REJECTED: 'REJECTED' },
  AWAITING_CLIENT_CONSENT: { CLIENT_CONSENT_RECORDED: 'EXECUTION_READY', REJECTED: 'REJECTED' },
  EXECUTION_READY: { EXECUTED: 'EXECUTED', EXPIRED: 'EXPIRED' },
};

export const isProposalState = (value: string): value is ProposalState => (PROPOSAL_STATES as readonly string[]).includes(value);
export const isTerminal = (state: string): boolean => TERMINAL_STATES.has(state as ProposalState);

/** An approval record implied by a move: who decided what. */
export interface ImpliedApproval {
  readonly approval_type: ApprovalType;
  readonly approved: boolean;
}

export type TransitionDecision =
  | { readonly ok: true; readonly to: ProposalState; readonly approval: ImpliedApproval | null }
  | { readonly ok: false; readonly code: 'INVALID_TRANSITION' | 'PROPOSAL_GATE_BLOCKED' };

/** The approval type decided in `state`, if any. */
function approvalTypeDecidedIn(state: string): ApprovalType | undefined {
  return APPROVAL_TYPES.find((type) => APPROVAL_STATE[type] === state);
}

/** What a decision event (positive or REJECTED) out of a review state records as approval. */
function impliedApproval(from: string, event: string): ImpliedApproval | null {
  const type = approvalTypeDecidedIn(from);
  if (type === undefined) return null;
  if (event === APPROVAL_EVENT[type]) return { approval_type: type, approved: true };
  if (event === 'REJECTED') return { approval_type: type, approved: false };
  return null;
}

/**
 * Where `/transitions` takes a proposal in `from` on `event`. `gateBlocked`: the current
 * version's gate decision is BLOCKED, which forbids EXECUTED.
 */
export function decideTransition(from: string, event: string, gateBlocked: boolean): TransitionDecision {
  if (!isProposalState(from) || isTerminal(from)) return { ok: false, code: 'INVALID_TRANSITION' };
  const to = event === 'CANCELLED' ? 'CANCELLED' : MOVES[from]?.[event as ProposalEventType];
  if (to === undefined) return { ok: false, code: 'INVALID_TRANSITION' };
  if (event === 'EXECUTED' && gateBlocked) return { ok: false, code: 'PROPOSAL_GATE_BLOCKED' };
  return { ok: true, to, approval: impliedApproval(from, event) };
}

export type ApprovalDecision =
  | { readonly ok: true; readonly event: ProposalEventType; readonly to: ProposalState }
  | { readonly ok: false; readonly code: 'INVALID_APPROVAL_STATE' };

/** What `/approvals` does: the decision must be due in the current state. */
export function decideApproval(from: string, type: ApprovalType, approved: boolean): ApprovalDecision {
  if (APPROVAL_STATE[type] !== from) return { ok: false, code: 'INVALID_APPROVAL_STATE' };
  if (!approved) return { ok: true, event: 'REJECTED', to: 'REJECTED' };
  const event = APPROVAL_EVENT[type];
  const to = MOVES[from]?.[event];
  if (to === undefined) throw new Error(`The workflow table has no ${event} move out of ${from}.`);
  return { ok: true, event, to };
}

/** States in which an approval was already given to the current version. */
const APPROVED_STATES: ReadonlySet<ProposalState> = new Set(['AWAITING_CLIENT_CONSENT', 'EXECUTION_READY']);

export type NewVersionDecision = { readonly ok: true; readonly to: ProposalState } | { readonly ok: false; readonly code: 'PROPOSAL_TERMINAL_STATE' };

/** A new version's NEW_VERSION_CREATED event: from the current state to the state it leaves the proposal in. */
export function decideNewVersion(from: string): NewVersionDecision {
  if (isTerminal(from)) return { ok: false, code: 'PROPOSAL_TERMINAL_STATE' };
  return { ok: true, to: APPROVED_STATES.has(from as ProposalState) ? INITIAL_STATE : (from as ProposalState) };
}

/** Whether a version's gate blocks execution: its gate decision, or its status when no gate was recorded. */
export function gateBlocks(gateDecision: unknown, statusAtCreation: string): boolean {
  const gate = gateDecision !== null && typeof gateDecision === 'object' ? (gateDecision as { gate?: unknown }).gate : undefined;
  return gate === 'BLOCKED' || statusAtCreation === 'BLOCKED';
}
