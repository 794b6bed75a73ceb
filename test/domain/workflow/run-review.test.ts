import { describe, expect, it } from 'vitest';
import {
  nextWorkflowStatus,
  requiresReview,
  WORKFLOW_ACTIONS,
  workflowStatus,
  type WorkflowAction,
  type WorkflowStatus,
} from '../../../src/domain/workflow/run-review.ts';

describe('run review workflow gate', () => {
  it('needs a review only for the configured statuses, case-sensitively', () => {
    expect(requiresReview('PENDING_REVIEW', ['PENDING_REVIEW'])).toBe(true);
    expect(requiresReview('READY', ['PENDING_REVIEW'])).toBe(false);
    expect(requiresReview('pending_review', ['PENDING_REVIEW'])).toBe(false);
    expect(requiresReview('BLOCKED', ['PENDING_REVIEW', 'BLOCKED'])).toBe(true);
  });

  it('derives the status from the latest decision', () => {
    expect(workflowStatus(false, 'APPROVE')).toBe('NOT_REQUIRED');
    expect(workflowStatus(true, null)).toBe('PENDING_REVIEW');
    expect(workflowStatus(true, 'APPROVE')).toBe('APPROVED');
    expect(workflowStatus(true, 'REJECT')).toBe('REJECTED');
    expect(workflowStatus(true, 'REQUEST_CHANGES')).toBe('PENDING_REVIEW');
    expect(workflowStatus(true, 'SOMETHING_NEWER')).toBe('PENDING_REVIEW');
  });

  it('allows exactly the transitions of the table', () => {
    const table: Record<WorkflowStatus, Record<WorkflowAction, WorkflowStatus | null>> = {
      NOT_REQUIRED: { APPROVE: null, REJECT: null, REQUEST_CHANGES: null },
      PENDING_REVIEW: { APPROVE: 'APPROVED', REJECT: 'REJECTED', REQUEST_CHANGES: 'PENDING_REVIEW' },
      APPROVED: { APPROVE: null, REJECT: 'REJECTED', REQUEST_CHANGES: 'PENDING_REVIEW' },
      REJECTED: { APPROVE: null, REJECT: null, REQUEST_CHANGES: 'PENDING_REVIEW' },
    };
    for (const [from, row] of Object.entries(table) as [WorkflowStatus, Record<WorkflowAction, WorkflowStatus | null>][]) {
      for (const action of WORKFLOW_ACTIONS) expect(nextWorkflowStatus(from, action), `${from} + ${action}`).toBe(row[action]);
    }
  });
});
