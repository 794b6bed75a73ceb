/**
 * One run, everything an investigator needs: status and identifiers, the allocation picture,
 * each trade with its reason, rules, diagnostics, the review and who took it, the idempotency
 * history, lineage, downloads of the artifact and the support bundle, and the reproduce check
 * when the API offers one.
 */
import { useState } from 'preact/hooks';
import { api, body } from '../api/client.ts';
import { capabilities } from '../api/capabilities.ts';
import type { RebalanceResult } from '../api/results.ts';
import type { RunListItem } from '../api/types.ts';
import { DataTable } from '../components/DataTable.tsx';
import { DownloadButton } from '../components/DownloadButton.tsx';
import { KeyValues, Mono, Page, Section } from '../components/layout.tsx';
import { LineageGraph } from '../components/LineageGraph.tsx';
import { RebalanceResultView } from '../components/result/RebalanceResultView.tsx';
import { Empty, ErrorNotice, isSwitchedOff, Loading, SwitchedOff } from '../components/states.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { links } from '../links.ts';
import { toQueryString } from '../lib/query.ts';
import { asApiError, useResource } from '../lib/use-resource.ts';
import { useAction } from '../lib/use-action.ts';
import { ReproduceReport, type RunReproduction } from '../components/ReproduceReport.tsx';
import { WorkflowSection } from './run/WorkflowSection.tsx';
import { Time } from '../components/Time.tsx';

export type RunRecord = Omit<RunListItem, 'status'> & { readonly result: RebalanceResult };

const runPath = (runId: string) => ({ params: { path: { rebalance_run_id: runId } } });

function ArtifactHash({ runId }: { runId: string }) {
  const { resource } = useResource(async () => {
    const artifact = (await body(api.GET('/rebalance/runs/{rebalance_run_id}/artifact', runPath(runId)))) as { evidence?: { hashes?: { artifact_hash?: string } } };
    return artifact.evidence?.hashes?.artifact_hash ?? 'not in the artifact';
  }, [runId]);
  if (resource.state === 'loading') return <span class="muted">loading…</span>;
  if (resource.state === 'error') return <span class="muted">unavailable ({asApiError(resource.error).code})</span>;
  return <Mono>{resource.data}</Mono>;
}

function IdempotencySection({ idempotencyKey }: { idempotencyKey: string | null }) {
  const { resource } = useResource(
    async () => (idempotencyKey ? (await body(api.GET('/rebalance/idempotency/{idempotency_key}/history', { params: { path: { idempotency_key: idempotencyKey } } }))).history : []),
    [idempotencyKey],
  );
  return (
    <Section id="idempotency" title="Idempotency history">
      {!idempotencyKey && <Empty>This run was recorded without an idempotency key (e.g. a what-if scenario).</Empty>}
      {idempotencyKey && resource.state === 'loading' && <Loading what="the idempotency history" />}
      {idempotencyKey &&
        resource.state === 'error' &&
        (isSwitchedOff(resource.error) ? <SwitchedOff error={resource.error} what="The idempotency history" /> : <ErrorNotice error={resource.error} />)}
      {idempotencyKey && resource.state === 'ok' && (
        <>
          <p>
            Every call made with key <Mono>{idempotencyKey}</Mono>, oldest first (a replay is an attempt too).
          </p>
          <DataTable
            caption="Idempotency history"
            rows={resource.data}
            rowKey={(h) => `${h.rebalance_run_id}|${h.created_at}|${h.correlation_id}`}
            testId="idempotency-table"
            columns={[
              { header: 'When', cell: (h) => <Time iso={h.created_at} /> },
              { header: 'Run', cell: (h) => <a href={links.run(h.rebalance_run_id)}><Mono>{h.rebalance_run_id}</Mono></a> },
              { header: 'Correlation id', cell: (h) => <Mono>{h.correlation_id}</Mono> },
              { header: 'Request hash', cell: (h) => <Mono>{h.request_hash}</Mono> },
            ]}
          />
        </>
      )}
    </Section>
  );
}

function LineageSection({ runId }: { runId: string }) {
  const { resource } = useResource(async () => (await body(api.GET('/rebalance/lineage/{entity_id}', { params: { path: { entity_id: runId }, query: { limit: 200 } } }))).edges, [runId]);
  return (
    <Section id="lineage" title="Lineage">
      {resource.state === 'loading' && <Loading what="the lineage" />}
      {resource.state === 'error' && (isSwitchedOff(resource.error) ? <SwitchedOff error={resource.error} what="Lineage" /> : <ErrorNotice error={resource.error} />)}
      {resource.state === 'ok' && (resource.data.length === 0 ? <Empty>No lineage edge touches this run.</Empty> : <LineageGraph entityId={runId} edges={resource.data} />)}
    </Section>
  );
}

/** `parts`: the recorded result's top-level fields, which the check compares one by one. */
function ReproduceCheck({ runId, parts }: { runId: string; parts: readonly string[] }) {
  const { resource } = useResource(() => capabilities(), []);
  const [report, setReport] = useState<RunReproduction | null>(null);
  const action = useAction();
  if (resource.state !== 'ok') return null;
  if (!resource.data.reproduceRun) {
    return <p class="muted">This service does not offer a reproduce check for runs yet.</p>;
  }
  const check = () =>
    action.run(async () => {
      setReport(null);
      setReport(await body(api.POST('/rebalance/runs/{rebalance_run_id}/reproduce', runPath(runId))));
    });
  return (
    <div class="reproduce">
      <button type="button" onClick={check} disabled={action.busy}>
        {action.busy ? 'Reproducing…' : "Check that today's engine reproduces this run"}
      </button>
      {report && <ReproduceReport report={report} parts={parts} />}
      {action.error && <ErrorNotice error={action.error} title="The reproduce check failed" />}
    </div>
  );
}

export function RunPage({ runId }: { runId: string }) {
  const { resource } = useResource(async () => (await body(api.GET('/rebalance/runs/{rebalance_run_id}', runPath(runId)))) as unknown as RunRecord, [runId]);
  if (resource.state === 'loading') return <Page title={`Run ${runId}`}><Loading what="the run" /></Page>;
  if (resource.state === 'error') return <Page title={`Run ${runId}`}><ErrorNotice error={resource.error} title="The run could not be loaded" /></Page>;
  const run = resource.data;
  return (
    <Page title={`Run ${run.rebalance_run_id}`} subtitle={<StatusBadge status={run.result.status} />}>
      <Section id="identity" title="Identity">
        <KeyValues
          items={[
            ['Portfolio', <a href={links.runs(toQueryString({ portfolio_id: run.portfolio_id }))}>{run.portfolio_id}</a>],
            ['Recorded', <Time iso={run.created_at} />],
            ['Correlation id', <Mono>{run.correlation_id}</Mono>],
            ['Idempotency key', run.idempotency_key ? <Mono>{run.idempotency_key}</Mono> : '—'],
            ['Request hash', <a href={links.runs(toQueryString({ request_hash: run.request_hash }))}><Mono>{run.request_hash}</Mono></a>],
            ['Artifact hash', <ArtifactHash runId={run.rebalance_run_id} />],
          ]}
        />
        <div class="button-row">
          <DownloadButton label="Download artifact (JSON)" fileName={`${run.rebalance_run_id}-artifact.json`} load={() => body(api.GET('/rebalance/runs/{rebalance_run_id}/artifact', runPath(runId)))} testId="download-artifact" />
          <DownloadButton
            label="Download support bundle (JSON)"
            fileName={`${run.rebalance_run_id}-support-bundle.json`}
            load={() => body(api.GET('/rebalance/runs/{rebalance_run_id}/support-bundle', { params: { path: { rebalance_run_id: runId }, query: { include_artifact: true, include_async_operation: true, include_idempotency_history: true } } }))}
            testId="download-support-bundle"
          />
        </div>
        <ReproduceCheck runId={run.rebalance_run_id} parts={Object.keys(run.result)} />
      </Section>
      <RebalanceResultView result={run.result} />
      <WorkflowSection runId={run.rebalance_run_id} />
      <IdempotencySection idempotencyKey={run.idempotency_key ?? null} />
      <LineageSection runId={run.rebalance_run_id} />
    </Page>
  );
}
