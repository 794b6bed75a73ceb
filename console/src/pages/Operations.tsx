/**
 * Async operations: state, attempts, lease holder and timestamps; one operation in detail with its error or its scenario runs; a PENDING one can be executed.
 * Proposal operations have no list in the API, so they are opened by id.
 */
import type { ComponentChildren } from 'preact';
import { useLocation } from 'preact-iso';
import { api, body } from '../api/client.ts';
import { useAccess } from '../api/permissions.ts';
import { OPERATION_STATUSES, type OperationListItem } from '../api/types.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { DownloadButton } from '../components/DownloadButton.tsx';
import { FilterForm, type FilterField } from '../components/FilterForm.tsx';
import { KeyValues, Mono, Page, Section } from '../components/layout.tsx';
import { Pager } from '../components/Pager.tsx';
import { Empty, ErrorNotice, isSwitchedOff, Loading, SwitchedOff } from '../components/states.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { links } from '../links.ts';
import { pick, toQueryString } from '../lib/query.ts';
import { useAction } from '../lib/use-action.ts';
import { useResource } from '../lib/use-resource.ts';
import { Time } from '../components/Time.tsx';

const PAGE_SIZE = 50;

const FIELDS: readonly FilterField[] = [
  { name: 'status', label: 'State', kind: 'select', options: OPERATION_STATUSES },
  { name: 'operation_type', label: 'Type', placeholder: 'ANALYZE_SCENARIOS' },
  { name: 'correlation_id', label: 'Correlation id' },
  { name: 'from', label: 'Created from', kind: 'datetime' },
  { name: 'to', label: 'Created to', kind: 'datetime' },
];

const opLink = (id: string) => links.operations(toQueryString({ operation_id: id }));

const COLUMNS: Column<OperationListItem>[] = [
    { header: 'Operation', cell: (o) => <a href={opLink(o.operation_id)}><Mono>{o.operation_id}</Mono></a> },
    { header: 'Type', cell: (o) => o.operation_type },
    { header: 'State', cell: (o) => <StatusBadge status={o.status} /> },
    { header: 'Correlation id', cell: (o) => <Mono>{o.correlation_id}</Mono> },
    { header: 'Created', cell: (o) => <Time iso={o.created_at} /> },
    { header: 'Started', cell: (o) => <Time iso={o.started_at} /> },
    { header: 'Finished', cell: (o) => <Time iso={o.finished_at} /> },
    { header: 'Attempts', cell: (o) => String(o.attempts) },
    { header: 'Lease holder', cell: (o) => (o.lease_owner ? <Mono>{o.lease_owner}</Mono> : '—') },
];

/** Attempts and the lease, as every operation detail shows them (docs/operations.md#lease-owners). */
function leaseItems(op: { attempts: number; lease_owner: string | null; lease_expires_at: string | null }): (readonly [string, ComponentChildren])[] {
  return [
    ['Attempts', String(op.attempts)],
    ['Lease holder', op.lease_owner ? <Mono>{op.lease_owner}</Mono> : '—'],
    ['Lease expires', <Time iso={op.lease_expires_at} />],
  ];
}

function ExecuteButton({ operationId, onDone }: { operationId: string; onDone: () => void }) {
  const action = useAction();
  if (!useAccess().can('operations.execute')) return null;
  const run = () =>
    action.run(async () => {
      await body(api.POST('/rebalance/operations/{operation_id}/execute', { params: { path: { operation_id: operationId } } }));
      onDone();
    });
  return (
    <>
      <button type="button" class="primary" onClick={run} disabled={action.busy}>
        Execute now
      </button>
      {action.error && <ErrorNotice error={action.error} title="The operation was not executed" />}
    </>
  );
}

function OperationDetail({ operationId }: { operationId: string }) {
  const { resource, reload } = useResource(() => body(api.GET('/rebalance/operations/{operation_id}', { params: { path: { operation_id: operationId } } })), [operationId]);
  return (
    <Section id="operation" title={`Operation ${operationId}`}>
      {resource.state === 'loading' && <Loading what="the operation" />}
      {resource.state === 'error' && <ErrorNotice error={resource.error} title="The operation could not be loaded" />}
      {resource.state === 'ok' &&
        (() => {
          const op = resource.data;
          const result = op.result as { results?: Record<string, unknown>; failed_scenarios?: Record<string, unknown> } | null;
          const scenarios = Object.keys(result?.results ?? {});
          return (
            <>
              <KeyValues
                items={[
                  ['State', <StatusBadge status={op.status} />],
                  ['Type', op.operation_type],
                  ['Correlation id', <Mono>{op.correlation_id}</Mono>],
                  ['Created', <Time iso={op.created_at} />],
                  ['Started', <Time iso={op.started_at} />],
                  ['Finished', <Time iso={op.finished_at} />],
                  ...leaseItems(op),
                  ['Error', op.error ? <span><Mono>{String((op.error as { code?: string }).code)}</Mono> {String((op.error as { message?: string }).message ?? '')}</span> : '—'],
                ]}
              />
              {scenarios.length > 0 && (
                <>
                  <h3>Scenario runs</h3>
                  <ul>
                    {scenarios.map((s) => (
                      <li key={s}>
                        {s}: <a href={links.runs(toQueryString({ correlation_id: `${op.correlation_id}:${s}` }))}>run of correlation {op.correlation_id}:{s}</a>
                      </li>
                    ))}
                  </ul>
                </>
              )}
              <div class="button-row">
                {op.is_executable && <ExecuteButton operationId={op.operation_id} onDone={reload} />}
                <DownloadButton
                  label="Download support bundle (JSON)"
                  fileName={`${op.operation_id}-support-bundle.json`}
                  load={() => body(api.GET('/rebalance/runs/by-operation/{operation_id}/support-bundle', { params: { path: { operation_id: op.operation_id }, query: { include_artifact: true, include_async_operation: true, include_idempotency_history: true } } }))}
                />
              </div>
            </>
          );
        })()}
    </Section>
  );
}

function ProposalOperationDetail({ operationId }: { operationId: string }) {
  const { resource } = useResource(() => body(api.GET('/rebalance/proposals/operations/{operation_id}', { params: { path: { operation_id: operationId } } })), [operationId]);
  return (
    <Section id="proposal-operation" title={`Proposal operation ${operationId}`}>
      {resource.state === 'loading' && <Loading what="the operation" />}
      {resource.state === 'error' && <ErrorNotice error={resource.error} title="The operation could not be loaded" />}
      {resource.state === 'ok' && (
        <KeyValues
          items={[
            ['State', <StatusBadge status={resource.data.status} />],
            ['Type', resource.data.operation_type],
            ['Proposal', resource.data.proposal_id ? <a href={links.proposal(resource.data.proposal_id)}>{resource.data.proposal_id}</a> : '—'],
            ['Created by', resource.data.created_by],
            ['Created', <Time iso={resource.data.created_at} />],
            ['Started', <Time iso={resource.data.started_at} />],
            ['Finished', <Time iso={resource.data.finished_at} />],
            ...leaseItems(resource.data),
          ]}
        />
      )}
    </Section>
  );
}

function OperationList() {
  const { query } = useLocation();
  const { resource } = useResource(
    () => body(api.GET('/rebalance/operations', { params: { query: { ...pick(query, [...FIELDS.map((f) => f.name), 'cursor']), limit: PAGE_SIZE } } })),
    [JSON.stringify(query)],
  );
  if (resource.state === 'loading') return <Loading what="operations" />;
  if (resource.state === 'error') return isSwitchedOff(resource.error) ? <SwitchedOff error={resource.error} what="DPM async operations" /> : <ErrorNotice error={resource.error} />;
  const page = resource.data;
  return (
    <>
      {page.items.length === 0 ? (
        <Empty>No operation matches these filters.</Empty>
      ) : (
        <DataTable caption="Async operations" columns={COLUMNS} rows={page.items} rowKey={(o) => o.operation_id} testId="operations-table" />
      )}
      <Pager basePath={links.operations()} nextCursor={page.next_cursor} shown={page.items.length} />
    </>
  );
}

export function Operations() {
  const { query } = useLocation();
  return (
    <Page title="Operations" subtitle="Asynchronous what-if analyses and proposal operations: their state, timing and outcome.">
      {query['operation_id'] && <OperationDetail operationId={query['operation_id']} />}
      {query['proposal_operation_id'] && <ProposalOperationDetail operationId={query['proposal_operation_id']} />}
      <FilterForm fields={FIELDS} basePath={links.operations()} label="Filter operations" />
      <OperationList />
    </Page>
  );
}
