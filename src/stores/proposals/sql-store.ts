/**
 * The proposal store on the shared SQL layer: one implementation for SQLite `:memory:`
 * (IN_MEMORY), a SQLite file and PostgreSQL.
 *
 * Every change to an existing proposal starts with one compare-and-set UPDATE of its row
 * (`WHERE current_state = <event.from_state> AND row_version = <what the caller read>`). Of
 * concurrent writers exactly one matches: on PostgreSQL the others wait on the row lock and
 * then re-check the condition against the winner's committed row; SQLite runs writers one at a
 * time. The winner holds the row until commit, which also serialises the numbering of the
 * events appended after it.
 */
import type { ReasonCode } from '../../config/reason-codes.ts';
import type { Row, SqlExecutor, SqlQueryable, SqlValue } from '../sql/executor.ts';
import { operationLeases } from '../sql/operation-leases.ts';
import { isoOrUndefined, isoTimestamp, Where } from '../sql/where.ts';
import { claimIdempotencyKey, insertApproval, insertEvent, insertVersion } from './appends.ts';
import { jsonParam, listPage, one } from '../sql/queries.ts';
import type {
  GuardFailure,
  IdempotentWrite,
  OperationChanges,
  OperationIdempotency,
  OperationSubmission,
  ProposalOperation,
  ProposalStore,
  TransitionEvent,
  UpdateOutcome,
} from './port.ts';
import { toApproval, toEvent, toIdempotency, toLineage, toOperation, toProposal, toVersion } from './rows.ts';
import { getSimulationResponse, recordSimulationResponse } from './simulation-responses.ts';
import { insertRefusedAttempt, listRefusedAttempts, type RefusedAttemptTable } from '../sql/refused-attempts.ts';

const INVALID_CURSOR: ReasonCode = 'PROPOSAL_INVALID_CURSOR';
const OPERATIONS = 'proposal_async_operations';
const REFUSED_ATTEMPTS: RefusedAttemptTable = { table: 'proposal_refused_attempts', entityColumn: 'proposal_id' };

const PROPOSAL_CHANGE_COLUMNS = ['title', 'advisor_notes', 'mandate_id', 'jurisdiction'] as const;
const OPERATION_TIME_COLUMNS = new Set(['started_at', 'finished_at']);
const OPERATION_JSON_COLUMNS = new Set(['result_json', 'error_json']);
const OPERATION_CHANGE_COLUMNS = ['status', 'proposal_id', 'started_at', 'finished_at', 'result_json', 'error_json'] as const;

function operationValue(column: string, value: unknown): SqlValue {
  if (value === null || value === undefined) return null;
  if (OPERATION_TIME_COLUMNS.has(column)) return isoTimestamp(String(value));
  if (OPERATION_JSON_COLUMNS.has(column)) return jsonParam(value);
  return String(value);
}

function operationSets(changes: OperationChanges, params: SqlValue[]): string[] {
  const sets: string[] = [];
  for (const column of OPERATION_CHANGE_COLUMNS) {
    const value = changes[column];
    if (value === undefined) continue;
    params.push(operationValue(column, value));
    sets.push(`${column} = $${params.length}`);
  }
  // A lease only means something while RUNNING.
  if (changes.status !== undefined && changes.status !== 'RUNNING') sets.push('lease_owner = NULL', 'lease_expires_at = NULL');
  return sets;
}

const isoOrNull = (value: string | null): string | null => (value === null ? null : isoTimestamp(value));

/** Records of one write must all belong to one proposal; anything else is a caller bug, refused before SQL. */
function requireOneProposal(proposalId: string, ...records: ({ readonly proposal_id: string } | undefined)[]): void {
  for (const record of records) {
    if (record && record.proposal_id !== proposalId) throw new Error(`A write for proposal ${proposalId} carries a record of ${record.proposal_id}.`);
  }
}

/** Rolls a transaction back on purpose (undoing an idempotency claim) while carrying its answer out. */
class Rollback extends Error {
  constructor(readonly answer: GuardFailure) {
    super('rolled back on purpose');
  }
}

async function answerOf<T>(work: Promise<T>): Promise<T | GuardFailure> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof Rollback) return error.answer;
    throw error;
  }
}

const ADVANCE = 'UPDATE proposal_records SET current_state = $4, last_event_at = $5, row_version = row_version + 1';
const GUARD = 'WHERE proposal_id = $1 AND current_state = $2 AND row_version = $3';

function advanceParams(event: TransitionEvent, expectedRowVersion: number): SqlValue[] {
  return [event.proposal_id, event.from_state, expectedRowVersion, event.to_state, isoTimestamp(event.occurred_at)];
}

/** After a compare-and-set matched nothing: why, read inside the same transaction. */
async function whyNot(tx: SqlQueryable, event: TransitionEvent): Promise<GuardFailure> {
  const [row] = await tx.query('SELECT * FROM proposal_records WHERE proposal_id = $1', [event.proposal_id]);
  if (!row) return { outcome: 'not_found' };
  const current = toProposal(row);
  return current.current_state === event.from_state
    ? { outcome: 'version_conflict', code: 'PROPOSAL_VERSION_CONFLICT', current }
    : { outcome: 'state_conflict', code: 'PROPOSAL_STATE_CONFLICT', current };
}

/**
 * Claims an async submission's key for the operation about to be inserted (`INSERT … ON CONFLICT
 * DO NOTHING`: on PostgreSQL a concurrent claimer waits here for the winner's commit; SQLite runs
 * writers one at a time). Undefined: claimed, go on. Otherwise the key's operation, for the caller.
 */
async function claimOperationKey(tx: SqlQueryable, claim: OperationIdempotency, op: ProposalOperation): Promise<OperationSubmission | undefined> {
  const claimed = await tx.query(
    `INSERT INTO proposal_async_idempotency (idempotency_key, request_hash, operation_id, created_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (idempotency_key) DO NOTHING RETURNING idempotency_key`,
    [claim.key, claim.request_hash, op.operation_id, isoTimestamp(op.created_at)],
  );
  if (claimed.length > 0) return undefined;
  const [row] = await tx.query(
    `SELECT k.request_hash AS claimed_request_hash, o.* FROM proposal_async_idempotency k
     JOIN proposal_async_operations o ON o.operation_id = k.operation_id WHERE k.idempotency_key = $1`,
    [claim.key],
  );
  // Keys and operations are never deleted, and a key commits with its operation.
  if (!row) throw new Error(`Idempotency key ${claim.key} refused the claim but its operation cannot be read.`);
  const operation = toOperation(row);
  return row['claimed_request_hash'] === claim.request_hash
    ? { outcome: 'existing', operation }
    : { outcome: 'idempotency_conflict', code: 'PROPOSAL_IDEMPOTENCY_KEY_CONFLICT', operation };
}

export function createSqlProposalStore(db: SqlExecutor): ProposalStore {
  const leases = operationLeases(db, OPERATIONS);
  const operationOrNull = (row: Row | undefined): ProposalOperation | null => (row ? toOperation(row) : null);
  return {
    async createProposal({ proposal, version, event, idempotency }) {
      requireOneProposal(proposal.proposal_id, version, event);
      if (version.version_no !== 1 || event.from_state !== null) throw new Error('A new proposal starts with version 1 and an event from no state.');
      return db.transaction(async (tx): Promise<IdempotentWrite> => {
        if (idempotency) {
          const decided = await claimIdempotencyKey(tx, idempotency, { proposalId: proposal.proposal_id, versionNo: 1, createdAt: proposal.created_at });
          if (decided) return decided;
        }
        const [row] = await tx.query(
          `INSERT INTO proposal_records (proposal_id, portfolio_id, mandate_id, jurisdiction, created_by, created_at, last_event_at, current_state,
             current_version_no, title, advisor_notes, row_version)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10, 1) RETURNING *`,
          [
            proposal.proposal_id,
            proposal.portfolio_id,
            proposal.mandate_id,
            proposal.jurisdiction,
            proposal.created_by,
            isoTimestamp(proposal.created_at),
            isoTimestamp(event.occurred_at),
            event.to_state,
            proposal.title,
            proposal.advisor_notes,
          ],
        );
        if (!row) throw new Error(`Inserting proposal ${proposal.proposal_id} returned no row.`);
        await insertVersion(tx, version);
        await insertEvent(tx, event);
        return { outcome: 'created', proposal: toProposal(row) };
      });
    },

    async createVersion({ expectedRowVersion, version, event, portfolioId, idempotency }) {
      requireOneProposal(event.proposal_id, version);
      return answerOf(
        db.transaction(async (tx): Promise<IdempotentWrite> => {
          if (idempotency) {
            const decided = await claimIdempotencyKey(tx, idempotency, { proposalId: event.proposal_id, versionNo: version.version_no, createdAt: version.created_at });
            if (decided) return decided;
          }
          // The version number must follow the current one, so a version can never be skipped or overwritten.
          const [row] = await tx.query(
            `${ADVANCE}, current_version_no = $6, portfolio_id = COALESCE($7, portfolio_id) ${GUARD} AND current_version_no = $6 - 1 RETURNING *`,
            [...advanceParams(event, expectedRowVersion), version.version_no, portfolioId ?? null],
          );
          if (!row) {
            const failure = await whyNot(tx, event);
            if (failure.outcome === 'version_conflict' && failure.current.row_version === expectedRowVersion) {
              throw new Error(`Version ${version.version_no} does not follow version ${failure.current.current_version_no} of ${event.proposal_id}.`);
            }
            // Throwing rolls back the idempotency claim made above.
            throw new Rollback(failure);
          }
          await insertVersion(tx, version);
          await insertEvent(tx, event);
          return { outcome: 'created', proposal: toProposal(row) };
        }),
      );
    },

    async transition({ expectedRowVersion, event, approval }) {
      requireOneProposal(event.proposal_id, approval);
      return db.transaction(async (tx) => {
        const [row] = await tx.query(`${ADVANCE} ${GUARD} RETURNING *`, advanceParams(event, expectedRowVersion));
        if (!row) return whyNot(tx, event);
        await insertEvent(tx, event);
        if (approval) await insertApproval(tx, approval);
        return { outcome: 'applied' as const, proposal: toProposal(row) };
      });
    },

    async updateProposal({ proposalId, expectedRowVersion, changes }): Promise<UpdateOutcome> {
      const params: SqlValue[] = [proposalId, expectedRowVersion];
      const sets = ['row_version = row_version + 1'];
      for (const column of PROPOSAL_CHANGE_COLUMNS) {
        const value = changes[column];
        if (value === undefined) continue;
        params.push(value);
        sets.push(`${column} = $${params.length}`);
      }
      return db.transaction(async (tx): Promise<UpdateOutcome> => {
        const [row] = await tx.query(`UPDATE proposal_records SET ${sets.join(', ')} WHERE proposal_id = $1 AND row_version = $2 RETURNING *`, params);
        if (row) return { outcome: 'updated', proposal: toProposal(row) };
        const [current] = await tx.query('SELECT * FROM proposal_records WHERE proposal_id = $1', [proposalId]);
        return current ? { outcome: 'version_conflict', code: 'PROPOSAL_VERSION_CONFLICT', current: toProposal(current) } : { outcome: 'not_found' };
      });
    },

    getProposal: (proposalId) => one(db, 'SELECT * FROM proposal_records WHERE proposal_id = $1', [proposalId], toProposal),
    async listProposals(filter) {
      const where = new Where()
        .when(filter.portfolio_id, 'portfolio_id = ?')
        .when(filter.state, 'current_state = ?')
        .when(filter.created_by, 'created_by = ?')
        .when(isoOrUndefined(filter.created_from), 'created_at >= ?')
        .when(isoOrUndefined(filter.created_to), 'created_at <= ?');
      return listPage(db,
        { select: 'SELECT * FROM proposal_records', where, orderTime: 'created_at', orderId: 'proposal_id', direction: 'DESC', cursor: filter.cursor, invalidCursor: INVALID_CURSOR },
        filter.limit,
        toProposal,
        (p) => ({ createdAt: p.created_at, id: p.proposal_id }),
      );
    },
    getVersion: (proposalId, versionNo) =>
      one(db, 'SELECT * FROM proposal_versions WHERE proposal_id = $1 AND version_no = $2', [proposalId, versionNo], toVersion),
    getCurrentVersion: (proposalId) =>
      one(db, 'SELECT * FROM proposal_versions WHERE proposal_id = $1 ORDER BY version_no DESC LIMIT 1', [proposalId], toVersion),
    async getLineage(proposalId) {
      const proposal = await one(db, 'SELECT * FROM proposal_records WHERE proposal_id = $1', [proposalId], toProposal);
      if (!proposal) return null;
      // Versions are immutable and committed with the pointer, so 1..current_version_no of the row
      // just read is a consistent picture even while a new version is being added.
      const rows = await db.query(
        `SELECT proposal_version_id, version_no, created_at, status_at_creation, request_hash, simulation_hash, artifact_hash
         FROM proposal_versions WHERE proposal_id = $1 AND version_no <= $2 ORDER BY version_no`,
        [proposalId, proposal.current_version_no],
      );
      return { proposal, versions: rows.map(toLineage) };
    },
    async listEvents(proposalId) {
      return (await db.query('SELECT * FROM proposal_workflow_events WHERE proposal_id = $1 ORDER BY sequence_no', [proposalId])).map(toEvent);
    },
    async listApprovals(proposalId) {
      return (await db.query('SELECT * FROM proposal_approvals WHERE proposal_id = $1 ORDER BY sequence_no', [proposalId])).map(toApproval);
    },
    recordRefusedAttempt: (attempt) => insertRefusedAttempt(db, REFUSED_ATTEMPTS, attempt),
    listRefusedAttempts: (proposalId) => listRefusedAttempts(db, REFUSED_ATTEMPTS, proposalId),
    getIdempotency: (key) => one(db, 'SELECT * FROM proposal_idempotency WHERE idempotency_key = $1', [key], toIdempotency),

    createOperation: (op, idempotency) =>
      db.transaction(async (tx): Promise<OperationSubmission> => {
        if (idempotency) {
          const decided = await claimOperationKey(tx, idempotency, op);
          if (decided) return decided;
        }
        const [row] = await tx.query(
          `INSERT INTO proposal_async_operations (operation_id, operation_type, status, correlation_id, idempotency_key, proposal_id, created_by,
             created_at, started_at, finished_at, result_json, error_json, request_json, lease_owner, lease_expires_at, attempts)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING *`,
          [
            op.operation_id,
            op.operation_type,
            op.status,
            op.correlation_id,
            op.idempotency_key,
            op.proposal_id,
            op.created_by,
            isoTimestamp(op.created_at),
            isoOrNull(op.started_at),
            isoOrNull(op.finished_at),
            jsonParam(op.result_json),
            jsonParam(op.error_json),
            jsonParam(op.request_json),
            op.lease_owner,
            isoOrNull(op.lease_expires_at),
            op.attempts,
          ],
        );
        if (!row) throw new Error(`Inserting operation ${op.operation_id} returned no row.`);
        return { outcome: 'created', operation: toOperation(row) };
      }),
    getOperation: (operationId) => one(db, 'SELECT * FROM proposal_async_operations WHERE operation_id = $1', [operationId], toOperation),
    getOperationByCorrelation: (correlationId) =>
      one(db, 'SELECT * FROM proposal_async_operations WHERE correlation_id = $1 ORDER BY created_at DESC, operation_id DESC LIMIT 1', [correlationId], toOperation),
    async updateOperation({ operationId, expectedStatus, changes }) {
      const params: SqlValue[] = [operationId, expectedStatus];
      const sets = operationSets(changes, params);
      if (sets.length === 0) return one(db, `SELECT * FROM ${OPERATIONS} WHERE operation_id = $1 AND status = $2`, params, toOperation);
      const [row] = await db.query(`UPDATE ${OPERATIONS} SET ${sets.join(', ')} WHERE operation_id = $1 AND status = $2 RETURNING *`, params);
      return row ? toOperation(row) : null;
    },
    claimRunnable: async (request) => operationOrNull(await leases.claimRunnable(request)),
    countRunnableOperations: (now) => leases.countRunnable(now),
    claimOperation: async (request) => operationOrNull(await leases.claimOperation(request)),
    extendLease: (request) => leases.extendLease(request),
    completeOperation: (operationId, workerId, success) =>
      leases.complete(
        operationId,
        workerId,
        { status: 'SUCCEEDED', finished_at: success.finished_at, result_json: success.result_json, error_json: null },
        { column: 'proposal_id', value: success.proposal_id },
      ),
    failOperation: (operationId, workerId, failure) =>
      leases.complete(operationId, workerId, { status: 'FAILED', finished_at: failure.finished_at, result_json: null, error_json: failure.error_json }),

    recordSimulationResponse: (record) => recordSimulationResponse(db, record),
    getSimulationResponse: (endpoint, key) => getSimulationResponse(db, endpoint, key),

    close: () => db.close(),
  };
}
