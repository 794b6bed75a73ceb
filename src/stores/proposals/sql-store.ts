/**
 * The proposal store on the shared SQL layer (SQLite `:memory:` for IN_MEMORY, a SQLite file,
 * or PostgreSQL). Guarded writes start with the compare-and-set UPDATE of the proposal row,
 * which also serialises writers of one proposal (the row stays locked until commit), so the
 * event sequence numbers assigned after it are gap-free and in order.
 */
import type { ReasonCode } from '../../config/reason-codes.ts';
import type { SqlExecutor, SqlQueryable, SqlValue } from '../sql/executor.ts';
import { pageOf } from '../sql/keyset-cursor.ts';
import { claimLeasedOperation, completeLeasedOperation } from '../sql/operation-leases.ts';
import { cursorPosition, isoOrUndefined, isoTimestamp, Where } from '../sql/where.ts';
import type {
  Approval,
  GuardFailure,
  IdempotencyClaim,
  IdempotencyRecord,
  IdempotentOutcome,
  ProposalStore,
  ProposalVersion,
  WorkflowEvent,
} from './port.ts';
import { toApproval, toEvent, toIdempotency, toOperation, toProposal, toVersion } from './rows.ts';

const INVALID_CURSOR: ReasonCode = 'PROPOSAL_INVALID_CURSOR';
const json = (value: unknown): string | null => (value === null || value === undefined ? null : JSON.stringify(value));

/** Unwinds a transaction that must leave nothing behind, carrying the answer out of it. */
class Abort<T> extends Error {
  constructor(readonly answer: T) {
    super('transaction aborted on purpose');
  }
}

async function one<T>(db: SqlQueryable, sql: string, params: readonly SqlValue[], map: (row: Record<string, unknown>) => T): Promise<T | null> {
  const [row] = await db.query(sql, params);
  return row ? map(row) : null;
}

async function insertVersion(tx: SqlQueryable, v: ProposalVersion): Promise<void> {
  await tx.execute(
    `INSERT INTO proposal_versions (proposal_version_id, proposal_id, version_no, created_at, request_hash, artifact_hash, simulation_hash,
       status_at_creation, proposal_result_json, artifact_json, evidence_bundle_json, gate_decision_json)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      v.proposal_version_id,
      v.proposal_id,
      v.version_no,
      isoTimestamp(v.created_at),
      v.request_hash,
      v.artifact_hash,
      v.simulation_hash,
      v.status_at_creation,
      json(v.proposal_result_json),
      json(v.artifact_json),
      json(v.evidence_bundle_json ?? {}),
      json(v.gate_decision_json),
    ],
  );
}

async function insertEvent(tx: SqlQueryable, e: WorkflowEvent): Promise<void> {
  await tx.execute(
    `INSERT INTO proposal_workflow_events (event_id, proposal_id, event_type, from_state, to_state, actor_id, occurred_at, reason_json, related_version_no, sequence_no)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, (SELECT COALESCE(MAX(sequence_no), 0) + 1 FROM proposal_workflow_events WHERE proposal_id = $2))`,
    [e.event_id, e.proposal_id, e.event_type, e.from_state, e.to_state, e.actor_id, isoTimestamp(e.occurred_at), json(e.reason_json ?? {}), e.related_version_no],
  );
}

async function insertApproval(tx: SqlQueryable, a: Approval): Promise<void> {
  await tx.execute(
    `INSERT INTO proposal_approvals (approval_id, proposal_id, approval_type, approved, actor_id, occurred_at, details_json, related_version_no, sequence_no)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, (SELECT COALESCE(MAX(sequence_no), 0) + 1 FROM proposal_approvals WHERE proposal_id = $2))`,
    [a.approval_id, a.proposal_id, a.approval_type, a.approved, a.actor_id, isoTimestamp(a.occurred_at), json(a.details_json ?? {}), a.related_version_no],
  );
}

/**
 * Claims an idempotency key for this write. Undefined: claimed, go on. Otherwise the answer
 * for a retry (same request) or a reuse of the key with another request.
 */
async function claimKey(
  tx: SqlQueryable,
  claim: IdempotencyClaim,
  proposalId: string,
  versionNo: number,
  createdAt: string,
): Promise<IdempotentOutcome<never> | undefined> {
  const claimed = await tx.query(
    `INSERT INTO proposal_idempotency (idempotency_key, request_hash, proposal_id, proposal_version_no, created_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (idempotency_key) DO NOTHING RETURNING idempotency_key`,
    [claim.key, claim.request_hash, proposalId, versionNo, isoTimestamp(createdAt)],
  );
  if (claimed.length > 0) return undefined;
  const existing = await one(tx, 'SELECT * FROM proposal_idempotency WHERE idempotency_key = $1', [claim.key], toIdempotency);
  if (!existing) throw new Error(`Idempotency key ${claim.key} vanished while it was being claimed.`);
  return existing.request_hash === claim.request_hash
    ? { outcome: 'existing', idempotency: existing }
    : { outcome: 'idempotency_conflict', idempotency: existing };
}

async function whyNot(tx: SqlQueryable, proposalId: string, expectedState: string | undefined): Promise<GuardFailure> {
  const current = await one(tx, 'SELECT * FROM proposal_records WHERE proposal_id = $1', [proposalId], toProposal);
  if (!current) return { outcome: 'not_found' };
  if (expectedState !== undefined && current.current_state !== expectedState) return { outcome: 'state_conflict', current };
  return { outcome: 'version_conflict', current };
}

async function answerOf<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof Abort) return error.answer as T;
    throw error;
  }
}

export function createSqlProposalStore(db: SqlExecutor): ProposalStore {
  return {
    createProposal(input) {
      return answerOf(
        db.transaction(async (tx) => {
          const { proposal } = input;
          if (input.idempotency) {
            const decided = await claimKey(tx, input.idempotency, proposal.proposal_id, input.version.version_no, proposal.created_at);
            if (decided) return decided;
          }
          const [row] = await tx.query(
            `INSERT INTO proposal_records (proposal_id, portfolio_id, mandate_id, jurisdiction, created_by, created_at, last_event_at, current_state,
               current_version_no, title, advisor_notes, row_version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1) RETURNING *`,
            [
              proposal.proposal_id,
              proposal.portfolio_id,
              proposal.mandate_id,
              proposal.jurisdiction,
              proposal.created_by,
              isoTimestamp(proposal.created_at),
              isoTimestamp(proposal.last_event_at),
              proposal.current_state,
              proposal.current_version_no,
              proposal.title,
              proposal.advisor_notes,
            ],
          );
          await insertVersion(tx, input.version);
          await insertEvent(tx, input.event);
          return { outcome: 'created' as const, proposal: toProposal(row ?? {}) };
        }),
      );
    },

    createVersion(input) {
      return answerOf(
        db.transaction(async (tx) => {
          if (input.idempotency) {
            const decided = await claimKey(tx, input.idempotency, input.proposalId, input.version.version_no, input.version.created_at);
            if (decided) return decided;
          }
          const [row] = await tx.query(
            `UPDATE proposal_records SET current_version_no = $3, current_state = $4, last_event_at = $5,
               portfolio_id = COALESCE($6, portfolio_id), row_version = row_version + 1
             WHERE proposal_id = $1 AND row_version = $2 RETURNING *`,
            [input.proposalId, input.expectedRowVersion, input.version.version_no, input.newState, isoTimestamp(input.event.occurred_at), input.portfolioId ?? null],
          );
          // Throwing rolls back the idempotency claim made above.
          if (!row) throw new Abort(await whyNot(tx, input.proposalId, undefined));
          await insertVersion(tx, input.version);
          await insertEvent(tx, input.event);
          return { outcome: 'created' as const, proposal: toProposal(row) };
        }),
      );
    },

    async transition(input) {
      return db.transaction(async (tx) => {
        const guard = new Where();
        guard.add(`proposal_id = ${guard.param(input.proposalId)}`).add(`current_state = ${guard.param(input.expectedState)}`);
        if (input.expectedRowVersion !== undefined) guard.add(`row_version = ${guard.param(input.expectedRowVersion)}`);
        const [row] = await tx.query(
          `UPDATE proposal_records SET current_state = ${guard.param(input.newState)}, last_event_at = ${guard.param(isoTimestamp(input.event.occurred_at))},
             row_version = row_version + 1 ${guard} RETURNING *`,
          guard.params,
        );
        if (!row) return whyNot(tx, input.proposalId, input.expectedState);
        await insertEvent(tx, input.event);
        if (input.approval) await insertApproval(tx, input.approval);
        return { outcome: 'applied' as const, proposal: toProposal(row) };
      });
    },

    getProposal: (proposalId) => one(db, 'SELECT * FROM proposal_records WHERE proposal_id = $1', [proposalId], toProposal),
    async listProposals(filter) {
      const where = new Where()
        .when(filter.portfolio_id, 'portfolio_id = ?')
        .when(filter.state, 'current_state = ?')
        .when(filter.created_by, 'created_by = ?')
        .when(isoOrUndefined(filter.created_from), 'created_at >= ?')
        .when(isoOrUndefined(filter.created_to), 'created_at <= ?')
        .after(cursorPosition(filter.cursor, INVALID_CURSOR), 'created_at', 'proposal_id', 'DESC');
      const rows = await db.query(
        `SELECT * FROM proposal_records ${where} ORDER BY created_at DESC, proposal_id DESC LIMIT ${where.param(filter.limit + 1)}`,
        where.params,
      );
      return pageOf(rows.map(toProposal), filter.limit, (p) => ({ createdAt: p.created_at, id: p.proposal_id }));
    },
    getVersion: (proposalId, versionNo) =>
      one(db, 'SELECT * FROM proposal_versions WHERE proposal_id = $1 AND version_no = $2', [proposalId, versionNo], toVersion),
    getCurrentVersion: (proposalId) =>
      one(db, 'SELECT * FROM proposal_versions WHERE proposal_id = $1 ORDER BY version_no DESC LIMIT 1', [proposalId], toVersion),
    async listVersions(proposalId) {
      return (await db.query('SELECT * FROM proposal_versions WHERE proposal_id = $1 ORDER BY version_no', [proposalId])).map(toVersion);
    },
    async listEvents(proposalId) {
      return (await db.query('SELECT * FROM proposal_workflow_events WHERE proposal_id = $1 ORDER BY sequence_no', [proposalId])).map(toEvent);
    },
    async listApprovals(proposalId) {
      return (await db.query('SELECT * FROM proposal_approvals WHERE proposal_id = $1 ORDER BY sequence_no', [proposalId])).map(toApproval);
    },
    getIdempotency: (key): Promise<IdempotencyRecord | null> =>
      one(db, 'SELECT * FROM proposal_idempotency WHERE idempotency_key = $1', [key], toIdempotency),

    async createOperation(op) {
      await db.execute(
        `INSERT INTO proposal_async_operations (operation_id, operation_type, status, correlation_id, idempotency_key, proposal_id, created_by,
           created_at, started_at, finished_at, result_json, error_json, request_json, lease_owner, lease_expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
        [
          op.operation_id,
          op.operation_type,
          op.status,
          op.correlation_id,
          op.idempotency_key,
          op.proposal_id,
          op.created_by,
          isoTimestamp(op.created_at),
          isoOrUndefined(op.started_at ?? undefined) ?? null,
          isoOrUndefined(op.finished_at ?? undefined) ?? null,
          json(op.result_json),
          json(op.error_json),
          json(op.request_json),
          op.lease_owner,
          isoOrUndefined(op.lease_expires_at ?? undefined) ?? null,
        ],
      );
    },
    getOperation: (operationId) => one(db, 'SELECT * FROM proposal_async_operations WHERE operation_id = $1', [operationId], toOperation),
    getOperationByCorrelation: (correlationId) =>
      one(db, 'SELECT * FROM proposal_async_operations WHERE correlation_id = $1 ORDER BY created_at DESC, operation_id DESC LIMIT 1', [correlationId], toOperation),
    async claimOperation(claim) {
      const row = await claimLeasedOperation(db, 'proposal_async_operations', claim);
      return row ? toOperation(row) : null;
    },
    completeOperation: (operationId, workerId, completion) =>
      completeLeasedOperation(db, 'proposal_async_operations', operationId, workerId, completion, { column: 'proposal_id', value: completion.proposal_id }),

    async ping() {
      await db.query('SELECT 1 AS ok');
    },
    close: () => db.close(),
  };
}
