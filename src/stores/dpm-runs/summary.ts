/** The DPM run store's supportability summary: counts and time bounds of everything it holds. */
import type { SqlQueryable } from '../sql/executor.ts';
import type { DpmRunStore, SupportabilitySummary } from './port.ts';
import { countsOf } from './rows.ts';

export function summaryQuery(db: SqlQueryable): Pick<DpmRunStore, 'summary'> {
  return {
    async summary(): Promise<SupportabilitySummary> {
      const [runs] = await db.query('SELECT COUNT(*) AS n, MIN(created_at) AS oldest, MAX(created_at) AS newest FROM dpm_runs');
      const [operations] = await db.query('SELECT COUNT(*) AS n, MIN(created_at) AS oldest, MAX(created_at) AS newest FROM dpm_async_operations');
      const [decisions] = await db.query('SELECT COUNT(*) AS n FROM dpm_workflow_decisions');
      const [edges] = await db.query('SELECT COUNT(*) AS n FROM dpm_lineage_edges');
      const grouped = (table: string, column: string) =>
        db.query(`SELECT ${column} AS key, COUNT(*) AS n FROM ${table} WHERE ${column} <> '' GROUP BY ${column} ORDER BY ${column}`);
      const nullable = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));
      return {
        run_count: Number(runs?.['n'] ?? 0),
        operation_count: Number(operations?.['n'] ?? 0),
        operation_status_counts: countsOf(await grouped('dpm_async_operations', 'status')),
        run_status_counts: countsOf(await grouped('dpm_runs', 'status')),
        workflow_decision_count: Number(decisions?.['n'] ?? 0),
        workflow_action_counts: countsOf(await grouped('dpm_workflow_decisions', 'action')),
        workflow_reason_code_counts: countsOf(await grouped('dpm_workflow_decisions', 'reason_code')),
        lineage_edge_count: Number(edges?.['n'] ?? 0),
        oldest_run_created_at: nullable(runs?.['oldest']),
        newest_run_created_at: nullable(runs?.['newest']),
        oldest_operation_created_at: nullable(operations?.['oldest']),
        newest_operation_created_at: nullable(operations?.['newest']),
      };
    },
  };
}
