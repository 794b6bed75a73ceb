/**
 * The inserts every proposal write is made of, run inside the caller's transaction. Versions,
 * events and approvals are only ever inserted (triggers refuse UPDATE and DELETE on them).
 */
import type { SqlQueryable } from '../sql/executor.ts';
import { isoTimestamp } from '../sql/where.ts';
import type { Approval, IdempotencyClaim, IdempotentWrite, ProposalVersion, WorkflowEvent } from './port.ts';
import { toIdempotency, toProposal } from './rows.ts';
import { jsonParam } from '../sql/queries.ts';


export async function insertVersion(tx: SqlQueryable, v: ProposalVersion): Promise<void> {
  await tx.execute(
    `INSERT INTO proposal_versions (proposal_version_id, proposal_id, version_no, created_at, request_hash, artifact_hash, simulation_hash,
       status_at_creation, proposal_result_json, artifact_json, evidence_bundle_json, gate_decision_json,
       request_canonical, correlation_id, idempotency_key, engine_version)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
    [
      v.proposal_version_id,
      v.proposal_id,
      v.version_no,
      isoTimestamp(v.created_at),
      v.request_hash,
      v.artifact_hash,
      v.simulation_hash,
      v.status_at_creation,
      jsonParam(v.proposal_result_json),
      jsonParam(v.artifact_json),
      jsonParam(v.evidence_bundle_json ?? {}),
      jsonParam(v.gate_decision_json),
      v.inputs?.request_canonical ?? null,
      v.inputs?.correlation_id ?? null,
      v.inputs?.idempotency_key ?? null,
      v.inputs?.engine_version ?? null,
    ],
  );
}

/**
 * Events and approvals are numbered per proposal. The writer holds the proposal row (it has
 * just inserted or compare-and-set it), so `MAX + 1` cannot race, and reading back by number
 * gives the order they were written even when their timestamps are equal.
 */
export async function insertEvent(tx: SqlQueryable, e: WorkflowEvent): Promise<void> {
  await tx.execute(
    `INSERT INTO proposal_workflow_events (event_id, proposal_id, event_type, from_state, to_state, actor_id, occurred_at, reason_json, related_version_no, sequence_no)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, (SELECT COALESCE(MAX(sequence_no), 0) + 1 FROM proposal_workflow_events WHERE proposal_id = $2))`,
    [e.event_id, e.proposal_id, e.event_type, e.from_state, e.to_state, e.actor_id, isoTimestamp(e.occurred_at), jsonParam(e.reason_json ?? {}), e.related_version_no],
  );
}

export async function insertApproval(tx: SqlQueryable, a: Approval): Promise<void> {
  await tx.execute(
    `INSERT INTO proposal_approvals (approval_id, proposal_id, approval_type, approved, actor_id, occurred_at, details_json, related_version_no, sequence_no)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, (SELECT COALESCE(MAX(sequence_no), 0) + 1 FROM proposal_approvals WHERE proposal_id = $2))`,
    [a.approval_id, a.proposal_id, a.approval_type, a.approved, a.actor_id, isoTimestamp(a.occurred_at), jsonParam(a.details_json ?? {}), a.related_version_no],
  );
}

export interface KeyTarget {
  readonly proposalId: string;
  readonly versionNo: number;
  readonly createdAt: string;
}

/**
 * Claims an idempotency key for the write about to happen (`INSERT … ON CONFLICT DO NOTHING`:
 * a concurrent claimer of the same key waits here for the winner's commit). Undefined: claimed,
 * go on. Otherwise the answer for a retry or a reuse of the key, with the winner's proposal.
 */
export async function claimIdempotencyKey(
  tx: SqlQueryable,
  claim: IdempotencyClaim,
  target: KeyTarget,
): Promise<Exclude<IdempotentWrite, { outcome: 'created' }> | undefined> {
  const claimed = await tx.query(
    `INSERT INTO proposal_idempotency (idempotency_key, request_hash, proposal_id, proposal_version_no, created_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (idempotency_key) DO NOTHING RETURNING idempotency_key`,
    [claim.key, claim.request_hash, target.proposalId, target.versionNo, isoTimestamp(target.createdAt)],
  );
  if (claimed.length > 0) return undefined;
  const [row] = await tx.query('SELECT * FROM proposal_idempotency WHERE idempotency_key = $1', [claim.key]);
  // Keys are never deleted, so a key that refused the insert is there to read.
  if (!row) throw new Error(`Idempotency key ${claim.key} refused the insert but cannot be read.`);
  const idempotency = toIdempotency(row);
  if (idempotency.request_hash !== claim.request_hash) return { outcome: 'idempotency_conflict', code: 'PROPOSAL_IDEMPOTENCY_KEY_CONFLICT', idempotency };
  // The key's foreign key guarantees its proposal exists (no dangling referent, unlike the reference).
  const [proposal] = await tx.query('SELECT * FROM proposal_records WHERE proposal_id = $1', [idempotency.proposal_id]);
  if (!proposal) throw new Error(`Idempotency key ${claim.key} points at a missing proposal.`);
  return { outcome: 'existing', proposal: toProposal(proposal), idempotency };
}
