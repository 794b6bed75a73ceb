import { describe, expect, it } from 'vitest';
import {
  APPROVAL_TYPES,
  decideApproval,
  decideNewVersion,
  decideTransition,
  gateBlocks,
  PROPOSAL_EVENT_TYPES,
  PROPOSAL_STATES,
  TERMINAL_STATES,
} from '../../../src/domain/workflow/proposal-state-machine.ts';

/**
 * The `/transitions` table (docs/advisory.md#states-and-transitions), written out independently of
 * the implementation.
 */
const ALLOWED: Record<string, Record<string, string>> = {
  DRAFT: { SUBMITTED_FOR_RISK_REVIEW: 'RISK_REVIEW', SUBMITTED_FOR_COMPLIANCE_REVIEW: 'COMPLIANCE_REVIEW', CANCELLED: 'CANCELLED' },
  RISK_REVIEW: { RISK_APPROVED: 'AWAITING_CLIENT_CONSENT', REJECTED: 'REJECTED', CANCELLED: 'CANCELLED' },
  COMPLIANCE_REVIEW: { COMPLIANCE_APPROVED: 'AWAITING_CLIENT_CONSENT', REJECTED: 'REJECTED', CANCELLED: 'CANCELLED' },
  AWAITING_CLIENT_CONSENT: { CLIENT_CONSENT_RECORDED: 'EXECUTION_READY', REJECTED: 'REJECTED', CANCELLED: 'CANCELLED' },
  EXECUTION_READY: { EXECUTED: 'EXECUTED', EXPIRED: 'EXPIRED', CANCELLED: 'CANCELLED' },
};

const pairs = PROPOSAL_STATES.flatMap((state) => PROPOSAL_EVENT_TYPES.map((event) => [state, event] as const));

describe('proposal state machine: /transitions', () => {
  it.each(pairs)('%s + %s follows the documented table', (state, event) => {
    const expected = ALLOWED[state]?.[event];
    const decision = decideTransition(state, event, false);
    if (expected === undefined) expect(decision).toEqual({ ok: false, code: 'INVALID_TRANSITION' });
    else expect(decision).toMatchObject({ ok: true, to: expected });
  });

  it('never accepts CREATED, NEW_VERSION_CREATED or EXECUTION_REQUESTED, and nothing out of a terminal state', () => {
    for (const state of PROPOSAL_STATES) {
      for (const event of ['CREATED', 'NEW_VERSION_CREATED', 'EXECUTION_REQUESTED']) expect(decideTransition(state, event, false).ok).toBe(false);
    }
    for (const state of TERMINAL_STATES) for (const event of PROPOSAL_EVENT_TYPES) expect(decideTransition(state, event, false).ok).toBe(false);
  });

  it('records an approval for every decision taken through /transitions, and none for submissions or cancellations', () => {
    expect(decideTransition('RISK_REVIEW', 'RISK_APPROVED', false)).toEqual({ ok: true, to: 'AWAITING_CLIENT_CONSENT', approval: { approval_type: 'RISK', approved: true } });
    expect(decideTransition('RISK_REVIEW', 'REJECTED', false)).toEqual({ ok: true, to: 'REJECTED', approval: { approval_type: 'RISK', approved: false } });
    expect(decideTransition('COMPLIANCE_REVIEW', 'REJECTED', false)).toMatchObject({ approval: { approval_type: 'COMPLIANCE', approved: false } });
    expect(decideTransition('AWAITING_CLIENT_CONSENT', 'CLIENT_CONSENT_RECORDED', false)).toMatchObject({
      approval: { approval_type: 'CLIENT_CONSENT', approved: true },
    });
    expect(decideTransition('DRAFT', 'SUBMITTED_FOR_RISK_REVIEW', false)).toMatchObject({ approval: null });
    expect(decideTransition('RISK_REVIEW', 'CANCELLED', false)).toMatchObject({ approval: null });
    expect(decideTransition('EXECUTION_READY', 'EXECUTED', false)).toMatchObject({ approval: null });
  });

  it('refuses to execute a proposal whose gate is BLOCKED, but lets it expire or be cancelled', () => {
    expect(decideTransition('EXECUTION_READY', 'EXECUTED', true)).toEqual({ ok: false, code: 'PROPOSAL_GATE_BLOCKED' });
    expect(decideTransition('EXECUTION_READY', 'EXPIRED', true).ok).toBe(true);
    expect(decideTransition('EXECUTION_READY', 'CANCELLED', true).ok).toBe(true);
    expect(decideTransition('DRAFT', 'EXECUTED', true)).toEqual({ ok: false, code: 'INVALID_TRANSITION' });
  });

  it('reads BLOCKED from the gate decision, or from the status when no gate was recorded', () => {
    expect(gateBlocks({ gate: 'BLOCKED' }, 'READY')).toBe(true);
    expect(gateBlocks(null, 'BLOCKED')).toBe(true);
    expect(gateBlocks({ gate: 'CLIENT_CONSENT_REQUIRED' }, 'READY')).toBe(false);
    expect(gateBlocks(null, 'PENDING_REVIEW')).toBe(false);
  });
});

describe('proposal state machine: /approvals', () => {
  const due = { RISK: 'RISK_REVIEW', COMPLIANCE: 'COMPLIANCE_REVIEW', CLIENT_CONSENT: 'AWAITING_CLIENT_CONSENT' } as const;

  it.each(PROPOSAL_STATES.flatMap((state) => APPROVAL_TYPES.map((type) => [state, type] as const)))('%s + %s approval', (state, type) => {
    const positive = decideApproval(state, type, true);
    const negative = decideApproval(state, type, false);
    if (due[type] !== state) {
      expect(positive).toEqual({ ok: false, code: 'INVALID_APPROVAL_STATE' });
      expect(negative).toEqual({ ok: false, code: 'INVALID_APPROVAL_STATE' });
      return;
    }
    expect(negative).toEqual({ ok: true, event: 'REJECTED', to: 'REJECTED' });
    expect(positive.ok).toBe(true);
    // The approval's event is exactly the /transitions move it stands for.
    if (positive.ok) expect(decideTransition(state, positive.event, false)).toMatchObject({ ok: true, to: positive.to, approval: { approval_type: type, approved: true } });
  });
});

describe('proposal state machine: new versions', () => {
  it('keeps DRAFT and review states, sends approved states back to DRAFT, and refuses terminal states', () => {
    expect(decideNewVersion('DRAFT')).toEqual({ ok: true, to: 'DRAFT' });
    expect(decideNewVersion('RISK_REVIEW')).toEqual({ ok: true, to: 'RISK_REVIEW' });
    expect(decideNewVersion('COMPLIANCE_REVIEW')).toEqual({ ok: true, to: 'COMPLIANCE_REVIEW' });
    expect(decideNewVersion('AWAITING_CLIENT_CONSENT')).toEqual({ ok: true, to: 'DRAFT' });
    expect(decideNewVersion('EXECUTION_READY')).toEqual({ ok: true, to: 'DRAFT' });
    for (const state of TERMINAL_STATES) expect(decideNewVersion(state)).toEqual({ ok: false, code: 'PROPOSAL_TERMINAL_STATE' });
  });
});
