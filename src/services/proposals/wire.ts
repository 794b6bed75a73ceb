/** Store records → the lifecycle API's wire shapes (docs/advisory.md#routes). */
import type { Static } from '@sinclair/typebox';
import type { Approval, ProposalOperation, ProposalRecord, ProposalVersion, WorkflowEvent as WorkflowEventRecord } from '../../stores/proposals/port.ts';
import { asJsonObject } from '../../domain/json-object.ts';
import { leaseFields } from '../operations/worker.ts';
import type { AcceptedResponseSchema, ApprovalRecord, CreateResponse, OperationStatusSchema, Summary, TransitionResponseSchema, VersionDetail, WorkflowEvent } from './wire-schemas.ts';

export type ProposalSummaryView = Static<typeof Summary>;
export type VersionDetailView = Static<typeof VersionDetail>;
export type WorkflowEventView = Static<typeof WorkflowEvent>;
export type ApprovalView = Static<typeof ApprovalRecord>;
export type OperationStatusView = Static<typeof OperationStatusSchema>;
export type CreateResponseView = Static<typeof CreateResponse>;
export type TransitionResponseView = Static<typeof TransitionResponseSchema>;
export type AcceptedView = Static<typeof AcceptedResponseSchema>;

/**
 * A document this service wrote (a proposal result, an operation's outcome) and the store kept as
 * opaque JSON, read back as the type it was written as.
 */
const asWritten = <T>(stored: unknown): T => stored as T;

/** `advisor_notes` is stored but never returned; `row_version` is the store's own token. */
export function proposalSummary(p: ProposalRecord): ProposalSummaryView {
  return {
    proposal_id: p.proposal_id,
    portfolio_id: p.portfolio_id,
    mandate_id: p.mandate_id,
    jurisdiction: p.jurisdiction,
    created_by: p.created_by,
    created_at: p.created_at,
    last_event_at: p.last_event_at,
    current_state: p.current_state,
    current_version_no: p.current_version_no,
    title: p.title,
  };
}

/**
 * The artifact without its evidence bundle's inputs and engine outputs (its hashes stay, so the
 * artifact still names what it sealed). Used when evidence is hidden or not stored: the reference
 * blanked `evidence_bundle` but kept the full copy inside `artifact`.
 */
export function artifactWithoutEvidence(artifact: unknown): unknown {
  if (artifact === null || typeof artifact !== 'object') return artifact;
  const { evidence_bundle: bundle, ...rest } = artifact as Record<string, unknown>;
  const hashes = bundle !== null && typeof bundle === 'object' ? (bundle as Record<string, unknown>)['hashes'] : undefined;
  return { ...rest, evidence_bundle: hashes === undefined ? {} : { hashes } };
}

export function versionDetail(v: ProposalVersion, includeEvidence: boolean): VersionDetailView {
  return {
    proposal_version_id: v.proposal_version_id,
    proposal_id: v.proposal_id,
    version_no: v.version_no,
    created_at: v.created_at,
    request_hash: v.request_hash,
    artifact_hash: v.artifact_hash,
    simulation_hash: v.simulation_hash,
    status_at_creation: v.status_at_creation,
    proposal_result: asWritten<VersionDetailView['proposal_result']>(v.proposal_result_json),
    artifact: asJsonObject(includeEvidence ? v.artifact_json : artifactWithoutEvidence(v.artifact_json)),
    evidence_bundle: includeEvidence ? asJsonObject(v.evidence_bundle_json) : {},
    gate_decision: v.gate_decision_json === null || v.gate_decision_json === undefined ? null : asJsonObject(v.gate_decision_json),
  };
}

export function workflowEvent(e: WorkflowEventRecord): WorkflowEventView {
  return {
    event_id: e.event_id,
    proposal_id: e.proposal_id,
    event_type: e.event_type,
    from_state: e.from_state,
    to_state: e.to_state,
    actor_id: e.actor_id,
    occurred_at: e.occurred_at,
    reason: e.reason_json ?? {},
    related_version_no: e.related_version_no,
  };
}

export function approvalRecord(a: Approval): ApprovalView {
  return {
    approval_id: a.approval_id,
    proposal_id: a.proposal_id,
    approval_type: a.approval_type,
    approved: a.approved,
    actor_id: a.actor_id,
    occurred_at: a.occurred_at,
    details: a.details_json ?? {},
    related_version_no: a.related_version_no,
  };
}

export function operationStatus(op: ProposalOperation): OperationStatusView {
  return {
    operation_id: op.operation_id,
    operation_type: op.operation_type,
    status: op.status,
    correlation_id: op.correlation_id,
    idempotency_key: op.idempotency_key,
    proposal_id: op.proposal_id,
    created_by: op.created_by,
    created_at: op.created_at,
    started_at: op.started_at,
    finished_at: op.finished_at,
    ...leaseFields(op),
    result: asWritten<OperationStatusView['result']>(op.result_json ?? null),
    error: asWritten<OperationStatusView['error']>(op.error_json ?? null),
  };
}

export const statusUrl = (operationId: string): string => `/rebalance/proposals/operations/${operationId}`;
