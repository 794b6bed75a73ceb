/**
 * Row → record mappers for the proposal store (booleans are 0/1 and counts strings on some engines).
 * States, event and approval types are checked against their closed sets; payloads stay opaque JSON.
 */
import { APPROVAL_TYPES, PROPOSAL_EVENT_TYPES, PROPOSAL_STATES } from '../../domain/workflow/proposal-state-machine.ts';
import type { Row } from '../sql/executor.ts';
import { leasedOperationFields } from '../sql/operation-leases.ts';
import { asJsonObject } from '../../domain/json-object.ts';
import { intOrNull, jsonOrNull, oneOf, text, textOrNull } from '../sql/row-values.ts';
import type { Approval, IdempotencyRecord, ProposalOperation, ProposalRecord, ProposalVersion, VersionInputs, VersionLineage, WorkflowEvent } from './port.ts';


export function toProposal(row: Row): ProposalRecord {
  return {
    proposal_id: text(row['proposal_id']),
    portfolio_id: text(row['portfolio_id']),
    mandate_id: textOrNull(row['mandate_id']),
    jurisdiction: textOrNull(row['jurisdiction']),
    created_by: text(row['created_by']),
    created_at: text(row['created_at']),
    last_event_at: text(row['last_event_at']),
    current_state: oneOf(PROPOSAL_STATES, row['current_state'], 'current_state'),
    current_version_no: Number(row['current_version_no']),
    title: textOrNull(row['title']),
    advisor_notes: textOrNull(row['advisor_notes']),
    row_version: Number(row['row_version']),
  };
}

export function toLineage(row: Row): VersionLineage {
  return {
    proposal_version_id: text(row['proposal_version_id']),
    version_no: Number(row['version_no']),
    created_at: text(row['created_at']),
    status_at_creation: text(row['status_at_creation']),
    request_hash: text(row['request_hash']),
    simulation_hash: text(row['simulation_hash']),
    artifact_hash: text(row['artifact_hash']),
  };
}

export function toVersion(row: Row): ProposalVersion {
  return {
    ...toLineage(row),
    proposal_id: text(row['proposal_id']),
    proposal_result_json: row['proposal_result_json'],
    artifact_json: row['artifact_json'],
    evidence_bundle_json: row['evidence_bundle_json'],
    gate_decision_json: jsonOrNull(row['gate_decision_json']),
    ...versionInputs(row),
  };
}

/** `{ inputs }`, or nothing for a version written without them. */
function versionInputs(row: Row): { inputs?: VersionInputs } {
  if (row['request_canonical'] === null || row['request_canonical'] === undefined) return {};
  return {
    inputs: {
      request_canonical: text(row['request_canonical']),
      correlation_id: text(row['correlation_id']),
      idempotency_key: textOrNull(row['idempotency_key']),
      engine_version: text(row['engine_version']),
    },
  };
}

export function toEvent(row: Row): WorkflowEvent {
  return {
    event_id: text(row['event_id']),
    proposal_id: text(row['proposal_id']),
    event_type: oneOf(PROPOSAL_EVENT_TYPES, row['event_type'], 'event_type'),
    from_state: row['from_state'] === null || row['from_state'] === undefined ? null : oneOf(PROPOSAL_STATES, row['from_state'], 'from_state'),
    to_state: oneOf(PROPOSAL_STATES, row['to_state'], 'to_state'),
    actor_id: text(row['actor_id']),
    occurred_at: text(row['occurred_at']),
    reason_json: asJsonObject(row['reason_json']),
    related_version_no: intOrNull(row['related_version_no']),
  };
}

export function toApproval(row: Row): Approval {
  return {
    approval_id: text(row['approval_id']),
    proposal_id: text(row['proposal_id']),
    approval_type: oneOf(APPROVAL_TYPES, row['approval_type'], 'approval_type'),
    approved: Boolean(row['approved']),
    actor_id: text(row['actor_id']),
    occurred_at: text(row['occurred_at']),
    details_json: asJsonObject(row['details_json']),
    related_version_no: intOrNull(row['related_version_no']),
  };
}

export function toIdempotency(row: Row): IdempotencyRecord {
  return {
    idempotency_key: text(row['idempotency_key']),
    request_hash: text(row['request_hash']),
    proposal_id: text(row['proposal_id']),
    proposal_version_no: Number(row['proposal_version_no']),
    created_at: text(row['created_at']),
  };
}

export function toOperation(row: Row): ProposalOperation {
  return {
    ...leasedOperationFields(row),
    operation_type: text(row['operation_type']) as ProposalOperation['operation_type'],
    idempotency_key: textOrNull(row['idempotency_key']),
    proposal_id: textOrNull(row['proposal_id']),
    created_by: text(row['created_by']),
  };
}
