/**
 * Workflow decisions of the DPM run store — an append-only, numbered history per run, where an
 * If-Match guard makes "decide on what I saw" atomic — and the refused attempts kept beside them.
 */
import { SqlConstraintError, type SqlExecutor, type SqlQueryable } from '../sql/executor.ts';
import { listPage, one } from '../sql/queries.ts';
import { insertRefusedAttempt, listRefusedAttempts, type RefusedAttemptTable } from '../sql/refused-attempts.ts';
import { isoOrUndefined, isoTimestamp, Where } from '../sql/where.ts';
import type { AppendDecisionOutcome, DecisionFilter, DpmRunStore, WorkflowDecision } from './port.ts';
import { INVALID_CURSOR, toDecision } from './rows.ts';

const REFUSED_ATTEMPTS: RefusedAttemptTable = { table: 'dpm_run_refused_attempts', entityColumn: 'run_id' };
/** How often an append retries after losing the race for the next sequence number. */
const APPEND_ATTEMPTS = 5;

async function latestDecision(queryable: SqlQueryable, runId: string): Promise<{ decision: WorkflowDecision; seq: number } | null> {
  return one(queryable, 'SELECT * FROM dpm_workflow_decisions WHERE run_id = $1 ORDER BY decision_seq DESC LIMIT 1', [runId], (row) => ({
    decision: toDecision(row),
    seq: Number(row['decision_seq']),
  }));
}

type DecisionQueries = Pick<
  DpmRunStore,
  'appendWorkflowDecision' | 'listWorkflowDecisions' | 'listWorkflowDecisionsFiltered' | 'recordRefusedAttempt' | 'listRefusedAttempts'
>;

export function decisionQueries(db: SqlExecutor): DecisionQueries {
  return {
    async appendWorkflowDecision(decision, guard) {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await db.transaction(async (tx): Promise<AppendDecisionOutcome> => {
            const latest = await latestDecision(tx, decision.run_id);
            if (guard && (latest?.decision.decision_id ?? null) !== guard.expectedLatestDecisionId) {
              return { outcome: 'stale', latest: latest?.decision ?? null };
            }
            await tx.execute(
              `INSERT INTO dpm_workflow_decisions (decision_id, run_id, action, reason_code, comment, actor_id, decided_at, correlation_id, decision_seq)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
              [
                decision.decision_id,
                decision.run_id,
                decision.action,
                decision.reason_code,
                decision.comment,
                decision.actor_id,
                isoTimestamp(decision.decided_at),
                decision.correlation_id,
                (latest?.seq ?? 0) + 1,
              ],
            );
            return { outcome: 'appended', decision };
          });
        } catch (error) {
          // A concurrent append took the next sequence number of this run (UNIQUE (run_id, seq)).
          if (!(error instanceof SqlConstraintError && error.kind === 'unique')) throw error;
          const duplicateId = await db.query('SELECT decision_id FROM dpm_workflow_decisions WHERE decision_id = $1', [decision.decision_id]);
          if (duplicateId.length > 0 || attempt >= APPEND_ATTEMPTS) throw error;
          if (guard) return { outcome: 'stale', latest: (await latestDecision(db, decision.run_id))?.decision ?? null };
        }
      }
    },
    async listWorkflowDecisions(runId) {
      return (await db.query('SELECT * FROM dpm_workflow_decisions WHERE run_id = $1 ORDER BY decision_seq', [runId])).map(toDecision);
    },
    recordRefusedAttempt: (attempt) => insertRefusedAttempt(db, REFUSED_ATTEMPTS, attempt),
    listRefusedAttempts: (runId) => listRefusedAttempts(db, REFUSED_ATTEMPTS, runId),
    async listWorkflowDecisionsFiltered(filter: DecisionFilter) {
      const where = new Where()
        .when(filter.rebalance_run_id, 'run_id = ?')
        .when(filter.action, 'action = ?')
        .when(filter.actor_id, 'actor_id = ?')
        .when(filter.reason_code, 'reason_code = ?')
        .when(isoOrUndefined(filter.decided_from), 'decided_at >= ?')
        .when(isoOrUndefined(filter.decided_to), 'decided_at <= ?');
      return listPage(db,
        { select: 'SELECT * FROM dpm_workflow_decisions', where, orderTime: 'decided_at', orderId: 'decision_id', direction: 'DESC', cursor: filter.cursor, invalidCursor: INVALID_CURSOR },
        filter.limit,
        toDecision,
        (d) => ({ createdAt: d.decided_at, id: d.decision_id }),
      );
    },
  };
}
