/**
 * A reproduce report (docs/dpm-api.md#reproducing-a-run, docs/advisory.md#reproducing-a-version)
 * as people read it (docs/console.md#reproduce-report): the verdict first, the two engine
 * versions, what the run was computed under, whether each part of the result matches, then every
 * listed difference as a row — recorded against reproduced — or, for a request today's validation
 * refuses, why.
 */
import type { Answer } from '../api/types.ts';
import { compareParts, type PartComparison } from '../lib/reproduce-parts.ts';
import { DataTable } from './DataTable.tsx';
import { KeyValues, Mono } from './layout.tsx';
import { FieldProblems } from './states.tsx';
import { StatusBadge } from './StatusBadge.tsx';

export type RunReproduction = Answer<'/rebalance/runs/{rebalance_run_id}/reproduce', 'post'>;
export type VersionReproduction = Answer<'/rebalance/proposals/{proposal_id}/versions/{version_no}/reproduce', 'post'>;
type Report = RunReproduction | VersionReproduction;
type Difference = Report['differences'][number];

const VERDICT_TEXT: Readonly<Record<Report['verdict'], string>> = {
  IDENTICAL: "Today's engine gives exactly the recorded result.",
  DIFFERENT: "Today's engine gives a different result; every difference is counted, the first ones are listed below.",
  REQUEST_REJECTED: "Today's validation refuses the recorded request, so nothing was run.",
};

/** A JSON value in a table cell: text as it is, anything else as compact JSON; absent as a dash. */
function value(v: unknown): string {
  if (v === undefined) return '—';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function computedUnder(report: Report): [string, preact.ComponentChildren][] {
  if ('rebalance_run_id' in report) {
    const verified = report.request_hash_verified;
    return [
      ['Request hash', <Mono>{report.request_hash}</Mono>],
      ['Recorded request still hashes to it', verified === null ? 'not applicable (an analyze scenario)' : verified ? 'yes' : 'NO — the stored request was altered'],
      ['Policy pack', report.policy_pack ? `${report.policy_pack.policy_pack_id} (version ${report.policy_pack.version ?? '—'})` : 'none'],
    ];
  }
  return [
    ['Version', `${report.version_no} (${report.proposal_version_id})`],
    ['Request hash', <Mono>{report.request_hash}</Mono>],
  ];
}

const PART_TEXT: Readonly<Record<PartComparison['verdict'], string>> = {
  MATCH: 'same as recorded',
  MISMATCH: 'differs',
  NOT_LISTED: 'no difference among those listed (the list is cut short)',
};

function PartsTable({ report, parts }: { report: Report; parts: readonly string[] }) {
  const rows = compareParts(
    parts,
    report.differences.map((d) => d.path),
    report.differences_truncated,
  );
  return (
    <DataTable<PartComparison>
      caption="Each part of the result: recorded against reproduced"
      rows={rows}
      rowKey={(r) => r.part}
      testId="reproduce-parts"
      columns={[
        { header: 'Part', cell: (r) => <Mono>{r.part}</Mono> },
        { header: 'Verdict', cell: (r) => <StatusBadge status={r.verdict} /> },
        { header: 'Listed differences', cell: (r) => (r.differences > 0 ? String(r.differences) : `none — ${PART_TEXT[r.verdict]}`) },
      ]}
    />
  );
}

/** `parts`: the top-level parts of the recorded result, for the part-by-part verdict. */
export function ReproduceReport({ report, parts }: { report: Report; parts: readonly string[] }) {
  return (
    <div class="reproduce-report" data-testid="reproduce-report" data-verdict={report.verdict}>
      <p>
        <StatusBadge status={report.verdict} /> — {VERDICT_TEXT[report.verdict]}
      </p>
      <KeyValues
        items={[
          ['Identical', report.identical ? 'yes' : 'no'],
          ['Recorded by engine', <Mono>{report.recorded_engine_version}</Mono>],
          ['Reproduced by engine', <Mono>{report.current_engine_version}</Mono>],
          ...computedUnder(report),
          ['Differences', report.differences_truncated ? `${report.difference_count} (the first ${report.differences.length} listed)` : String(report.difference_count)],
        ]}
      />
      {report.verdict !== 'REQUEST_REJECTED' && <PartsTable report={report} parts={parts} />}
      {report.differences.length > 0 && (
        <DataTable<Difference>
          caption="Differences between the recorded and the reproduced result, in document order"
          rows={report.differences}
          rowKey={(d) => `${d.path}|${d.change}`}
          testId="reproduce-differences"
          columns={[
            { header: 'Path', cell: (d) => <Mono>{d.path}</Mono> },
            { header: 'Change', cell: (d) => d.change },
            { header: 'Recorded', cell: (d) => <Mono>{value(d.recorded)}</Mono> },
            { header: 'Reproduced', cell: (d) => <Mono>{value(d.reproduced)}</Mono> },
          ]}
        />
      )}
      <FieldProblems problems={report.request_problems} testId="reproduce-request-problems" />
    </div>
  );
}
