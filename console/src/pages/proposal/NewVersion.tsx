/** A new version of a proposal from an edited simulate request (prefilled with the current version's inputs). */
import { useState } from 'preact/hooks';
import { api, unwrap } from '../../api/client.ts';
import { can } from '../../api/permissions.ts';
import { actorId } from '../../api/session.ts';
import { useSignal } from '../../api/signal.ts';
import type { ProposalCreateBody } from '../../api/types.ts';
import { parseRequest, RequestEditor } from '../../components/RequestEditor.tsx';
import { ErrorNotice } from '../../components/states.tsx';
import { asApiError } from '../../lib/use-resource.ts';

export function NewVersion({ proposalId, inputs, onDone }: { proposalId: string; inputs: unknown; onDone: () => void }) {
  const actor = useSignal(actorId);
  const [text, setText] = useState(() => (inputs === undefined ? '' : JSON.stringify(inputs, null, 2)));
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const [key, setKey] = useState(() => `console-${crypto.randomUUID()}`);
  if (!can('proposal.create')) return null;
  const submit = async (event: Event) => {
    event.preventDefault();
    const parsed = parseRequest(text);
    if (!parsed.ok) {
      setError(new Error(parsed.message));
      return;
    }
    const createdBy = String(new FormData(event.currentTarget as HTMLFormElement).get('created_by') ?? '').trim();
    setBusy(true);
    setError(null);
    try {
      await unwrap(
        api.POST('/rebalance/proposals/{proposal_id}/versions', {
          params: { path: { proposal_id: proposalId }, header: { 'idempotency-key': key } },
          body: { created_by: createdBy, simulate_request: parsed.value as ProposalCreateBody['simulate_request'] },
        }),
      );
      setKey(`console-${crypto.randomUUID()}`);
      onDone();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <details>
      <summary>Create a new version</summary>
      <form onSubmit={submit} aria-label="New version">
        <div class="field">
          <label for="nv-created-by">Adviser (created by)</label>
          <input id="nv-created-by" name="created_by" defaultValue={actor} required />
        </div>
        <RequestEditor id="nv" label="Proposal simulate request (JSON)" examples={[]} text={text} onText={setText} />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create version'}
        </button>
        {error && <ErrorNotice error={error} title="The version was not created" />}
      </form>
    </details>
  );
}
