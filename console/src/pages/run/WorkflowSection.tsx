/**
 * The review of a run: its workflow status, every decision with who took it and why, and the
 * actions the workflow allows from the current status. An action is sent with the ETag of the
 * state the reviewer saw (If-Match), so it fails rather than overrides a colleague's decision.
 */
import { api, body, unwrap } from '../../api/client.ts';
import { useAccess } from '../../api/permissions.ts';
import { nextWorkflowStatus, WORKFLOW_ACTIONS, type WorkflowAction } from '../../api/rules.ts';
import { ActorField } from '../../components/ActorField.tsx';
import type { RunWorkflow, WorkflowDecision } from '../../api/types.ts';
import { RefusedAttempts, type RefusedAttempt } from '../../components/RefusedAttempts.tsx';
import { DataTable } from '../../components/DataTable.tsx';
import { KeyValues, Mono, Section } from '../../components/layout.tsx';
import { Empty, ErrorNotice, isSwitchedOff, Loading, SwitchedOff } from '../../components/states.tsx';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { field, submitterValue } from '../../lib/form.ts';
import { useAction } from '../../lib/use-action.ts';
import { useResource } from '../../lib/use-resource.ts';
import { Time } from '../../components/Time.tsx';

interface WorkflowState {
  readonly view: RunWorkflow;
  readonly etag: string | null;
  readonly decisions: readonly WorkflowDecision[];
  readonly refused: readonly RefusedAttempt[];
}

async function loadWorkflow(runId: string): Promise<WorkflowState> {
  const path = { rebalance_run_id: runId };
  const [view, history, refused] = await Promise.all([
    unwrap(api.GET('/rebalance/runs/{rebalance_run_id}/workflow', { params: { path } })),
    body(api.GET('/rebalance/runs/{rebalance_run_id}/workflow/history', { params: { path } })),
    body(api.GET('/rebalance/runs/{rebalance_run_id}/workflow/refused-attempts', { params: { path } })),
  ]);
  return { view: view.data, etag: view.response.headers.get('etag'), decisions: history.decisions, refused: refused.refused_attempts };
}

const ACTION_LABEL: Readonly<Record<WorkflowAction, string>> = { APPROVE: 'Approve', REJECT: 'Reject', REQUEST_CHANGES: 'Request changes' };

function ActionForm({ runId, state, onDone }: { runId: string; state: WorkflowState; onDone: () => void }) {
  const access = useAccess();
  const action = useAction();
  const allowed = WORKFLOW_ACTIONS.filter((a) => nextWorkflowStatus(state.view.workflow_status, a) !== null);
  if (!state.view.requires_review || allowed.length === 0 || !access.can('runs.review')) return null;
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const decided = submitterValue(event) as WorkflowAction;
    await action.run(async () => {
      await unwrap(
        api.POST('/rebalance/runs/{rebalance_run_id}/workflow/actions', {
          params: { path: { rebalance_run_id: runId }, header: state.etag ? { 'If-Match': state.etag } : {} },
          body: { action: decided, reason_code: field(data, 'reason_code'), comment: field(data, 'comment') || null, actor_id: field(data, 'actor_id') },
        }),
      );
      form.reset();
      onDone();
    });
  };
  return (
    <form class="action-form" onSubmit={submit} aria-label="Review this run">
      <h3>Decide</h3>
      <div class="field-row">
        <ActorField id="wf-actor" name="actor_id" label="Actor id" />
        <div class="field">
          <label for="wf-reason">Reason code</label>
          <input id="wf-reason" name="reason_code" required pattern="[A-Z][A-Z0-9_]*" placeholder="REVIEW_APPROVED" title="Upper case, digits and underscores" />
        </div>
        <div class="field grow">
          <label for="wf-comment">Comment</label>
          <input id="wf-comment" name="comment" />
        </div>
      </div>
      <div class="button-row">
        {allowed.map((a) => (
          <button key={a} type="submit" name="action" value={a} disabled={action.busy} class={a === 'APPROVE' ? 'primary' : undefined}>
            {ACTION_LABEL[a]}
          </button>
        ))}
      </div>
      {action.error && <ErrorNotice error={action.error} title="The decision was not recorded" />}
    </form>
  );
}

export function WorkflowSection({ runId }: { runId: string }) {
  const { resource, reload } = useResource(() => loadWorkflow(runId), [runId]);
  return (
    <Section id="review" title="Review">
      {resource.state === 'loading' && <Loading what="the review" />}
      {resource.state === 'error' &&
        (isSwitchedOff(resource.error) ? <SwitchedOff error={resource.error} what="The run review workflow" /> : <ErrorNotice error={resource.error} />)}
      {resource.state === 'ok' && (
        <>
          <KeyValues
            items={[
              ['Review status', <StatusBadge status={resource.data.view.workflow_status} />],
              ['Needs a review', resource.data.view.requires_review ? 'yes' : `no (run status ${resource.data.view.run_status})`],
            ]}
          />
          {resource.data.decisions.length === 0 ? (
            <Empty>No decision yet.</Empty>
          ) : (
            <DataTable
              caption="Review decisions, oldest first"
              rows={resource.data.decisions}
              rowKey={(d) => d.decision_id}
              testId="decisions-table"
              columns={[
                { header: 'When', cell: (d) => <Time iso={d.decided_at} /> },
                { header: 'Who', cell: (d) => d.actor_id || '—' },
                { header: 'Decision', cell: (d) => <StatusBadge status={d.action} /> },
                { header: 'Reason', cell: (d) => <Mono>{d.reason_code}</Mono> },
                { header: 'Comment', cell: (d) => d.comment ?? '—' },
                { header: 'Correlation id', cell: (d) => <Mono>{d.correlation_id}</Mono> },
              ]}
            />
          )}
          <RefusedAttempts attempts={resource.data.refused} />
          <ActionForm runId={runId} state={resource.data} onDone={reload} />
        </>
      )}
    </Section>
  );
}
