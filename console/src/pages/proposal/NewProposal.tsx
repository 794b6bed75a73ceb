/**
 * Start a proposal: a ProposalSimulateRequest (an example from the API's document, pasted, or a
 * file), a title, and the adviser's id. The create call carries a generated Idempotency-Key, so a
 * double click or a retry creates it once.
 */
import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import { capabilities } from '../../api/capabilities.ts';
import { api, body } from '../../api/client.ts';
import { useAccess } from '../../api/permissions.ts';
import type { ProposalCreateBody } from '../../api/types.ts';
import { ActorField } from '../../components/ActorField.tsx';
import { Section } from '../../components/layout.tsx';
import { newIdempotencyKey, RequestEditor, requestJson } from '../../components/RequestEditor.tsx';
import { ErrorNotice } from '../../components/states.tsx';
import { links } from '../../links.ts';
import { field } from '../../lib/form.ts';
import { useAction } from '../../lib/use-action.ts';
import { useResource } from '../../lib/use-resource.ts';

export function NewProposal() {
  const { route } = useLocation();
  const access = useAccess();
  const { resource } = useResource(() => capabilities(), []);
  const [text, setText] = useState('');
  const action = useAction();
  const [key] = useState(newIdempotencyKey);
  if (!access.can('proposals.write')) return null;
  const examples = resource.state === 'ok' ? resource.data.examplesFor('post', '/rebalance/proposals/simulate') : [];
  const submit = async (event: Event) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    await action.run(async () => {
      const request = requestJson(text);
      const created = await body(
        api.POST('/rebalance/proposals', {
          params: { header: { 'Idempotency-Key': key } },
          body: {
            created_by: field(data, 'created_by'),
            simulate_request: request as ProposalCreateBody['simulate_request'],
            metadata: { title: field(data, 'title') || null },
          },
        }),
      );
      route(links.proposal(created.proposal.proposal_id));
    });
  };
  return (
    <Section id="new-proposal" title="New proposal">
      <details>
        <summary>Create a proposal from a simulate request</summary>
        <form onSubmit={submit} aria-label="New proposal">
          <div class="field-row">
            <ActorField id="np-created-by" name="created_by" label="Adviser (created by)" />
            <div class="field grow">
              <label for="np-title">Title</label>
              <input id="np-title" name="title" />
            </div>
          </div>
          <RequestEditor id="np" label="Proposal simulate request (JSON)" examples={examples} text={text} onText={setText} />
          <p class="muted">
            Sent once with the generated Idempotency-Key <code>{key}</code>: retrying replays the same proposal.
          </p>
          <button type="submit" class="primary" disabled={action.busy}>
            {action.busy ? 'Creating…' : 'Create proposal'}
          </button>
          {action.error && <ErrorNotice error={action.error} title="The proposal was not created" />}
        </form>
      </details>
    </Section>
  );
}
