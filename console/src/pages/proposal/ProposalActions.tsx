/**
 * The lifecycle moves the workflow allows from the proposal's current state and the caller's roles
 * permit, as buttons. Each is sent with the state the adviser saw (expected_state), so a move made
 * meanwhile by someone else is refused rather than overridden. An approval the caller may not give
 * because they authored the proposal (four-eyes) is shown disabled, with the reason.
 */
import { api, unwrap } from '../../api/client.ts';
import { useAccess } from '../../api/permissions.ts';
import { decideTransition, needsSecondPerson, transitionPermission, type ProposalEventType, type ProposalState } from '../../api/rules.ts';
import { ActorField } from '../../components/ActorField.tsx';
import { ErrorNotice } from '../../components/states.tsx';
import { field, submitterValue } from '../../lib/form.ts';
import { useAction } from '../../lib/use-action.ts';

const OFFERED: readonly (readonly [ProposalEventType, string])[] = [
  ['SUBMITTED_FOR_RISK_REVIEW', 'Submit for risk review'],
  ['SUBMITTED_FOR_COMPLIANCE_REVIEW', 'Submit for compliance review'],
  ['RISK_APPROVED', 'Approve (risk)'],
  ['COMPLIANCE_APPROVED', 'Approve (compliance)'],
  ['CLIENT_CONSENT_RECORDED', 'Record client consent'],
  ['EXECUTED', 'Mark executed'],
  ['REJECTED', 'Reject'],
  ['EXPIRED', 'Mark expired'],
  ['CANCELLED', 'Cancel proposal'],
];

const NEGATIVE = new Set<ProposalEventType>(['REJECTED', 'CANCELLED', 'EXPIRED']);

interface Props {
  readonly proposalId: string;
  readonly state: ProposalState;
  readonly gateBlocked: boolean;
  /** Who created the proposal and wrote its current version: they may not approve it. */
  readonly authors: readonly string[];
  readonly onDone: () => void;
}

export function ProposalActions({ proposalId, state, gateBlocked, authors, onDone }: Props) {
  const access = useAccess();
  const action = useAction();
  const decisions = OFFERED.map(([event, text]) => {
    const decision = decideTransition(state, event, gateBlocked);
    const ownWork = decision.ok && decision.approval !== null && needsSecondPerson(decision.approval) && authors.includes(access.identity.subject ?? '');
    return { event, text, decision, permitted: access.can(transitionPermission(state, event)), ownWork };
  });
  const possible = decisions.filter((d) => d.decision.ok);
  const allowed = possible.filter((d) => d.permitted);
  const gated = decisions.filter((d) => !d.decision.ok && d.decision.code === 'PROPOSAL_GATE_BLOCKED');
  if (possible.length === 0 && gated.length === 0) return <p class="muted">No move is possible: the proposal is {state.toLowerCase().replace(/_/g, ' ')}.</p>;
  if (allowed.length === 0) {
    return (
      <p class="muted" data-testid="no-permitted-move">
        Your roles permit none of the moves from {state.toLowerCase().replace(/_/g, ' ')}.
      </p>
    );
  }
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const comment = field(data, 'comment');
    await action.run(async () => {
      await unwrap(
        api.POST('/rebalance/proposals/{proposal_id}/transitions', {
          params: { path: { proposal_id: proposalId } },
          body: { event_type: submitterValue(event) as ProposalEventType, actor_id: field(data, 'actor_id'), expected_state: state, reason: comment === '' ? {} : { comment } },
        }),
      );
      onDone();
    });
  };
  return (
    <form class="action-form" onSubmit={submit} aria-label="Move the proposal">
      <div class="field-row">
        <ActorField id="pa-actor" name="actor_id" label="Actor id" />
        <div class="field grow">
          <label for="pa-comment">Comment (recorded with the event)</label>
          <input id="pa-comment" name="comment" />
        </div>
      </div>
      <div class="button-row">
        {allowed.map(({ event, text, ownWork }) => (
          <button
            key={event}
            type="submit"
            value={event}
            disabled={action.busy || ownWork}
            class={NEGATIVE.has(event) ? 'danger' : 'primary'}
            data-event={event}
            aria-describedby={ownWork ? 'four-eyes-note' : undefined}
          >
            {text}
          </button>
        ))}
      </div>
      {allowed.some((d) => d.ownWork) && (
        <p class="note" id="four-eyes-note" data-testid="four-eyes-note">
          Four-eyes: you created this proposal or wrote its current version, so someone else must give its approval.
        </p>
      )}
      {gated.length > 0 && <p class="note">Execution is refused while the current version's gate is BLOCKED: create a new version that passes.</p>}
      {action.error && <ErrorNotice error={action.error} title="The move was refused" />}
    </form>
  );
}
