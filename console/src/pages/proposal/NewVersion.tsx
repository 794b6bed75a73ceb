/** A new version of a proposal from an edited simulate request (prefilled with the current version's inputs). */
import { useState } from 'preact/hooks';
import { api, unwrap } from '../../api/client.ts';
import { useAccess } from '../../api/permissions.ts';
import type { ProposalCreateBody } from '../../api/types.ts';
import { ActorField } from '../../components/ActorField.tsx';
import { newIdempotencyKey, RequestEditor, requestJson } from '../../components/RequestEditor.tsx';
import { ErrorNotice } from '../../components/states.tsx';
import { field } from '../../lib/form.ts';
import { useAction } from '../../lib/use-action.ts';

export function NewVersion({ proposalId, inputs, onDone }: { proposalId: string; inputs: unknown; onDone: () => void }) {
  const access = useAccess();
  const [text, setText] = useState(() => (inputs === undefined ? '' : JSON.stringify(inputs, null, 2)));
  const action = useAction();
  const [key, setKey] = useState(newIdempotencyKey);
  if (!access.can('proposals.write')) return null;
  const submit = async (event: Event) => {
    event.preventDefault();
    const createdBy = field(new FormData(event.currentTarget as HTMLFormElement), 'created_by');
    await action.run(async () => {
      const request = requestJson(text);
      await unwrap(
        api.POST('/rebalance/proposals/{proposal_id}/versions', {
          params: { path: { proposal_id: proposalId }, header: { 'Idempotency-Key': key } },
          body: { created_by: createdBy, simulate_request: request as ProposalCreateBody['simulate_request'] },
        }),
      );
      setKey(newIdempotencyKey());
      onDone();
    });
  };
  return (
    <details>
      <summary>Create a new version</summary>
      <form onSubmit={submit} aria-label="New version">
        <ActorField id="nv-created-by" name="created_by" label="Adviser (created by)" />
        <RequestEditor id="nv" label="Proposal simulate request (JSON)" examples={[]} text={text} onText={setText} />
        <button type="submit" class="primary" disabled={action.busy}>
          {action.busy ? 'Creating…' : 'Create version'}
        </button>
        {action.error && <ErrorNotice error={action.error} title="The version was not created" />}
      </form>
    </details>
  );
}
