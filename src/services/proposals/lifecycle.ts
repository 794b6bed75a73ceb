/**
 * Advisory proposal lifecycle writes (docs/advisory.md#lifecycle): create, new version, transition,
 * approval. The workflow rules come from `domain/workflow/proposal-state-machine.ts`; every write
 * is one store transaction that compare-and-sets the state and row version this service read, so a
 * concurrent change makes it a 409 with nothing written (never a lost update), and an
 * Idempotency-Key is claimed in the same transaction as the rows it points at (a retry, even one
 * racing the original on another replica, replays instead of duplicating).
 *
 * A replay answers the current proposal summary with the version and event that the original
 * request created (the reference answered the latest event; docs/advisory.md#idempotency).
 *
 * Who acts (docs/security.md): with authentication, a transition or approval needs the
 * permission of that particular move (known once the proposal's state is read), records the
 * verified subject as its actor, and a RISK or COMPLIANCE approval by the proposal's creator or
 * the author of its current version is refused (four-eyes) and recorded as a refused attempt.
 * A new version between that check and the write changes the row version, so the write fails
 * with a conflict: the check cannot be raced.
 */
import {
  decideApproval,
  decideNewVersion,
  decideTransition,
  gateBlocks,
  INITIAL_STATE,
  type ApprovalType,
  type ImpliedApproval,
  type ProposalEventType,
} from '../../domain/workflow/proposal-state-machine.ts';
import type {
  Approval,
  GuardFailure,
  IdempotencyRecord,
  IdempotentWrite,
  ProposalRecord,
  ProposalStore,
  TransitionEvent,
  WorkflowEvent,
} from '../../stores/proposals/port.ts';
import { ReasonError } from '../../config/reason-codes.ts';
import { APPROVAL_PERMISSION, needsSecondPerson, transitionPermission } from '../../domain/access/decisions.ts';
import { recordedActor, refuseOwnApproval, requirePermission, type ActingContext } from '../access.ts';
import { INLINE_ENGINE, type Engine } from '../engine/engine-pool.ts';
import { UNKNOWN_ENGINE_VERSION } from '../engine/version.ts';
import {
  buildVersion,
  checkSimulationFlag,
  createRequestHash,
  metadataOf,
  newId,
  simulateRequestOf,
  versionRequestHash,
  type CreateProposalBody,
  type CreateVersionBody,
} from './records.ts';
import { approvalRecord, proposalSummary, versionDetail, workflowEvent, type CreateResponseView, type TransitionResponseView } from './wire.ts';

/** Behaviour switches (PROPOSAL_* settings), fixed for the life of the process. */
export interface LifecycleConfig {
  readonly storeEvidenceBundle: boolean;
  readonly requireExpectedState: boolean;
  readonly allowPortfolioChangeOnNewVersion: boolean;
  readonly requireSimulationFlag: boolean;
}

export interface TransitionBody {
  readonly event_type: ProposalEventType;
  readonly actor_id: string;
  readonly related_version_no?: number | null;
  readonly reason?: Record<string, unknown>;
  readonly expected_state?: string | null;
}

export interface ApprovalBody {
  readonly approval_type: ApprovalType;
  readonly approved: boolean;
  readonly actor_id: string;
  readonly related_version_no?: number | null;
  readonly details?: Record<string, unknown>;
  readonly expected_state?: string | null;
}

export interface WriteResult<Response = CreateResponseView> {
  /** The same key answered an earlier identical request. */
  readonly replayed: boolean;
  readonly response: Response;
}

export interface CreateCommand {
  readonly body: CreateProposalBody;
  readonly idempotencyKey: string;
  readonly correlationId: string;
}

export interface VersionCommand {
  readonly proposalId: string;
  readonly body: CreateVersionBody;
  readonly idempotencyKey?: string | undefined;
  readonly correlationId: string;
}

export interface ProposalLifecycleService {
  create(command: CreateCommand): Promise<WriteResult>;
  createVersion(command: VersionCommand): Promise<WriteResult>;
  transition(proposalId: string, body: TransitionBody, context: ActingContext): Promise<TransitionResponseView>;
  approve(proposalId: string, body: ApprovalBody, context: ActingContext): Promise<TransitionResponseView>;
}

export interface LifecycleDeps {
  readonly store: ProposalStore;
  readonly config: LifecycleConfig;
  readonly now?: () => Date;
  /** Where the engine runs (the app's worker pool). */
  readonly engine?: Engine;
  /** The build simulating versions, recorded with each (app: version + commit). */
  readonly engineVersion?: string;
  /** Hears every workflow event written, with the approval written with it (metrics). */
  readonly onRecorded?: (event: WorkflowEvent, approval?: Approval) => void;
}

/** The same Idempotency-Key came with another request (409); nothing was written. */
export const idempotencyKeyConflict = (): ReasonError =>
  new ReasonError('IDEMPOTENCY_KEY_CONFLICT', 'This Idempotency-Key was already used with a different request; nothing was written.');

function guardRefusal(failure: GuardFailure): Error {
  if (failure.outcome === 'not_found') return new ReasonError('PROPOSAL_NOT_FOUND', 'The proposal does not exist.');
  if (failure.outcome === 'state_conflict') {
    return new ReasonError('STATE_CONFLICT', `Another change moved the proposal to ${failure.current.current_state} first; nothing was written.`);
  }
  return new ReasonError('PROPOSAL_VERSION_CONFLICT', 'The proposal changed since it was read (e.g. a new version); nothing was written — re-read and retry.');
}

export function createProposalLifecycleService(deps: LifecycleDeps): ProposalLifecycleService {
  const { store, config } = deps;
  const now = deps.now ?? (() => new Date());
  const engine = deps.engine ?? INLINE_ENGINE;
  const engineVersion = deps.engineVersion ?? UNKNOWN_ENGINE_VERSION;

  async function existing(proposalId: string): Promise<ProposalRecord> {
    const proposal = await store.getProposal(proposalId);
    if (!proposal) throw new ReasonError('PROPOSAL_NOT_FOUND', 'The proposal does not exist.');
    return proposal;
  }

  /** The original answer of a write an idempotency key points at. */
  async function replay(proposal: ProposalRecord, idempotency: IdempotencyRecord): Promise<WriteResult> {
    const no = idempotency.proposal_version_no;
    const [version, events] = await Promise.all([store.getVersion(proposal.proposal_id, no), store.listEvents(proposal.proposal_id)]);
    // Keys, versions and events are written together and never deleted, so both are there.
    const event = events.find((e) => (e.event_type === 'CREATED' && no === 1) || (e.event_type === 'NEW_VERSION_CREATED' && e.related_version_no === no));
    if (!version || !event) throw new Error(`Idempotency key ${idempotency.idempotency_key} points at a missing version ${no} of ${proposal.proposal_id}.`);
    return { replayed: true, response: { proposal: proposalSummary(proposal), version: versionDetail(version, true), latest_workflow_event: workflowEvent(event) } };
  }

  async function answer(write: IdempotentWrite | GuardFailure, event: WorkflowEvent, created: () => CreateResponseView): Promise<WriteResult> {
    switch (write.outcome) {
      case 'created':
        deps.onRecorded?.(event);
        return { replayed: false, response: created() };
      case 'existing':
        return replay(write.proposal, write.idempotency);
      case 'idempotency_conflict':
        throw idempotencyKeyConflict();
      default:
        throw guardRefusal(write);
    }
  }

  /** A replay or conflict known before simulating (the store re-checks atomically when writing). */
  async function earlyAnswer(key: string | undefined, requestHash: string): Promise<WriteResult | undefined> {
    if (key === undefined) return undefined;
    const known = await store.getIdempotency(key);
    if (!known) return undefined;
    if (known.request_hash !== requestHash) throw idempotencyKeyConflict();
    return replay(await existing(known.proposal_id), known);
  }

  function checkExpectedState(proposal: ProposalRecord, expected: string | null | undefined): void {
    if (expected === null || expected === undefined) {
      if (config.requireExpectedState) {
        throw new ReasonError('STATE_CONFLICT', 'expected_state is required (PROPOSAL_REQUIRE_EXPECTED_STATE).', { detail: 'STATE_CONFLICT: expected_state is required' });
      }
      return;
    }
    if (expected !== proposal.current_state) throw new ReasonError('STATE_CONFLICT', `expected_state is ${expected}, but the proposal is ${proposal.current_state}.`);
  }

  /** The version an event or approval refers to: the given one if the proposal has it, else the current one. */
  function relatedVersion(proposal: ProposalRecord, given: number | null | undefined): number {
    if (given === null || given === undefined) return proposal.current_version_no;
    if (given < 1 || given > proposal.current_version_no) {
      throw new ReasonError('PROPOSAL_RELATED_VERSION_INVALID', `related_version_no ${given} is not a version of this proposal (1..${proposal.current_version_no}).`);
    }
    return given;
  }

  /** The proposal's creator and the author of its current version: who may not approve it. */
  async function authorsOf(proposal: ProposalRecord): Promise<string[]> {
    const authored = (await store.listEvents(proposal.proposal_id)).filter(
      (e) => (e.event_type === 'CREATED' || e.event_type === 'NEW_VERSION_CREATED') && e.related_version_no === proposal.current_version_no,
    );
    return [proposal.created_by, ...authored.map((e) => e.actor_id)];
  }

  /** Four-eyes on a decision about `proposal` (checked only when a verified subject decides). */
  async function checkFourEyes(proposal: ProposalRecord, decision: ImpliedApproval, action: string, relatedVersionNo: number, context: ActingContext): Promise<void> {
    if (context.actor.subject === null || !needsSecondPerson(decision)) return;
    await refuseOwnApproval({
      context,
      authors: await authorsOf(proposal),
      entityId: proposal.proposal_id,
      action,
      details: { approval_type: decision.approval_type, related_version_no: relatedVersionNo, current_version_no: proposal.current_version_no },
      now,
      record: (attempt) => store.recordRefusedAttempt(attempt),
    });
  }

  async function applyMove(proposal: ProposalRecord, event: TransitionEvent, approval: Approval | undefined): Promise<TransitionResponseView> {
    const outcome = await store.transition({ expectedRowVersion: proposal.row_version, event, ...(approval ? { approval } : {}) });
    if (outcome.outcome !== 'applied') throw guardRefusal(outcome);
    deps.onRecorded?.(event, approval);
    return {
      proposal_id: proposal.proposal_id,
      current_state: outcome.proposal.current_state,
      latest_workflow_event: workflowEvent(event),
      approval: approval ? approvalRecord(approval) : null,
    };
  }

  return {
    async create({ body, idempotencyKey, correlationId }) {
      const request = simulateRequestOf(body);
      const requestHash = createRequestHash(body, request);
      const early = await earlyAnswer(idempotencyKey, requestHash);
      if (early) return early;
      checkSimulationFlag(request, config.requireSimulationFlag);
      const createdAt = now().toISOString();
      const proposalId = newId('pp');
      const version = await buildVersion(
        { proposalId, versionNo: 1, request, requestHash, correlationId, idempotencyKey, createdAt, storeEvidence: config.storeEvidenceBundle, engineVersion },
        engine,
      );
      const metadata = metadataOf(body);
      const event: WorkflowEvent = {
        event_id: newId('pwe'),
        proposal_id: proposalId,
        event_type: 'CREATED',
        from_state: null,
        to_state: INITIAL_STATE,
        actor_id: body.created_by,
        occurred_at: createdAt,
        reason_json: { correlation_id: correlationId },
        related_version_no: 1,
      };
      const write = await store.createProposal({
        proposal: {
          proposal_id: proposalId,
          portfolio_id: request.portfolio_snapshot.portfolio_id,
          mandate_id: metadata.mandate_id,
          jurisdiction: metadata.jurisdiction,
          created_by: body.created_by,
          created_at: createdAt,
          title: metadata.title,
          advisor_notes: metadata.advisor_notes,
        },
        version,
        event,
        idempotency: { key: idempotencyKey, request_hash: requestHash },
      });
      return answer(write, event, () => ({
        proposal: proposalSummary((write as { proposal: ProposalRecord }).proposal),
        version: versionDetail(version, true),
        latest_workflow_event: workflowEvent(event),
      }));
    },

    async createVersion({ proposalId, body, idempotencyKey, correlationId }) {
      const proposal = await existing(proposalId);
      const request = simulateRequestOf(body);
      const requestHash = versionRequestHash(proposalId, body, request);
      const early = await earlyAnswer(idempotencyKey, requestHash);
      if (early) return early;
      const next = decideNewVersion(proposal.current_state);
      if (!next.ok) throw new ReasonError(next.code, `The proposal is ${proposal.current_state}; a terminal proposal takes no new version.`);
      checkSimulationFlag(request, config.requireSimulationFlag);
      const portfolioId = request.portfolio_snapshot.portfolio_id;
      const portfolioChanged = portfolioId !== proposal.portfolio_id;
      if (portfolioChanged && !config.allowPortfolioChangeOnNewVersion) {
        throw new ReasonError('PORTFOLIO_CONTEXT_MISMATCH', `The proposal is for ${proposal.portfolio_id}, the request for ${portfolioId}.`);
      }
      const createdAt = now().toISOString();
      const versionNo = proposal.current_version_no + 1;
      const version = await buildVersion(
        { proposalId, versionNo, request, requestHash, correlationId, idempotencyKey: null, createdAt, storeEvidence: config.storeEvidenceBundle, engineVersion },
        engine,
      );
      const event: TransitionEvent = {
        event_id: newId('pwe'),
        proposal_id: proposalId,
        event_type: 'NEW_VERSION_CREATED',
        from_state: proposal.current_state,
        to_state: next.to,
        actor_id: body.created_by,
        occurred_at: createdAt,
        reason_json: { correlation_id: correlationId },
        related_version_no: versionNo,
      };
      const write = await store.createVersion({
        expectedRowVersion: proposal.row_version,
        version,
        event,
        ...(portfolioChanged ? { portfolioId } : {}),
        ...(idempotencyKey === undefined ? {} : { idempotency: { key: idempotencyKey, request_hash: requestHash } }),
      });
      return answer(write, event, () => ({
        proposal: proposalSummary((write as { proposal: ProposalRecord }).proposal),
        version: versionDetail(version, true),
        latest_workflow_event: workflowEvent(event),
      }));
    },

    async transition(proposalId, body, context) {
      const proposal = await existing(proposalId);
      requirePermission(context.actor, transitionPermission(proposal.current_state, body.event_type));
      checkExpectedState(proposal, body.expected_state);
      const current = await store.getVersion(proposalId, proposal.current_version_no);
      const blocked = current !== null && gateBlocks(current.gate_decision_json, current.status_at_creation);
      const decision = decideTransition(proposal.current_state, body.event_type, blocked);
      if (!decision.ok) {
        throw new ReasonError(
          decision.code,
          decision.code === 'PROPOSAL_GATE_BLOCKED'
            ? `Version ${proposal.current_version_no} is BLOCKED and cannot be executed.`
            : `${body.event_type} is not allowed from ${proposal.current_state}.`,
        );
      }
      const relatedVersionNo = relatedVersion(proposal, body.related_version_no);
      if (decision.approval) await checkFourEyes(proposal, decision.approval, `TRANSITION:${body.event_type}`, relatedVersionNo, context);
      const actorId = recordedActor(context.actor, body.actor_id);
      const occurredAt = now().toISOString();
      const event: TransitionEvent = {
        event_id: newId('pwe'),
        proposal_id: proposalId,
        event_type: body.event_type,
        from_state: proposal.current_state,
        to_state: decision.to,
        actor_id: actorId,
        occurred_at: occurredAt,
        reason_json: body.reason ?? {},
        related_version_no: relatedVersionNo,
      };
      const approval: Approval | undefined = decision.approval
        ? {
            approval_id: newId('pap'),
            proposal_id: proposalId,
            ...decision.approval,
            actor_id: actorId,
            occurred_at: occurredAt,
            details_json: body.reason ?? {},
            related_version_no: relatedVersionNo,
          }
        : undefined;
      return applyMove(proposal, event, approval);
    },

    async approve(proposalId, body, context) {
      const proposal = await existing(proposalId);
      requirePermission(context.actor, APPROVAL_PERMISSION[body.approval_type]);
      checkExpectedState(proposal, body.expected_state);
      const decision = decideApproval(proposal.current_state, body.approval_type, body.approved);
      if (!decision.ok) {
        throw new ReasonError(decision.code, `A ${body.approval_type} decision is not due in ${proposal.current_state}.`);
      }
      const relatedVersionNo = relatedVersion(proposal, body.related_version_no);
      const approved = { approval_type: body.approval_type, approved: body.approved };
      await checkFourEyes(proposal, approved, `APPROVAL:${body.approval_type}`, relatedVersionNo, context);
      const actorId = recordedActor(context.actor, body.actor_id);
      const occurredAt = now().toISOString();
      const details = body.details ?? {};
      const event: TransitionEvent = {
        event_id: newId('pwe'),
        proposal_id: proposalId,
        event_type: decision.event,
        from_state: proposal.current_state,
        to_state: decision.to,
        actor_id: actorId,
        occurred_at: occurredAt,
        reason_json: details,
        related_version_no: relatedVersionNo,
      };
      const approval: Approval = {
        approval_id: newId('pap'),
        proposal_id: proposalId,
        approval_type: body.approval_type,
        approved: body.approved,
        actor_id: actorId,
        occurred_at: occurredAt,
        details_json: details,
        related_version_no: relatedVersionNo,
      };
      return applyMove(proposal, event, approval);
    },
  };
}
