/**
 * The behaviour every proposal-store backend must show, run unchanged against IN_MEMORY,
 * SQLITE and POSTGRES by proposals.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProposalEventType, ProposalState } from '../../src/domain/workflow/proposal-state-machine.ts';
import { encodeCursor } from '../../src/stores/sql/keyset-cursor.ts';
import type { SqlExecutor } from '../../src/stores/sql/executor.ts';
import type {
  Approval,
  CreateProposalInput,
  ProposalFilter,
  ProposalOperation,
  ProposalStore,
  ProposalVersion,
  SimulationResponseRecord,
  TransitionEvent,
  WorkflowEvent,
} from '../../src/stores/proposals/port.ts';

export interface ProposalStoreHandle {
  readonly store: ProposalStore;
  /** The raw executor, to prove the database itself refuses edits of append-only rows. */
  readonly executor: SqlExecutor;
  /** A store over the same data whose executor fails on the statement matching `pattern`, as a crash between steps would. */
  failingOn(pattern: RegExp): ProposalStore;
  /** Durable backends: close everything and open the same data again (a process restart). */
  readonly reopen?: () => Promise<ProposalStore>;
  close(): Promise<void>;
}

const T0 = Date.parse('2026-04-01T08:00:00.000Z');
const at = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();

const version = (proposalId: string, no: number, createdAt = at(0)): ProposalVersion => ({
  proposal_version_id: `ppv_${proposalId}_${no}`,
  proposal_id: proposalId,
  version_no: no,
  created_at: createdAt,
  request_hash: `sha256:req_${no}`,
  artifact_hash: `sha256:art_${no}`,
  simulation_hash: `sha256:sim_${no}`,
  status_at_creation: 'READY',
  proposal_result_json: { status: 'READY', total: '1000.50' },
  artifact_json: { artifact_id: `pa_${no}` },
  evidence_bundle_json: { inputs: {} },
  gate_decision_json: { gate: 'RISK_REVIEW_REQUIRED' },
});

const created = (proposalId: string, seconds = 0): WorkflowEvent => ({
  event_id: `pwe_${proposalId}_created`,
  proposal_id: proposalId,
  event_type: 'CREATED',
  from_state: null,
  to_state: 'DRAFT',
  actor_id: 'adviser_1',
  occurred_at: at(seconds),
  reason_json: { correlation_id: 'corr_1' },
  related_version_no: 1,
});

const step = (id: string, proposalId: string, type: ProposalEventType, from: ProposalState, to: ProposalState, seconds = 0): TransitionEvent => ({
  event_id: id,
  proposal_id: proposalId,
  event_type: type,
  from_state: from,
  to_state: to,
  actor_id: 'adviser_1',
  occurred_at: at(seconds),
  reason_json: { note: type },
  related_version_no: 1,
});

const createInput = (id: string, overrides: { created_at?: string; portfolio_id?: string; created_by?: string; key?: string; hash?: string } = {}): CreateProposalInput => {
  const createdAt = overrides.created_at ?? at(0);
  return {
    proposal: {
      proposal_id: id,
      portfolio_id: overrides.portfolio_id ?? 'pf_1',
      mandate_id: null,
      jurisdiction: 'SG',
      created_by: overrides.created_by ?? 'adviser_1',
      created_at: createdAt,
      title: 'Rebalance',
      advisor_notes: 'notes',
    },
    version: version(id, 1, createdAt),
    event: { ...created(id), occurred_at: createdAt },
    ...(overrides.key === undefined ? {} : { idempotency: { key: overrides.key, request_hash: overrides.hash ?? 'h' } }),
  };
};

const operation = (id: string, overrides: Partial<ProposalOperation> = {}): ProposalOperation => ({
  operation_id: id,
  operation_type: 'CREATE_PROPOSAL',
  status: 'PENDING',
  correlation_id: 'corr_1',
  idempotency_key: 'k1',
  proposal_id: null,
  created_by: 'adviser_1',
  created_at: at(0),
  started_at: null,
  finished_at: null,
  result_json: null,
  error_json: null,
  request_json: { created_by: 'adviser_1' },
  lease_owner: null,
  lease_expires_at: null,
  attempts: 0,
  ...overrides,
});

export function proposalStoreContract(backend: string, open: () => Promise<ProposalStoreHandle>): void {
  describe(`proposal store contract: ${backend}`, () => {
    let handle: ProposalStoreHandle;
    let store: ProposalStore;

    beforeEach(async () => {
      handle = await open();
      store = handle.store;
    });

    afterEach(async () => {
      await handle.close();
    });

    async function create(id: string, overrides: Parameters<typeof createInput>[1] = {}) {
      const outcome = await store.createProposal(createInput(id, overrides));
      if (outcome.outcome !== 'created') throw new Error(`create ${id}: ${outcome.outcome}`);
      return outcome.proposal;
    }

    describe('create', () => {
      it('writes the proposal, version 1 and its CREATED event together; the row follows the event', async () => {
        const proposal = await create('pp_1', { created_at: at(5) });
        expect(proposal).toEqual({
          proposal_id: 'pp_1',
          portfolio_id: 'pf_1',
          mandate_id: null,
          jurisdiction: 'SG',
          created_by: 'adviser_1',
          created_at: at(5),
          last_event_at: at(5),
          current_state: 'DRAFT',
          current_version_no: 1,
          title: 'Rebalance',
          advisor_notes: 'notes',
          row_version: 1,
        });
        expect(await store.getProposal('pp_1')).toEqual(proposal);
        expect(await store.getVersion('pp_1', 1)).toEqual(version('pp_1', 1, at(5)));
        expect(await store.getCurrentVersion('pp_1')).toEqual(version('pp_1', 1, at(5)));
        expect(await store.listEvents('pp_1')).toEqual([{ ...created('pp_1'), occurred_at: at(5) }]);
        expect(await store.getProposal('pp_none')).toBeNull();
        expect(await store.getVersion('pp_1', 2)).toBeNull();
        expect(await store.getCurrentVersion('pp_none')).toBeNull();
        expect(await store.listEvents('pp_none')).toEqual([]);
      });

      it('a retry with the same idempotency key gets the original proposal; another request hash is a conflict; neither writes', async () => {
        expect((await store.createProposal(createInput('pp_a', { key: 'idem-1', hash: 'h1' }))).outcome).toBe('created');
        const mapping = { idempotency_key: 'idem-1', request_hash: 'h1', proposal_id: 'pp_a', proposal_version_no: 1, created_at: at(0) };
        expect(await store.createProposal(createInput('pp_b', { key: 'idem-1', hash: 'h1' }))).toEqual({
          outcome: 'existing',
          proposal: await store.getProposal('pp_a'),
          idempotency: mapping,
        });
        expect(await store.createProposal(createInput('pp_c', { key: 'idem-1', hash: 'h2' }))).toEqual({
          outcome: 'idempotency_conflict',
          code: 'PROPOSAL_IDEMPOTENCY_KEY_CONFLICT',
          idempotency: mapping,
        });
        expect(await store.getProposal('pp_b')).toBeNull();
        expect(await store.getProposal('pp_c')).toBeNull();
        expect(await store.getIdempotency('idem-1')).toEqual(mapping);
        expect(await store.getIdempotency('idem-none')).toBeNull();
      });

      it('20 parallel creates with one key: one creates, the other 19 get the winner', async () => {
        const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => store.createProposal(createInput(`pp_race_${i}`, { key: 'race', hash: 'same' }))));
        const winners = outcomes.flatMap((o) => (o.outcome === 'created' ? [o.proposal.proposal_id] : []));
        expect(winners).toHaveLength(1);
        const losers = outcomes.flatMap((o) => (o.outcome === 'existing' ? [o.proposal.proposal_id] : []));
        expect(losers).toEqual(Array.from({ length: 19 }, () => winners[0]));
        expect((await store.listProposals({ limit: 50 })).items.map((p) => p.proposal_id)).toEqual(winners);
        expect((await store.getIdempotency('race'))?.proposal_id).toBe(winners[0]);
      });

      it('a create that fails between its steps leaves nothing, not even its idempotency key', async () => {
        await expect(handle.failingOn(/INSERT INTO proposal_workflow_events/).createProposal(createInput('pp_1', { key: 'k' }))).rejects.toThrow('injected failure');
        expect(await store.getProposal('pp_1')).toBeNull();
        expect(await store.getVersion('pp_1', 1)).toBeNull();
        expect(await store.getIdempotency('k')).toBeNull();
        // The key is free for the retry.
        expect((await store.createProposal(createInput('pp_1', { key: 'k' }))).outcome).toBe('created');
      });
    });

    describe('new versions', () => {
      const versionInput = (no: number, expectedRowVersion: number, extra: { key?: string; from?: ProposalState; seconds?: number } = {}) => ({
        expectedRowVersion,
        version: version('pp_1', no, at(extra.seconds ?? 10)),
        event: step(`pwe_v${no}_${expectedRowVersion}`, 'pp_1', 'NEW_VERSION_CREATED', extra.from ?? 'DRAFT', extra.from ?? 'DRAFT', extra.seconds ?? 10),
        ...(extra.key === undefined ? {} : { idempotency: { key: extra.key, request_hash: `h_${extra.key}` } }),
      });

      it('appends version + event and moves the pointer; a stale read, a wrong state or a missing proposal write nothing', async () => {
        await create('pp_1');
        expect(await store.createVersion({ ...versionInput(2, 1, { key: 'v2' }), portfolioId: 'pf_2' })).toMatchObject({
          outcome: 'created',
          proposal: { current_version_no: 2, row_version: 2, last_event_at: at(10), current_state: 'DRAFT', portfolio_id: 'pf_2' },
        });
        expect(await store.createVersion(versionInput(3, 1, { key: 'v3' }))).toMatchObject({ outcome: 'version_conflict', code: 'PROPOSAL_VERSION_CONFLICT', current: { row_version: 2 } });
        expect(await store.createVersion(versionInput(3, 2, { key: 'v3', from: 'RISK_REVIEW' }))).toMatchObject({ outcome: 'state_conflict', code: 'PROPOSAL_STATE_CONFLICT' });
        expect(await store.createVersion({ ...versionInput(2, 1), event: step('e', 'pp_none', 'NEW_VERSION_CREATED', 'DRAFT', 'DRAFT'), version: version('pp_none', 2) })).toEqual({ outcome: 'not_found' });
        // The refused attempts left nothing: no version 3, no event, and their key is still free.
        expect(await store.getVersion('pp_1', 3)).toBeNull();
        expect(await store.getIdempotency('v3')).toBeNull();
        expect((await store.listEvents('pp_1')).map((e) => e.event_id)).toEqual(['pwe_pp_1_created', 'pwe_v2_1']);
        expect(await store.getProposal('pp_1')).toMatchObject({ row_version: 2, current_version_no: 2 });
      });

      it('a retried version with the same key gets the proposal back instead of a duplicate', async () => {
        await create('pp_1');
        await store.createVersion(versionInput(2, 1, { key: 'op_1' }));
        expect(await store.createVersion(versionInput(2, 1, { key: 'op_1' }))).toMatchObject({
          outcome: 'existing',
          proposal: { proposal_id: 'pp_1', current_version_no: 2 },
          idempotency: { idempotency_key: 'op_1', proposal_version_no: 2 },
        });
        expect((await store.getLineage('pp_1'))?.versions.map((v) => v.version_no)).toEqual([1, 2]);
      });

      it('a version number that does not follow the current one is refused, never skipped or overwritten', async () => {
        await create('pp_1');
        await expect(store.createVersion(versionInput(3, 1))).rejects.toThrow(/does not follow/);
        await expect(store.createVersion(versionInput(1, 1))).rejects.toThrow(/does not follow/);
        expect(await store.getVersion('pp_1', 1)).toEqual(version('pp_1', 1));
        expect(await store.getProposal('pp_1')).toMatchObject({ row_version: 1, current_version_no: 1 });
      });

      it('10 parallel versions from one read: exactly one lands', async () => {
        await create('pp_1');
        const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => store.createVersion({ ...versionInput(2, 1), event: step(`pwe_p${i}`, 'pp_1', 'NEW_VERSION_CREATED', 'DRAFT', 'DRAFT', 10) })));
        expect(outcomes.filter((o) => o.outcome === 'created')).toHaveLength(1);
        expect(outcomes.filter((o) => o.outcome === 'version_conflict')).toHaveLength(9);
        expect(await store.listEvents('pp_1')).toHaveLength(2);
      });

      it('a version that fails between its steps leaves nothing', async () => {
        await create('pp_1');
        await expect(handle.failingOn(/INSERT INTO proposal_workflow_events/).createVersion(versionInput(2, 1, { key: 'v2' }))).rejects.toThrow('injected failure');
        expect(await store.getProposal('pp_1')).toMatchObject({ row_version: 1, current_version_no: 1 });
        expect(await store.getVersion('pp_1', 2)).toBeNull();
        expect(await store.getIdempotency('v2')).toBeNull();
      });

      it('lineage is the proposal with every version oldest first, without payloads', async () => {
        await create('pp_1');
        const added = await store.createVersion(versionInput(2, 1, { seconds: 20 }));
        expect(await store.getLineage('pp_1')).toEqual({
          proposal: added.outcome === 'created' ? added.proposal : null,
          versions: [1, 2].map((no) => {
            const { proposal_version_id, version_no, created_at, status_at_creation, request_hash, simulation_hash, artifact_hash } = version('pp_1', no, at(no === 1 ? 0 : 20));
            return { proposal_version_id, version_no, created_at, status_at_creation, request_hash, simulation_hash, artifact_hash };
          }),
        });
        expect(await store.getLineage('pp_none')).toBeNull();
      });
    });

    describe('transitions', () => {
      const riskApproval: Approval = { approval_id: 'pap_1', proposal_id: 'pp_1', approval_type: 'RISK', approved: true, actor_id: 'risk_1', occurred_at: at(20), details_json: { ok: true }, related_version_no: 1 };

      it('change the state with their event (and approval); a stale state or row version, or a missing proposal, write nothing', async () => {
        await create('pp_1');
        expect(await store.transition({ expectedRowVersion: 1, event: step('pwe_2', 'pp_1', 'SUBMITTED_FOR_RISK_REVIEW', 'DRAFT', 'RISK_REVIEW', 10) })).toMatchObject({
          outcome: 'applied',
          proposal: { current_state: 'RISK_REVIEW', row_version: 2, last_event_at: at(10) },
        });
        expect(await store.transition({ expectedRowVersion: 2, event: step('pwe_3', 'pp_1', 'RISK_APPROVED', 'RISK_REVIEW', 'AWAITING_CLIENT_CONSENT', 20), approval: riskApproval })).toMatchObject({
          outcome: 'applied',
          proposal: { current_state: 'AWAITING_CLIENT_CONSENT', row_version: 3 },
        });
        expect(await store.transition({ expectedRowVersion: 3, event: step('pwe_x', 'pp_1', 'CANCELLED', 'DRAFT', 'CANCELLED', 30) })).toMatchObject({
          outcome: 'state_conflict',
          code: 'PROPOSAL_STATE_CONFLICT',
          current: { current_state: 'AWAITING_CLIENT_CONSENT', row_version: 3 },
        });
        expect(await store.transition({ expectedRowVersion: 2, event: step('pwe_y', 'pp_1', 'CANCELLED', 'AWAITING_CLIENT_CONSENT', 'CANCELLED', 30) })).toMatchObject({
          outcome: 'version_conflict',
          code: 'PROPOSAL_VERSION_CONFLICT',
          current: { row_version: 3 },
        });
        expect(await store.transition({ expectedRowVersion: 1, event: step('pwe_z', 'pp_none', 'CANCELLED', 'DRAFT', 'CANCELLED') })).toEqual({ outcome: 'not_found' });
        expect((await store.listEvents('pp_1')).map((e) => e.event_id)).toEqual(['pwe_pp_1_created', 'pwe_2', 'pwe_3']);
        expect(await store.listApprovals('pp_1')).toEqual([riskApproval]);
        expect(await store.getProposal('pp_1')).toMatchObject({ current_state: 'AWAITING_CLIENT_CONSENT', row_version: 3 });
      });

      it('events and approvals come back in the order they were written, even with equal timestamps', async () => {
        await create('pp_1');
        const path: ProposalState[] = ['DRAFT', 'RISK_REVIEW', 'AWAITING_CLIENT_CONSENT', 'EXECUTION_READY', 'EXECUTED'];
        const types: ProposalEventType[] = ['CREATED', 'SUBMITTED_FOR_RISK_REVIEW', 'RISK_APPROVED', 'CLIENT_CONSENT_RECORDED', 'EXECUTED'];
        for (let i = 1; i < path.length; i += 1) {
          const approval: Approval | undefined = i === 2 || i === 3 ? { ...riskApproval, approval_id: `pap_${9 - i}`, approval_type: i === 2 ? 'RISK' : 'CLIENT_CONSENT', occurred_at: at(5) } : undefined;
          await store.transition({ expectedRowVersion: i, event: step(`pwe_${9 - i}`, 'pp_1', types[i] ?? 'CREATED', path[i - 1] ?? 'DRAFT', path[i] ?? 'DRAFT', 5), ...(approval ? { approval } : {}) });
        }
        expect((await store.listEvents('pp_1')).map((e) => e.event_id)).toEqual(['pwe_pp_1_created', 'pwe_8', 'pwe_7', 'pwe_6', 'pwe_5']);
        expect((await store.listApprovals('pp_1')).map((a) => a.approval_id)).toEqual(['pap_7', 'pap_6']);
      });

      it('20 parallel transitions from one read: exactly one wins, 19 get PROPOSAL_STATE_CONFLICT', async () => {
        await create('pp_1');
        const outcomes = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            store.transition({ expectedRowVersion: 1, event: step(`pwe_r${i}`, 'pp_1', i % 2 ? 'CANCELLED' : 'SUBMITTED_FOR_RISK_REVIEW', 'DRAFT', i % 2 ? 'CANCELLED' : 'RISK_REVIEW', 1) }),
          ),
        );
        const applied = outcomes.flatMap((o) => (o.outcome === 'applied' ? [o.proposal] : []));
        expect(applied).toHaveLength(1);
        expect(outcomes.filter((o) => o.outcome === 'state_conflict' && o.code === 'PROPOSAL_STATE_CONFLICT')).toHaveLength(19);
        const events = await store.listEvents('pp_1');
        expect(events).toHaveLength(2);
        expect(await store.getProposal('pp_1')).toEqual(applied[0]);
        expect(events[1]?.to_state).toBe(applied[0]?.current_state);
      });

      it.each([
        ['its event', /INSERT INTO proposal_workflow_events/],
        ['its approval', /INSERT INTO proposal_approvals/],
      ])('a transition that fails on %s, after the state UPDATE, leaves nothing written', async (_step, pattern) => {
        await create('pp_1');
        const approval: Approval = { ...riskApproval, approval_type: 'COMPLIANCE', occurred_at: at(5) };
        await expect(
          handle.failingOn(pattern).transition({ expectedRowVersion: 1, event: step('pwe_2', 'pp_1', 'SUBMITTED_FOR_COMPLIANCE_REVIEW', 'DRAFT', 'COMPLIANCE_REVIEW', 5), approval }),
        ).rejects.toThrow('injected failure');
        expect(await store.getProposal('pp_1')).toMatchObject({ current_state: 'DRAFT', row_version: 1, last_event_at: at(0) });
        expect(await store.listEvents('pp_1')).toHaveLength(1);
        expect(await store.listApprovals('pp_1')).toEqual([]);
      });
    });

    describe('descriptive updates', () => {
      it('change only the given fields and bump the row version; a stale read or a missing proposal write nothing', async () => {
        await create('pp_1');
        expect(await store.updateProposal({ proposalId: 'pp_1', expectedRowVersion: 1, changes: { title: 'Renamed', advisor_notes: null } })).toEqual({
          outcome: 'updated',
          proposal: { ...(await create('pp_2')), proposal_id: 'pp_1', title: 'Renamed', advisor_notes: null, row_version: 2 },
        });
        expect(await store.updateProposal({ proposalId: 'pp_1', expectedRowVersion: 1, changes: { title: 'Lost' } })).toMatchObject({
          outcome: 'version_conflict',
          code: 'PROPOSAL_VERSION_CONFLICT',
          current: { title: 'Renamed', row_version: 2 },
        });
        expect(await store.updateProposal({ proposalId: 'pp_none', expectedRowVersion: 1, changes: { title: 'x' } })).toEqual({ outcome: 'not_found' });
        expect(await store.getProposal('pp_1')).toMatchObject({ title: 'Renamed', advisor_notes: null, jurisdiction: 'SG', current_state: 'DRAFT', row_version: 2 });
        // A transition read before the update is refused: the proposal changed since.
        expect(await store.transition({ expectedRowVersion: 1, event: step('pwe_2', 'pp_1', 'CANCELLED', 'DRAFT', 'CANCELLED') })).toMatchObject({ outcome: 'version_conflict' });
      });

      it('10 parallel updates from one read: exactly one lands, no lost update', async () => {
        await create('pp_1');
        const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => store.updateProposal({ proposalId: 'pp_1', expectedRowVersion: 1, changes: { title: `t${i}` } })));
        const winners = outcomes.flatMap((o) => (o.outcome === 'updated' ? [o.proposal] : []));
        expect(winners).toHaveLength(1);
        expect(outcomes.filter((o) => o.outcome === 'version_conflict')).toHaveLength(9);
        expect(await store.getProposal('pp_1')).toEqual(winners[0]);
      });
    });

    it('keeps the inputs of a version, the request text byte for byte; a version written without them has none', async () => {
      const inputs = { request_canonical: '{"options":{"enable_proposal_simulation":true},"z":"\\u00e9"}', correlation_id: 'corr_in', idempotency_key: null, engine_version: '0.1.0+abc' };
      await create('pp_old');
      expect(await store.getVersion('pp_old', 1)).toEqual(version('pp_old', 1));
      const proposal = await create('pp_in');
      const write = await store.createVersion({
        expectedRowVersion: proposal.row_version,
        version: { ...version('pp_in', 2, at(1)), inputs },
        event: { ...step('pwe_in_2', 'pp_in', 'NEW_VERSION_CREATED', 'DRAFT', 'DRAFT', 1), related_version_no: 2 },
      });
      expect(write.outcome).toBe('created');
      expect(await store.getVersion('pp_in', 2)).toEqual({ ...version('pp_in', 2, at(1)), inputs });
    });

    it('versions, events and approvals are append-only in the database itself', async () => {
      await create('pp_1');
      await store.transition({ expectedRowVersion: 1, event: step('pwe_2', 'pp_1', 'SUBMITTED_FOR_RISK_REVIEW', 'DRAFT', 'RISK_REVIEW'), approval: { approval_id: 'pap_1', proposal_id: 'pp_1', approval_type: 'RISK', approved: false, actor_id: 'r', occurred_at: at(1), details_json: {}, related_version_no: 1 } });
      for (const sql of [
        "UPDATE proposal_versions SET status_at_creation = 'BLOCKED'",
        'DELETE FROM proposal_versions',
        "UPDATE proposal_workflow_events SET actor_id = 'someone else'",
        'DELETE FROM proposal_workflow_events',
        'UPDATE proposal_approvals SET approved = true',
        'DELETE FROM proposal_approvals',
        // PostgreSQL also has TRUNCATE, which bypasses row triggers; SQLite has no such statement.
        ...(handle.executor.dialect === 'postgres' ? ['TRUNCATE proposal_versions, proposal_workflow_events, proposal_approvals'] : []),
      ]) {
        await expect(handle.executor.execute(sql), sql).rejects.toThrow(/PROPOSAL_RECORD_IMMUTABLE/);
      }
      expect(await store.getVersion('pp_1', 1)).toEqual(version('pp_1', 1));
      expect(await store.listEvents('pp_1')).toHaveLength(2);
      expect((await store.listApprovals('pp_1'))[0]?.approved).toBe(false);
    });

    it('refused attempts: kept per proposal oldest first, append-only in the database, only for a proposal that exists', async () => {
      await create('pp_1');
      await create('pp_2');
      const attempt = (id: string, seconds: number, proposalId = 'pp_1') => ({
        attempt_id: id,
        entity_id: proposalId,
        action: 'APPROVAL:RISK',
        actor_id: 'adviser_1',
        reason_code: 'SEGREGATION_OF_DUTIES_VIOLATION',
        attempted_at: at(seconds),
        correlation_id: `corr_${id}`,
        details_json: { authors: ['adviser_1'], related_version_no: 1 },
      });
      await store.recordRefusedAttempt(attempt('rfa_2', 2));
      await store.recordRefusedAttempt(attempt('rfa_1', 1));
      await store.recordRefusedAttempt(attempt('rfa_x', 1, 'pp_2'));
      expect(await store.listRefusedAttempts('pp_1')).toEqual([attempt('rfa_1', 1), attempt('rfa_2', 2)]);
      expect(await store.listRefusedAttempts('pp_missing')).toEqual([]);
      await expect(store.recordRefusedAttempt(attempt('rfa_orphan', 3, 'pp_missing'))).rejects.toThrow();
      for (const sql of [
        "UPDATE proposal_refused_attempts SET actor_id = 'someone else'",
        'DELETE FROM proposal_refused_attempts',
        ...(handle.executor.dialect === 'postgres' ? ['TRUNCATE proposal_refused_attempts'] : []),
      ]) {
        await expect(handle.executor.execute(sql), sql).rejects.toThrow(/PROPOSAL_RECORD_IMMUTABLE/);
      }
      expect(await store.listRefusedAttempts('pp_1')).toHaveLength(2);
    });

    it('the database refuses states and event types outside the vocabulary, and the whole transition with them', async () => {
      await create('pp_1');
      // What the types forbid, sent anyway: the database is the last line.
      await expect(store.transition({ expectedRowVersion: 1, event: step('pwe_2', 'pp_1', 'CANCELLED', 'DRAFT', 'LIMBO' as ProposalState) })).rejects.toThrow();
      await expect(store.transition({ expectedRowVersion: 1, event: step('pwe_2', 'pp_1', 'TELEPORTED' as ProposalEventType, 'DRAFT', 'CANCELLED') })).rejects.toThrow();
      expect(await store.getProposal('pp_1')).toMatchObject({ current_state: 'DRAFT', row_version: 1 });
      expect(await store.listEvents('pp_1')).toHaveLength(1);
    });

    describe('listing', () => {
      beforeEach(async () => {
        // pp_0..pp_2 share one created_at, so pages must break the tie by id.
        for (let i = 0; i < 5; i += 1) {
          await create(`pp_${i}`, { created_at: at(i < 3 ? 100 : 200 + i), portfolio_id: i % 2 ? 'pf_odd' : 'pf_even', created_by: i < 2 ? 'a' : 'b' });
        }
        await store.transition({ expectedRowVersion: 1, event: step('t', 'pp_4', 'SUBMITTED_FOR_RISK_REVIEW', 'DRAFT', 'RISK_REVIEW') });
      });
      const ids = async (filter: Omit<ProposalFilter, 'limit'>) => (await store.listProposals({ limit: 10, ...filter })).items.map((p) => p.proposal_id);

      it('pages newest first across ties in created_at, without gaps or repeats', async () => {
        const pages: string[][] = [];
        let cursor: string | undefined;
        do {
          const page = await store.listProposals({ limit: 2, cursor });
          pages.push(page.items.map((p) => p.proposal_id));
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        expect(pages).toEqual([['pp_4', 'pp_3'], ['pp_2', 'pp_1'], ['pp_0']]);
        expect((await store.listProposals({ limit: 5 })).nextCursor).toBeNull();
      });

      it('filters by portfolio, state, creator and an inclusive created_at range, alone and combined', async () => {
        expect(await ids({ portfolio_id: 'pf_odd' })).toEqual(['pp_3', 'pp_1']);
        expect(await ids({ state: 'RISK_REVIEW' })).toEqual(['pp_4']);
        expect(await ids({ state: 'DRAFT', created_by: 'b' })).toEqual(['pp_3', 'pp_2']);
        expect(await ids({ created_by: 'a' })).toEqual(['pp_1', 'pp_0']);
        expect(await ids({ created_from: at(100), created_to: at(203) })).toEqual(['pp_3', 'pp_2', 'pp_1', 'pp_0']);
        expect(await ids({ created_from: at(101), created_to: at(204) })).toEqual(['pp_4', 'pp_3']);
        expect(await ids({ created_from: '2026-04-01T16:01:43+08:00' })).toEqual(['pp_4', 'pp_3']);
        expect(await ids({ portfolio_id: 'pf_even', created_by: 'b', created_to: at(100) })).toEqual(['pp_2']);
        expect(await ids({ portfolio_id: 'pf_none' })).toEqual([]);
        const filtered = await store.listProposals({ limit: 1, portfolio_id: 'pf_even' });
        expect(await ids({ portfolio_id: 'pf_even', cursor: filtered.nextCursor ?? undefined })).toEqual(['pp_2', 'pp_0']);
      });

      it('refuses a cursor it did not issue, or one that was edited', async () => {
        const issued = (await store.listProposals({ limit: 1 })).nextCursor ?? '';
        const [payload] = issued.split('.');
        const edited = `${encodeCursor({ createdAt: at(100), id: 'pp_9' }).split('.')[0] ?? ''}.${issued.split('.')[1] ?? ''}`;
        for (const cursor of ['pp_1', `${payload ?? ''}.x`, edited]) {
          await expect(store.listProposals({ limit: 2, cursor }), cursor).rejects.toMatchObject({ code: 'PROPOSAL_INVALID_CURSOR' });
        }
      });
    });

    describe('simulate/artifact responses', () => {
      // Keys deliberately out of alphabetical order, nested, with decimal text: replayed verbatim.
      const response = (n: number) => ({ proposal_run_id: `pr_${n}`, status: 'READY', before: { total_value: { amount: '1000.50', currency: 'USD' } }, amount: '0.10' });
      const record = (overrides: Partial<SimulationResponseRecord> = {}): SimulationResponseRecord => ({
        endpoint: 'SIMULATE',
        idempotency_key: 'sim-1',
        request_hash: 'sha256:h1',
        response_json: response(1),
        created_at: at(0),
        ...overrides,
      });
      const storedRows = async () => Number((await handle.executor.query('SELECT COUNT(*) AS n FROM proposal_simulation_idempotency'))[0]?.['n']);

      it('the first response is recorded; the same request replays it; another request is a conflict; neither writes', async () => {
        const first = await store.recordSimulationResponse(record());
        expect(first).toEqual({ outcome: 'recorded', record: record() });
        expect(JSON.stringify(first.record.response_json)).toBe(JSON.stringify(response(1)));

        const retry = await store.recordSimulationResponse(record({ response_json: response(2), created_at: at(9) }));
        expect(retry).toEqual({ outcome: 'replayed', record: record() });
        expect(JSON.stringify(retry.record.response_json)).toBe(JSON.stringify(response(1)));

        expect(await store.recordSimulationResponse(record({ request_hash: 'sha256:h2', response_json: response(3) }))).toEqual({ outcome: 'conflict', record: record() });
        expect(await store.getSimulationResponse('SIMULATE', 'sim-1')).toEqual(record());
        expect(await storedRows()).toBe(1);
      });

      it('a key is scoped to its endpoint', async () => {
        await store.recordSimulationResponse(record());
        const artifact = record({ endpoint: 'ARTIFACT', request_hash: 'sha256:other', response_json: { artifact_id: 'pa_1' } });
        expect(await store.recordSimulationResponse(artifact)).toEqual({ outcome: 'recorded', record: artifact });
        expect(await store.getSimulationResponse('ARTIFACT', 'sim-1')).toEqual(artifact);
        expect(await store.getSimulationResponse('SIMULATE', 'sim-none')).toBeNull();
        expect(await storedRows()).toBe(2);
      });

      it('20 concurrent calls with one key: one response is stored and every caller gets it', async () => {
        const outcomes = await Promise.all(
          Array.from({ length: 20 }, (_, i) => store.recordSimulationResponse(record({ idempotency_key: 'race', response_json: response(i) }))),
        );
        expect(outcomes.filter((o) => o.outcome === 'recorded')).toHaveLength(1);
        expect(outcomes.filter((o) => o.outcome === 'replayed')).toHaveLength(19);
        const winner = await store.getSimulationResponse('SIMULATE', 'race');
        expect(outcomes.map((o) => o.record)).toEqual(Array.from({ length: 20 }, () => winner));
        expect(await storedRows()).toBe(1);
      });
    });

    describe('async operations', () => {
      it('are stored as given, found by id and by correlation id (the latest wins)', async () => {
        await store.createOperation(operation('pop_1'));
        await store.createOperation(operation('pop_2', { created_at: at(5), operation_type: 'CREATE_PROPOSAL_VERSION', proposal_id: 'pp_1', idempotency_key: null }));
        expect(await store.getOperation('pop_1')).toEqual(operation('pop_1'));
        expect(await store.getOperationByCorrelation('corr_1')).toEqual(operation('pop_2', { created_at: at(5), operation_type: 'CREATE_PROPOSAL_VERSION', proposal_id: 'pp_1', idempotency_key: null }));
        expect(await store.getOperation('pop_none')).toBeNull();
        expect(await store.getOperationByCorrelation('corr_none')).toBeNull();
      });

      describe('submitted with an idempotency key', () => {
        const operationRows = async () => Number((await handle.executor.query('SELECT COUNT(*) AS n FROM proposal_async_operations'))[0]?.['n']);
        const claim = (request_hash = 'sha256:req_1') => ({ key: 'async-1', request_hash });

        it('a new key stores the operation; the same key with the same request returns it, with another request is a conflict; neither writes', async () => {
          expect(await store.createOperation(operation('pop_1', { idempotency_key: 'async-1' }), claim())).toEqual({
            outcome: 'created',
            operation: operation('pop_1', { idempotency_key: 'async-1' }),
          });
          const stored = operation('pop_1', { idempotency_key: 'async-1' });
          expect(await store.createOperation(operation('pop_2', { idempotency_key: 'async-1', created_at: at(9), correlation_id: 'corr_2' }), claim())).toEqual({
            outcome: 'existing',
            operation: stored,
          });
          expect(await store.createOperation(operation('pop_3', { idempotency_key: 'async-1' }), claim('sha256:other'))).toEqual({
            outcome: 'idempotency_conflict',
            code: 'PROPOSAL_IDEMPOTENCY_KEY_CONFLICT',
            operation: stored,
          });
          expect(await store.getOperation('pop_2')).toBeNull();
          expect(await operationRows()).toBe(1);
          // Without a key every submission is its own operation.
          expect((await store.createOperation(operation('pop_4', { idempotency_key: null }))).outcome).toBe('created');
          expect(await operationRows()).toBe(2);
        });

        it('24 concurrent submissions with one key store exactly one operation, and every caller receives it', async () => {
          const outcomes = await Promise.all(
            Array.from({ length: 24 }, (_, i) => store.createOperation(operation(`pop_race_${i}`, { idempotency_key: 'async-1', correlation_id: `corr_${i}` }), claim())),
          );
          expect(outcomes.filter((o) => o.outcome === 'created')).toHaveLength(1);
          expect(outcomes.filter((o) => o.outcome === 'existing')).toHaveLength(23);
          const winner = outcomes.find((o) => o.outcome === 'created')?.operation;
          expect(outcomes.map((o) => o.operation)).toEqual(Array.from({ length: 24 }, () => winner));
          expect(await operationRows()).toBe(1);
        });
      });

      it('one of 8 concurrent worker-loop claimers gets an operation; only the lease holder completes it', async () => {
        await store.createOperation(operation('pop_1'));
        const claims = await Promise.all(Array.from({ length: 8 }, (_, i) => store.claimRunnable({ workerId: `w${i}`, now: at(1), leaseMs: 30_000 })));
        const winners = claims.filter((c) => c !== null);
        expect(winners).toHaveLength(1);
        expect(winners[0]).toMatchObject({ operation_id: 'pop_1', status: 'RUNNING', started_at: at(1), lease_expires_at: at(31) });
        const owner = winners[0]?.lease_owner ?? '';
        const done = { finished_at: at(2), result_json: { ok: true }, proposal_id: 'pp_9' };
        expect(await store.completeOperation('pop_1', 'someone-else', done)).toBe(false);
        expect(await store.completeOperation('pop_1', owner, done)).toBe(true);
        expect(await store.completeOperation('pop_1', owner, done)).toBe(false);
        expect(await store.failOperation('pop_1', owner, { finished_at: at(3), error_json: { code: 'X' } })).toBe(false);
        expect(await store.getOperation('pop_1')).toMatchObject({ status: 'SUCCEEDED', proposal_id: 'pp_9', result_json: { ok: true }, error_json: null, finished_at: at(2), lease_owner: null, lease_expires_at: null });
        expect(await store.claimRunnable({ workerId: 'w9', now: at(3), leaseMs: 30_000 })).toBeNull();
      });

      it('concurrent workers over several operations each get a different one, oldest first', async () => {
        for (let i = 0; i < 3; i += 1) await store.createOperation(operation(`pop_${i}`, { created_at: at(i), correlation_id: `corr_${i}` }));
        const claims = await Promise.all(Array.from({ length: 6 }, (_, i) => store.claimRunnable({ workerId: `w${i}`, now: at(10), leaseMs: 1000 })));
        expect(claims.flatMap((c) => (c ? [c.operation_id] : [])).sort()).toEqual(['pop_0', 'pop_1', 'pop_2']);
        expect(claims.filter((c) => c === null)).toHaveLength(3);
      });

      it("an operation whose worker died is resumed by another once the lease expires; the dead worker's result is refused", async () => {
        await store.createOperation(operation('pop_1'));
        expect(await store.claimOperation({ operationId: 'pop_1', workerId: 'crashed', now: at(1), leaseMs: 30_000 })).toMatchObject({ lease_owner: 'crashed', lease_expires_at: at(31) });
        expect(await store.claimOperation({ operationId: 'pop_1', workerId: 'w2', now: at(2), leaseMs: 30_000 })).toBeNull();
        expect(await store.claimRunnable({ workerId: 'w2', now: at(30), leaseMs: 30_000 })).toBeNull();
        expect(await store.claimRunnable({ workerId: 'w2', now: at(32), leaseMs: 30_000 })).toMatchObject({ operation_id: 'pop_1', lease_owner: 'w2', started_at: at(1), lease_expires_at: at(62) });
        expect(await store.extendLease({ operationId: 'pop_1', workerId: 'crashed', now: at(33), leaseMs: 30_000 })).toBe(false);
        expect(await store.extendLease({ operationId: 'pop_1', workerId: 'w2', now: at(50), leaseMs: 30_000 })).toBe(true);
        expect(await store.getOperation('pop_1')).toMatchObject({ lease_expires_at: at(80) });
        // The heartbeat keeps it: no take-over at t=70.
        expect(await store.claimRunnable({ workerId: 'w3', now: at(70), leaseMs: 30_000 })).toBeNull();
        const failed = { finished_at: at(75), error_json: { code: 'X', message: 'm' } };
        expect(await store.failOperation('pop_1', 'crashed', failed)).toBe(false);
        expect(await store.completeOperation('pop_1', 'crashed', { finished_at: at(75), result_json: {}, proposal_id: 'pp_x' })).toBe(false);
        expect(await store.failOperation('pop_1', 'w2', failed)).toBe(true);
        expect(await store.getOperation('pop_1')).toMatchObject({ status: 'FAILED', error_json: { code: 'X', message: 'm' }, result_json: null, proposal_id: null, lease_owner: null });
        expect(await store.extendLease({ operationId: 'pop_1', workerId: 'w2', now: at(76), leaseMs: 30_000 })).toBe(false);
      });

      it('counts what a claim could take: PENDING ones and RUNNING ones whose lease lapsed, never those without a request or finished', async () => {
        expect(await store.countRunnableOperations(at(0))).toEqual({ pending: 0, leaseExpired: 0 });
        for (const id of ['pop_a', 'pop_b', 'pop_c']) await store.createOperation(operation(id, { idempotency_key: null, correlation_id: `corr_${id}` }));
        await store.createOperation(operation('pop_none', { idempotency_key: null, request_json: null }));
        await store.claimOperation({ operationId: 'pop_b', workerId: 'w_dead', now: at(10), leaseMs: 30_000 });
        await store.claimOperation({ operationId: 'pop_c', workerId: 'w', now: at(10), leaseMs: 30_000 });
        await store.failOperation('pop_c', 'w', { finished_at: at(11), error_json: { code: 'X' } });
        expect(await store.countRunnableOperations(at(39))).toEqual({ pending: 1, leaseExpired: 0 });
        expect(await store.countRunnableOperations(at(41))).toEqual({ pending: 1, leaseExpired: 1 });
      });

      it('an operation without its request payload is never claimed', async () => {
        await store.createOperation(operation('pop_1', { request_json: null }));
        expect(await store.claimRunnable({ workerId: 'w', now: at(1), leaseMs: 30_000 })).toBeNull();
        expect(await store.claimOperation({ operationId: 'pop_1', workerId: 'w', now: at(1), leaseMs: 30_000 })).toBeNull();
        expect(await store.claimOperation({ operationId: 'pop_none', workerId: 'w', now: at(1), leaseMs: 30_000 })).toBeNull();
      });

      it('updates compare-and-set on the status; leaving RUNNING drops the lease', async () => {
        await store.createOperation(operation('pop_1'));
        expect(await store.updateOperation({ operationId: 'pop_1', expectedStatus: 'PENDING', changes: { status: 'RUNNING', started_at: at(1) } })).toMatchObject({
          status: 'RUNNING',
          started_at: at(1),
        });
        expect(await store.updateOperation({ operationId: 'pop_1', expectedStatus: 'PENDING', changes: { status: 'FAILED' } })).toBeNull();
        expect(await store.updateOperation({ operationId: 'pop_none', expectedStatus: 'PENDING', changes: { status: 'FAILED' } })).toBeNull();
        const done = await store.updateOperation({
          operationId: 'pop_1',
          expectedStatus: 'RUNNING',
          changes: { status: 'SUCCEEDED', finished_at: at(2), proposal_id: 'pp_1', result_json: { proposal: { id: 'pp_1' } } },
        });
        expect(done).toEqual({ ...operation('pop_1'), status: 'SUCCEEDED', started_at: at(1), finished_at: at(2), proposal_id: 'pp_1', result_json: { proposal: { id: 'pp_1' } } });
        expect(await store.getOperation('pop_1')).toEqual(done);
        expect(await store.updateOperation({ operationId: 'pop_1', expectedStatus: 'SUCCEEDED', changes: {} })).toEqual(done);
      });
    });

    it('keeps everything across a restart (durable backends), or starts empty (IN_MEMORY)', async () => {
      await create('pp_keep');
      await store.transition({ expectedRowVersion: 1, event: step('pwe_2', 'pp_keep', 'CANCELLED', 'DRAFT', 'CANCELLED') });
      if (handle.reopen) {
        store = await handle.reopen();
        expect(await store.getProposal('pp_keep')).toMatchObject({ current_state: 'CANCELLED', row_version: 2 });
        expect(await store.listEvents('pp_keep')).toHaveLength(2);
        expect(await store.getVersion('pp_keep', 1)).toEqual(version('pp_keep', 1));
      } else {
        expect(backend).toBe('IN_MEMORY');
        const fresh = await open();
        expect(await fresh.store.getProposal('pp_keep')).toBeNull();
        await fresh.close();
      }
    });
  });
}
