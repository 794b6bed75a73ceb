/**
 * The DPM supportability store on the shared SQL layer: the same queries run on SQLite
 * (`:memory:` for IN_MEMORY, a file for SQL) and PostgreSQL. Races are decided by the
 * database — a primary key on the idempotency key, a conditional UPDATE for leases — never
 * by process memory, so several replicas can share one PostgreSQL.
 */
import type { SqlExecutor } from '../sql/executor.ts';
import { decisionQueries } from './decisions.ts';
import { lineageQueries } from './lineage.ts';
import { operationQueries } from './operations.ts';
import type { DpmRunStore } from './port.ts';
import { runQueries } from './runs.ts';
import { summaryQuery } from './summary.ts';

/** One query file per aggregate (runs, operations, decisions, lineage, summary), composed into the port. */
export function createSqlDpmRunStore(db: SqlExecutor): DpmRunStore {
  return {
    ...runQueries(db),
    ...operationQueries(db),
    ...decisionQueries(db),
    ...lineageQueries(db),
    ...summaryQuery(db),
    async ping() {
      await db.query('SELECT 1 AS ok');
    },
    close: () => db.close(),
  };
}
