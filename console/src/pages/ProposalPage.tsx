/**
 * One proposal: where it stands in the lifecycle, the moves it allows (and the caller's roles
 * permit), its versions and every event, approval and refused attempt with who made it, the drift
 * before and after, its artifact, and whether today's engine reproduces its current version.
 */
import { useState } from 'preact/hooks';
import { api, body } from '../api/client.ts';
import type { ProposalResult } from '../api/results.ts';
import { gateBlocks, type ProposalState } from '../api/rules.ts';
import type { ProposalApproval, ProposalDetail, ProposalEvent } from '../api/types.ts';
import { DataTable } from '../components/DataTable.tsx';
import { DownloadButton } from '../components/DownloadButton.tsx';
import { KeyValues, Mono, Page, Section } from '../components/layout.tsx';
import { LifecycleDiagram } from '../components/LifecycleDiagram.tsx';
import { Empty, ErrorNotice, isSwitchedOff, Loading, SwitchedOff } from '../components/states.tsx';
import { DriftSection } from '../components/result/ProposalResultView.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { useResource } from '../lib/use-resource.ts';
import { useAction } from '../lib/use-action.ts';
import { RefusedAttempts, type RefusedAttempt } from '../components/RefusedAttempts.tsx';
import { ReproduceReport, type VersionReproduction } from '../components/ReproduceReport.tsx';
import { NewVersion } from './proposal/NewVersion.tsx';
import { ProposalActions } from './proposal/ProposalActions.tsx';
import { Time } from '../components/Time.tsx';

interface ProposalView {
  readonly detail: ProposalDetail;
  /** Null when the support APIs (events, approvals, lineage) are switched off. */
  readonly history: { events: ProposalEvent[]; approvals: ProposalApproval[]; versions: VersionRow[]; refused: RefusedAttempt[] } | { switchedOff: unknown };
}

type VersionRow = { version_no: number; created_at: string; status_at_creation: string; request_hash: string; artifact_hash: string };

async function loadProposal(proposalId: string): Promise<ProposalView> {
  const path = { params: { path: { proposal_id: proposalId } } };
  const detail = await body(api.GET('/rebalance/proposals/{proposal_id}', { params: { path: { proposal_id: proposalId }, query: { include_evidence: true } } }));
  try {
    const [events, approvals, lineage, refused] = await Promise.all([
      body(api.GET('/rebalance/proposals/{proposal_id}/workflow-events', path)),
      body(api.GET('/rebalance/proposals/{proposal_id}/approvals', path)),
      body(api.GET('/rebalance/proposals/{proposal_id}/lineage', path)),
      body(api.GET('/rebalance/proposals/{proposal_id}/refused-attempts', path)),
    ]);
    return { detail, history: { events: events.events, approvals: approvals.approvals, versions: lineage.versions, refused: refused.refused_attempts } };
  } catch (error) {
    if (isSwitchedOff(error)) return { detail, history: { switchedOff: error } };
    throw error;
  }
}

function Timeline({ events }: { events: readonly ProposalEvent[] }) {
  return (
    <ol class="timeline" data-testid="proposal-timeline">
      {events.map((e) => (
        <li key={e.event_id}>
          <strong>{e.event_type.replace(/_/g, ' ').toLowerCase()}</strong> by {e.actor_id} · {<Time iso={e.occurred_at} />}
          <br />
          <span class="muted">
            {e.from_state ?? 'start'} → {e.to_state}
            {e.related_version_no ? ` · version ${e.related_version_no}` : ''}
            {typeof e.reason['comment'] === 'string' ? ` · “${e.reason['comment']}”` : ''}
          </span>
        </li>
      ))}
    </ol>
  );
}

/** Who created the proposal and who wrote its current version (four-eyes: they may not approve it). */
function authorsOf(detail: ProposalDetail, events: readonly ProposalEvent[]): string[] {
  const current = detail.proposal.current_version_no;
  const wrote = events.filter((e) => (e.event_type === 'CREATED' || e.event_type === 'NEW_VERSION_CREATED') && e.related_version_no === current).map((e) => e.actor_id);
  return [detail.proposal.created_by, ...wrote];
}

/** What a version's reproduce check compares, part by part: each part of the proposal result, and the artifact. */
const reproducedParts = (proposalResult: object | undefined): string[] => [...Object.keys(proposalResult ?? {}).map((key) => `proposal_result.${key}`), 'artifact'];

function ReproduceVersion({ proposalId, versionNo, parts }: { proposalId: string; versionNo: number; parts: readonly string[] }) {
  const [report, setReport] = useState<VersionReproduction | null>(null);
  const action = useAction();
  const check = () =>
    action.run(async () => {
      setReport(null);
      setReport(await body(api.POST('/rebalance/proposals/{proposal_id}/versions/{version_no}/reproduce', { params: { path: { proposal_id: proposalId, version_no: String(versionNo) } } })));
    });
  return (
    <div class="reproduce">
      <button type="button" onClick={check} disabled={action.busy}>
        {action.busy ? 'Reproducing…' : `Check that today's engine reproduces version ${versionNo}`}
      </button>
      {report && <ReproduceReport report={report} parts={parts} />}
      {action.error && <ErrorNotice error={action.error} title="The reproduce check failed" />}
    </div>
  );
}

export function ProposalPage({ proposalId }: { proposalId: string }) {
  const { resource, reload } = useResource(() => loadProposal(proposalId), [proposalId]);
  if (resource.state === 'loading') return <Page title={`Proposal ${proposalId}`}><Loading what="the proposal" /></Page>;
  if (resource.state === 'error') return <Page title={`Proposal ${proposalId}`}><ErrorNotice error={resource.error} title="The proposal could not be loaded" /></Page>;
  const { detail, history } = resource.data;
  const { proposal, current_version: version } = detail;
  const state = proposal.current_state as ProposalState;
  const result = version.proposal_result as unknown as ProposalResult | undefined;
  const visited = new Set('events' in history ? history.events.map((e) => e.to_state) : []);
  const inputs = (version.evidence_bundle as { inputs?: unknown }).inputs;
  return (
    <Page title={proposal.title ? `${proposal.title}` : `Proposal ${proposal.proposal_id}`} subtitle={<StatusBadge status={proposal.current_state} />}>
      <Section id="summary" title="Summary">
        <KeyValues
          items={[
            ['Proposal id', <Mono>{proposal.proposal_id}</Mono>],
            ['Portfolio', proposal.portfolio_id],
            ['Created by', proposal.created_by],
            ['Created', <Time iso={proposal.created_at} />],
            ['Current version', `${proposal.current_version_no} (${version.status_at_creation} when simulated)`],
            ['Gate', detail.last_gate_decision ? String((detail.last_gate_decision as { gate?: string }).gate ?? '—') : '—'],
            ['Artifact hash', <Mono>{version.artifact_hash}</Mono>],
          ]}
        />
        <DownloadButton label="Download artifact (JSON)" fileName={`${proposal.proposal_id}-v${version.version_no}-artifact.json`} load={async () => version.artifact} testId="download-proposal-artifact" />
        <ReproduceVersion proposalId={proposal.proposal_id} versionNo={version.version_no} parts={reproducedParts(result)} />
      </Section>
      <Section id="lifecycle" title="Lifecycle">
        <LifecycleDiagram current={state} visited={visited} />
        <ProposalActions
          proposalId={proposal.proposal_id}
          state={state}
          gateBlocked={gateBlocks(version.gate_decision, version.status_at_creation)}
          authors={authorsOf(detail, 'events' in history ? history.events : [])}
          onDone={reload}
        />
        <NewVersion proposalId={proposal.proposal_id} inputs={inputs} onDone={reload} />
      </Section>
      <DriftSection result={result} />
      {'switchedOff' in history ? (
        <Section id="history" title="History">
          <SwitchedOff error={history.switchedOff} what="The proposal history (events, approvals, versions)" />
        </Section>
      ) : (
        <div class="grid">
          <Section id="timeline" title="Events">
            {history.events.length === 0 ? <Empty>No event yet.</Empty> : <Timeline events={history.events} />}
          </Section>
          <Section id="approvals" title="Approvals">
            {history.approvals.length === 0 ? (
              <Empty>No approval or rejection yet.</Empty>
            ) : (
              <DataTable
                caption="Approvals"
                rows={history.approvals}
                rowKey={(a) => a.approval_id}
                testId="approvals-table"
                columns={[
                  { header: 'Decision', cell: (a) => a.approval_type },
                  { header: 'Outcome', cell: (a) => <StatusBadge status={a.approved ? 'APPROVED' : 'REJECTED'} /> },
                  { header: 'Who', cell: (a) => a.actor_id },
                  { header: 'When', cell: (a) => <Time iso={a.occurred_at} /> },
                  { header: 'Version', numeric: true, cell: (a) => a.related_version_no ?? '—' },
                ]}
              />
            )}
            <RefusedAttempts attempts={history.refused} />
          </Section>
          <Section id="versions" title="Versions">
            <DataTable
              caption="Versions"
              rows={history.versions}
              rowKey={(v) => String(v.version_no)}
              testId="versions-table"
              columns={[
                { header: 'Version', numeric: true, cell: (v) => v.version_no },
                { header: 'Created', cell: (v) => <Time iso={v.created_at} /> },
                { header: 'Simulated as', cell: (v) => <StatusBadge status={v.status_at_creation} /> },
                { header: 'Artifact hash', cell: (v) => <Mono>{v.artifact_hash}</Mono> },
              ]}
            />
          </Section>
        </div>
      )}
    </Page>
  );
}
