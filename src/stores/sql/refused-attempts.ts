/**
 * Refused attempts (docs/security.md#four-eyes): a decision the workflow refused for who asked —
 * an author approving their own proposal, a requester approving their own run — recorded next to
 * the decisions of the proposal or run it was aimed at, in each store's own table. Only inserted;
 * read back oldest first.
 */
import type { Row, SqlQueryable } from './executor.ts';
import { asJsonObject } from '../../domain/json-object.ts';
import { text } from './row-values.ts';
import { isoTimestamp } from './where.ts';

export interface RefusedAttempt {
  readonly attempt_id: string;
  /** The proposal or run the attempt was aimed at. */
  readonly entity_id: string;
  /** What was attempted, e.g. `APPROVAL:RISK`, `TRANSITION:RISK_APPROVED`, `WORKFLOW:APPROVE`. */
  readonly action: string;
  /** The verified subject who attempted it. */
  readonly actor_id: string;
  /** Why it was refused (a catalogued code). */
  readonly reason_code: string;
  readonly attempted_at: string;
  readonly correlation_id: string;
  /** What the refusal was based on, e.g. the authors of the version. */
  readonly details_json: Readonly<Record<string, unknown>>;
}

/** The table of one store and the column naming the entity. */
export interface RefusedAttemptTable {
  readonly table: 'proposal_refused_attempts' | 'dpm_run_refused_attempts';
  readonly entityColumn: 'proposal_id' | 'run_id';
}

export async function insertRefusedAttempt(db: SqlQueryable, where: RefusedAttemptTable, attempt: RefusedAttempt): Promise<void> {
  await db.execute(
    `INSERT INTO ${where.table} (attempt_id, ${where.entityColumn}, action, actor_id, reason_code, attempted_at, correlation_id, details_json)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      attempt.attempt_id,
      attempt.entity_id,
      attempt.action,
      attempt.actor_id,
      attempt.reason_code,
      isoTimestamp(attempt.attempted_at),
      attempt.correlation_id,
      JSON.stringify(attempt.details_json ?? {}),
    ],
  );
}

/** Oldest first: `attempted_at, attempt_id`. */
export async function listRefusedAttempts(db: SqlQueryable, where: RefusedAttemptTable, entityId: string): Promise<RefusedAttempt[]> {
  const rows = await db.query(`SELECT * FROM ${where.table} WHERE ${where.entityColumn} = $1 ORDER BY attempted_at, attempt_id`, [entityId]);
  return rows.map((row: Row) => ({
    attempt_id: text(row['attempt_id']),
    entity_id: text(row[where.entityColumn]),
    action: text(row['action']),
    actor_id: text(row['actor_id']),
    reason_code: text(row['reason_code']),
    attempted_at: text(row['attempted_at']),
    correlation_id: text(row['correlation_id']),
    details_json: asJsonObject(row['details_json']),
  }));
}
