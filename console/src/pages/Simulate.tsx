/**
 * Simulate: send a rebalance or an advisory proposal request and see the result with the same
 * charts as a recorded run. The API records every DPM simulation (there is no dry run unless the
 * API offers one, which the page detects), so the page says so and shows the Idempotency-Key it
 * generated; the recorded run is then a link.
 */
import { useState } from 'preact/hooks';
import { capabilities, type Capabilities, type RequestExample } from '../api/capabilities.ts';
import { api, unwrap } from '../api/client.ts';
import { useAccess } from '../api/permissions.ts';
import type { ProposalResult, RebalanceResult } from '../api/results.ts';
import { KeyValues, Mono, Page, Section } from '../components/layout.tsx';
import { newIdempotencyKey, RequestEditor, requestJson } from '../components/RequestEditor.tsx';
import { RebalanceResultView } from '../components/result/RebalanceResultView.tsx';
import { DriftSection } from '../components/result/ProposalResultView.tsx';
import { ErrorNotice, Loading } from '../components/states.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { links } from '../links.ts';
import { useAction } from '../lib/use-action.ts';
import { useResource } from '../lib/use-resource.ts';

type Kind = 'dpm' | 'proposal';

const ENDPOINT: Readonly<Record<Kind, string>> = { dpm: '/rebalance/simulate', proposal: '/rebalance/proposals/simulate' };

type Outcome = { kind: 'dpm'; result: RebalanceResult; replayed: boolean; key: string } | { kind: 'proposal'; result: ProposalResult; replayed: boolean; key: string };

/**
 * The documented examples of the endpoint; for a DPM simulate without one, each scenario of the
 * documented what-if (analyze) example is the same request with that scenario's options.
 */
function examplesFor(caps: Capabilities, kind: Kind): RequestExample[] {
  const own = caps.examplesFor('post', ENDPOINT[kind]);
  if (own.length > 0 || kind !== 'dpm') return own;
  return caps.examplesFor('post', '/rebalance/analyze').flatMap(({ body }) => {
    const { scenarios, ...snapshots } = body as { scenarios?: Record<string, { options?: unknown }> };
    return Object.entries(scenarios ?? {}).map(([name, scenario]) => ({ label: `What-if example, scenario “${name}”`, body: { ...snapshots, options: scenario.options ?? {} } }));
  });
}

export function Simulate() {
  const { resource } = useResource(() => capabilities(), []);
  const [kind, setKind] = useState<Kind>('dpm');
  const [text, setText] = useState('');
  const [key, setKey] = useState(newIdempotencyKey);
  const [dryRun, setDryRun] = useState(false);
  const action = useAction();
  const access = useAccess();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  if (resource.state === 'loading') return <Page title="Simulate"><Loading what="what this service offers" /></Page>;
  if (resource.state === 'error') return <Page title="Simulate"><ErrorNotice error={resource.error} title="The service's OpenAPI document could not be read" /></Page>;
  const caps = resource.data;
  const dryRunRoute = kind === 'dpm' ? caps.dryRunSimulate : null;

  const submit = async (event: Event) => {
    event.preventDefault();
    setOutcome(null);
    await action.run(async () => {
      const request = requestJson(text);
      const params = { header: { 'Idempotency-Key': key } };
      if (kind === 'dpm') {
        const path = dryRun && dryRunRoute ? dryRunRoute.path : '/rebalance/simulate';
        // A dry-run route is found in the OpenAPI document at run time, so the call is untyped.
        const answer = await unwrap(api.POST(path as '/rebalance/simulate', { params, body: request as never }));
        setOutcome({ kind, result: answer.data as unknown as RebalanceResult, replayed: answer.response.headers.get('idempotent-replay') === 'true', key });
      } else {
        const answer = await unwrap(api.POST('/rebalance/proposals/simulate', { params, body: request as never }));
        setOutcome({ kind, result: answer.data as unknown as ProposalResult, replayed: answer.response.headers.get('idempotent-replay') === 'true', key });
      }
      setKey(newIdempotencyKey());
    });
  };

  return (
    <Page title="Simulate" subtitle="Run a rebalance or an advisory proposal and see what it would do.">
      <Section id="request" title="Request">
        <form onSubmit={submit} aria-label="Simulate a request">
          <fieldset class="toggle">
            <legend>What to simulate</legend>
            {(['dpm', 'proposal'] as const).map((k) => (
              <label key={k}>
                <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => {
                    setKind(k);
                    setOutcome(null);
                  }} />
                {k === 'dpm' ? 'DPM rebalance (POST /rebalance/simulate)' : 'Advisory proposal (POST /rebalance/proposals/simulate)'}
              </label>
            ))}
          </fieldset>
          <RequestEditor id="sim" label="Request body (JSON)" examples={examplesFor(caps, kind)} text={text} onText={setText} />
          {dryRunRoute ? (
            <label>
              <input type="checkbox" checked={dryRun} onChange={(e) => setDryRun((e.currentTarget as HTMLInputElement).checked)} /> Dry run: simulate without recording
            </label>
          ) : (
            <p class="note" data-testid="records-note">
              {kind === 'dpm'
                ? 'This service has no dry run: Simulate records the run, '
                : 'The service stores the simulated proposal under its key, '}
              with the generated Idempotency-Key <Mono>{key}</Mono>. Sending the same request again with this key replays it.
            </p>
          )}
          <button type="submit" class="primary" disabled={action.busy || !access.can('simulate')}>
            {action.busy ? 'Simulating…' : 'Simulate'}
          </button>
        </form>
        {action.error && <ErrorNotice error={action.error} title="The simulation was refused" />}
      </Section>
      {outcome?.kind === 'dpm' && (
        <>
          <Section id="outcome" title="Result">
            <KeyValues
              items={[
                ['Status', <StatusBadge status={outcome.result.status} />],
                ['Recorded run', <a href={links.run(outcome.result.rebalance_run_id)}><Mono>{outcome.result.rebalance_run_id}</Mono></a>],
                ['Idempotency-Key', <Mono>{outcome.key}</Mono>],
                ['Replayed', outcome.replayed ? 'yes: this key had already been used with this request' : 'no'],
              ]}
            />
          </Section>
          <RebalanceResultView result={outcome.result} />
        </>
      )}
      {outcome?.kind === 'proposal' && (
        <>
          <Section id="outcome" title="Result">
            <KeyValues
              items={[
                ['Status', <StatusBadge status={outcome.result.status} />],
                ['Proposal run', <Mono>{outcome.result.proposal_run_id}</Mono>],
                ['Gate', outcome.result.gate_decision ? `${outcome.result.gate_decision.gate} → ${outcome.result.gate_decision.recommended_next_step}` : '—'],
                ['Idempotency-Key', <Mono>{outcome.key}</Mono>],
              ]}
            />
          </Section>
          <DriftSection result={outcome.result} />
        </>
      )}
    </Page>
  );
}
