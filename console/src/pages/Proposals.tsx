/** Proposals: the list with the API's filters, newest first, and a form to start a new one. */
import { useLocation } from 'preact-iso';
import { api, body } from '../api/client.ts';
import { PROPOSAL_STATES } from '../api/rules.ts';
import type { ProposalSummary } from '../api/types.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { FilterForm, type FilterField } from '../components/FilterForm.tsx';
import { Mono, Page } from '../components/layout.tsx';
import { Pager } from '../components/Pager.tsx';
import { Empty, ErrorNotice, isSwitchedOff, Loading, SwitchedOff } from '../components/states.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { links } from '../links.ts';
import { pick } from '../lib/query.ts';
import { useResource } from '../lib/use-resource.ts';
import { NewProposal } from './proposal/NewProposal.tsx';
import { Time } from '../components/Time.tsx';

const PAGE_SIZE = 50;

const FIELDS: readonly FilterField[] = [
  { name: 'portfolio_id', label: 'Portfolio' },
  { name: 'state', label: 'State', kind: 'select', options: PROPOSAL_STATES },
  { name: 'created_by', label: 'Created by' },
  { name: 'created_from', label: 'Created from', kind: 'datetime' },
  { name: 'created_to', label: 'Created to', kind: 'datetime' },
];

const COLUMNS: readonly Column<ProposalSummary>[] = [
  {
    header: 'Proposal',
    cell: (p) => (
      <a href={links.proposal(p.proposal_id)}>
        <Mono>{p.proposal_id}</Mono>
      </a>
    ),
  },
  { header: 'Title', cell: (p) => p.title ?? '—' },
  { header: 'State', cell: (p) => <StatusBadge status={p.current_state} /> },
  { header: 'Version', numeric: true, cell: (p) => p.current_version_no },
  { header: 'Portfolio', cell: (p) => p.portfolio_id },
  { header: 'Created by', cell: (p) => p.created_by },
  { header: 'Created', cell: (p) => <Time iso={p.created_at} /> },
  { header: 'Last event', cell: (p) => <Time iso={p.last_event_at} /> },
];

export function Proposals() {
  const { query } = useLocation();
  const { resource } = useResource(
    () => body(api.GET('/rebalance/proposals', { params: { query: { ...pick(query, [...FIELDS.map((f) => f.name), 'cursor']), limit: PAGE_SIZE } } })),
    [JSON.stringify(query)],
  );
  return (
    <Page title="Proposals" subtitle="Advisory proposals through their lifecycle: draft, review, client consent, execution.">
      <FilterForm fields={FIELDS} basePath={links.proposals()} label="Filter proposals" />
      {resource.state === 'loading' && <Loading what="proposals" />}
      {resource.state === 'error' &&
        (isSwitchedOff(resource.error) ? <SwitchedOff error={resource.error} what="The proposal lifecycle" /> : <ErrorNotice error={resource.error} />)}
      {resource.state === 'ok' && (
        <>
          {resource.data.items.length === 0 ? (
            <Empty>No proposal matches these filters.</Empty>
          ) : (
            <DataTable caption="Proposals" columns={COLUMNS} rows={resource.data.items} rowKey={(p) => p.proposal_id} testId="proposals-table" />
          )}
          <Pager basePath={links.proposals()} nextCursor={resource.data.next_cursor} shown={resource.data.items.length} />
        </>
      )}
      <NewProposal />
    </Page>
  );
}
