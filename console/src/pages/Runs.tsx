/**
 * Runs: the list with every filter the API has, newest first, 50 a page. A correlation id or an
 * idempotency key is a lookup rather than a list filter in the API, so either one shows the run
 * it leads to.
 */
import { useLocation } from 'preact-iso';
import { api, body } from '../api/client.ts';
import { RUN_STATUSES, type RunListItem } from '../api/types.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { FilterForm, type FilterField } from '../components/FilterForm.tsx';
import { Mono, Page } from '../components/layout.tsx';
import { Pager } from '../components/Pager.tsx';
import { Empty, ErrorNotice, Loading } from '../components/states.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { links } from '../links.ts';
import { shortHash } from '../lib/format.ts';
import { pick } from '../lib/query.ts';
import { useResource } from '../lib/use-resource.ts';
import { Time } from '../components/Time.tsx';

export const RUNS_PAGE_SIZE = 50;

const FIELDS: readonly FilterField[] = [
  { name: 'portfolio_id', label: 'Portfolio' },
  { name: 'status', label: 'Status', kind: 'select', options: RUN_STATUSES },
  { name: 'from', label: 'Created from', kind: 'datetime' },
  { name: 'to', label: 'Created to', kind: 'datetime' },
  { name: 'correlation_id', label: 'Correlation id' },
  { name: 'request_hash', label: 'Request hash', placeholder: 'sha256:…' },
  { name: 'idempotency_key', label: 'Idempotency key' },
];

const LIST_FILTERS = ['portfolio_id', 'status', 'from', 'to', 'request_hash', 'cursor'] as const;

interface RunsView {
  readonly items: readonly RunListItem[];
  readonly nextCursor: string | null;
  /** Set when a lookup (not the list) produced the rows. */
  readonly lookup?: string;
}

type RunLookup = Omit<RunListItem, 'status'> & { result?: { status?: string } };

/** A looked-up run as a row of the list (its status is inside its result). */
function toListItem({ result, ...run }: RunLookup): RunListItem {
  return { ...run, status: result?.status ?? 'UNKNOWN' };
}

async function loadRuns(query: Record<string, string>): Promise<RunsView> {
  const correlationId = query['correlation_id']?.trim();
  if (correlationId) {
    const run = (await body(api.GET('/rebalance/runs/by-correlation/{correlation_id}', { params: { path: { correlation_id: correlationId } } }))) as RunLookup;
    return { items: [toListItem(run)], nextCursor: null, lookup: `the latest run of correlation id ${correlationId}` };
  }
  const key = query['idempotency_key']?.trim();
  if (key) {
    const mapping = await body(api.GET('/rebalance/runs/idempotency/{idempotency_key}', { params: { path: { idempotency_key: key } } }));
    const runId = (mapping as { rebalance_run_id: string }).rebalance_run_id;
    const run = (await body(api.GET('/rebalance/runs/{rebalance_run_id}', { params: { path: { rebalance_run_id: runId } } }))) as RunLookup;
    return { items: [toListItem(run)], nextCursor: null, lookup: `the run of idempotency key ${key}` };
  }
  const filters = pick(query, LIST_FILTERS);
  const page = await body(api.GET('/rebalance/runs', { params: { query: { ...filters, limit: RUNS_PAGE_SIZE } } }));
  return { items: page.items, nextCursor: page.next_cursor ?? null };
}

export const RUN_COLUMNS: readonly Column<RunListItem>[] = [
  {
    header: 'Run',
    cell: (r) => (
      <a href={links.run(r.rebalance_run_id)}>
        <Mono>{r.rebalance_run_id}</Mono>
      </a>
    ),
  },
  { header: 'Status', cell: (r) => <StatusBadge status={r.status} /> },
  { header: 'Portfolio', cell: (r) => r.portfolio_id },
  { header: 'Created', cell: (r) => <Time iso={r.created_at} /> },
  { header: 'Correlation id', cell: (r) => <Mono>{r.correlation_id}</Mono> },
  { header: 'Idempotency key', cell: (r) => (r.idempotency_key ? <Mono>{r.idempotency_key}</Mono> : '—') },
  { header: 'Request hash', cell: (r) => <Mono>{shortHash(r.request_hash)}</Mono> },
];

export function Runs() {
  const { query } = useLocation();
  const key = JSON.stringify(query);
  const { resource } = useResource(() => loadRuns(query), [key]);
  return (
    <Page title="Runs" subtitle="Every recorded rebalance run, newest first. Open a run to see its trades, rules, review and lineage.">
      <FilterForm fields={FIELDS} basePath={links.runs()} label="Filter runs" />
      {resource.state === 'loading' && <Loading what="runs" />}
      {resource.state === 'error' && <ErrorNotice error={resource.error} />}
      {resource.state === 'ok' && (
        <>
          {resource.data.lookup && <p class="note">Showing {resource.data.lookup}. Other filters do not apply to a lookup.</p>}
          {resource.data.items.length === 0 ? (
            <Empty>No run matches these filters.</Empty>
          ) : (
            <DataTable caption="Runs" columns={RUN_COLUMNS} rows={resource.data.items} rowKey={(r) => r.rebalance_run_id} testId="runs-table" />
          )}
          {!resource.data.lookup && <Pager basePath={links.runs()} nextCursor={resource.data.nextCursor} shown={resource.data.items.length} />}
        </>
      )}
    </Page>
  );
}
