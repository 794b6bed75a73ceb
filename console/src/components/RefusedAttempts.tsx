/**
 * Decisions the service refused because of who tried them (four-eyes, docs/security.md#four-eyes):
 * part of the audit trail, shown next to the decisions that were taken. Nothing is shown when
 * there are none.
 */
import type { Answer } from '../api/types.ts';
import { DataTable } from './DataTable.tsx';
import { Mono } from './layout.tsx';
import { Time } from './Time.tsx';

export type RefusedAttempt = Answer<'/rebalance/proposals/{proposal_id}/refused-attempts', 'get'>['refused_attempts'][number];

export function RefusedAttempts({ attempts }: { attempts: readonly RefusedAttempt[] }) {
  if (attempts.length === 0) return null;
  return (
    <>
      <h3>Refused attempts</h3>
      <DataTable
        caption="Decisions refused because of who tried them, oldest first"
        rows={attempts}
        rowKey={(a) => a.attempt_id}
        testId="refused-attempts-table"
        columns={[
          { header: 'When', cell: (a) => <Time iso={a.attempted_at} /> },
          { header: 'Who', cell: (a) => a.actor_id },
          { header: 'Attempted', cell: (a) => <Mono>{a.action}</Mono> },
          { header: 'Refused with', cell: (a) => <Mono>{a.reason_code}</Mono> },
          { header: 'Authors', cell: (a) => (Array.isArray(a.details['authors']) ? a.details['authors'].join(', ') : '—') },
          { header: 'Correlation id', cell: (a) => <Mono>{a.correlation_id}</Mono> },
        ]}
      />
    </>
  );
}
