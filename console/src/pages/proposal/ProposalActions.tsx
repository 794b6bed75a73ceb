/**
 * The lifecycle moves the workflow allows from the proposal's current state, as buttons. Each is
 * sent with the state the adviser saw (expected_state), so a move made meanwhile by someone else
 * is refused rather than overridden.
 */
import { api, unwrap } from '../../api/client.ts';
import { can } from '../../api/permissions.ts';
import { decideTransition, type ProposalEventType, type ProposalState } from '../../api/rules.ts';
import { actorId } from '../../api/session.ts';
import { useSignal } from '../../api/signal.ts';
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

export function ProposalActions({ proposalId, state, gateBlocked, onDone }: { proposalId: string; state: ProposalState; gateBlocked: boolean; onDone: () => void }) {
  const actor = useSignal(actorId);
  const action = useAction();
  if (!can('proposal.transition')) return null;
  const decisions = OFFERED.map(([event, text]) => ({ event, text, decision: decideTransition(state, event, gateBlocked) }));
  const allowed = decisions.filter((d) => d.decision.ok);
  const gated = decisions.filter((d) => !d.decision.ok && d.decision.code === 'PROPOSAL_GATE_BLOCKED');
  if (allowed.length === 0 && gated.length === 0) return <p class="muted">No move is possible: the proposal is {state.toLowerCase().replace(/_/g, ' ')}.</p>;
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
        <div class="field">
          <label for="pa-actor">Actor id</label>
          <input id="pa-actor" name="actor_id" defaultValue={actor} required />
        </div>
        <div class="field grow">
          <label for="pa-comment">Comment (recorded with the event)</label>
          <input id="pa-comment" name="comment" />
        </div>
      </div>
      <div class="button-row">
        {allowed.map(({ event, text }) => (
          <button key={event} type="submit" value={event} disabled={action.busy} class={NEGATIVE.has(event) ? 'danger' : 'primary'} data-event={event}>
            {text}
          </button>
        ))}
      </div>
      {gated.length > 0 && <p class="note">Execution is refused while the current version's gate is BLOCKED: create a new version that passes.</p>}
      {action.error && <ErrorNotice error={action.error} title="The move was refused" />}
    </form>
  );
}
