/**
 * The workflow rules the console offers actions by, imported from the service's own pure domain
 * modules (bundled at build time), so a button is shown exactly when the API would accept the
 * move and the two can never disagree. The API still decides: a refusal is shown with its code.
 */
export { WORKFLOW_ACTIONS, nextWorkflowStatus, type WorkflowAction } from '../../../src/domain/workflow/run-review.ts';
export {
  PROPOSAL_STATES,
  decideTransition,
  gateBlocks,
  type ProposalEventType,
  type ProposalState,
} from '../../../src/domain/workflow/proposal-state-machine.ts';
export { needsSecondPerson, transitionPermission } from '../../../src/domain/access/decisions.ts';
