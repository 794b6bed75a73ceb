/**
 * The behaviour every proposal-store backend must show, run unchanged against IN_MEMORY,
 * SQLITE and POSTGRES by proposals.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SqlExecutor } from '../../src/stores/sql/executor.ts';
import type { Approval, ProposalStore, ProposalVersion, WorkflowEvent } from '../../src/stores/proposals/port.ts';

export interface ProposalStoreHandle {
  readonly store: ProposalStore;
  /** The raw executor, to prove the database itself refuses edits of append-only rows. */
  readonly executor: SqlExecutor;
  /** A store over the same data whose executor fails on the statement matching `pattern`. */
  failingOn(pattern: RegExp): ProposalStore;
  readonly reopen?: () => Promise<ProposalStore>;
  close(): Promise<void>;
}

const T0 = Date.parse('2026-04-01T08:00:00.000Z');
const at = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();

const proposalRow = (id: string, overrides: Record<string, unknown> = {}) => ({
  proposal_id: id,
  portfolio_id: 'pf_1',
  mandate_id: null,
  jurisdiction: 'SG',
  created_by: 'adviser_1',
  created_at: at(0),
  last_event_at: at(0),
  current_state: 'DRAFT',
  current_version_no: 1,
  title: 'Rebalance',
  advisor_notes: 'notes',
  ...overrides,
});

const version = (id: string, no: number, createdAt = at(0)): ProposalVersion => ({
  proposal_version_id: `ppv_${id}_${no}`,
  proposal_id: id,
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

const event = (id: string, proposalId: string, type: string, from: string | null, to: string, seconds = 0): WorkflowEvent => ({
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

    async function create(id: string, overrides: Record<string, unknown> = {}) {
      const outcome = await store.createProposal({
        proposal: proposalRow(id, overrides),
        version: version(id, 1, String(overrides['created_at'] ?? at(0))),
        event: event(`pwe_${id}_1`, id, 'CREATED', null, 'DRAFT'),
      });
      if (outcome.outcome !== 'created') throw new Error(`create ${id}: ${outcome.outcome}`);
      return outcome.proposal;
    }

    it('creates a proposal with version 1 and its CREATED event, atomically', async () => {
      const proposal = await create('pp_1');
      expect(proposal).toEqual({ ...proposalRow('pp_1'), row_version: 1 });
      expect(await store.getProposal('pp_1')).toEqual(proposal);
      expect(await store.getVersion('pp_1', 1)).toEqual(version('pp_1', 1));
      expect(await store.getCurrentVersion('pp_1')).toEqual(version('pp_1', 1));
      expect(await store.listEvents('pp_1')).toEqual([event('pwe_pp_1_1', 'pp_1', 'CREATED', null, 'DRAFT')]);
      expect(await store.getProposal('pp_none')).toBeNull();
      expect(await store.getVersion('pp_1', 9)).toBeNull();
      expect(await store.listEvents('pp_none')).toEqual([]);
    });

    it('a create retried with the same idempotency key returns the original; another body conflicts', async () => {
      const input = (id: string, hash: string) => ({
        proposal: proposalRow(id),
        version: version(id, 1),
        event: event(`pwe_${id}`, id, 'CREATED', null, 'DRAFT'),
        idempotency: { key: 'idem-1', request_hash: hash },
      });
      expect((await store.createProposal(input('pp_a', 'h1'))).outcome).toBe('created');
      expect(await store.createProposal(input('pp_b', 'h1'))).toEqual({
        outcome: 'existing',
        idempotency: { idempotency_key: 'idem-1', request_hash: 'h1', proposal_id: 'pp_a', proposal_version_no: 1, created_at: at(0) },
      });
      expect((await store.createProposal(input('pp_c', 'h2'))).outcome).toBe('idempotency_conflict');
      expect(await store.getProposal('pp_b')).toBeNull();
      expect(await store.getProposal('pp_c')).toBeNull();
      expect((await store.getIdempotency('idem-1'))?.proposal_id).toBe('pp_a');
    });

    it('20 parallel creates with one idempotency key create exactly one proposal', async () => {
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.createProposal({
            proposal: proposalRow(`pp_race_${i}`),
            version: version(`pp_race_${i}`, 1),
            event: event(`pwe_race_${i}`, `pp_race_${i}`, 'CREATED', null, 'DRAFT'),
            idempotency: { key: 'race', request_hash: 'same' },
          }),
        ),
      );
      expect(outcomes.filter((o) => o.outcome === 'created')).toHaveLength(1);
      const winner = (await store.getIdempotency('race'))?.proposal_id;
      for (const o of outcomes) if (o.outcome === 'existing') expect(o.idempotency.proposal_id).toBe(winner);
      expect((await store.listProposals({ limit: 50 })).items.map((p) => p.proposal_id)).toEqual([winner]);
    });

    it('a new version moves the proposal on, with optimistic concurrency and idempotency', async () => {
      const proposal = await create('pp_1');
      const next = await store.createVersion({
        proposalId: 'pp_1',
        expectedRowVersion: proposal.row_version,
        version: version('pp_1', 2, at(10)),
        event: event('pwe_v2', 'pp_1', 'NEW_VERSION_CREATED', 'DRAFT', 'DRAFT', 10),
        newState: 'DRAFT',
        idempotency: { key: 'v2', request_hash: 'hv2' },
      });
      expect(next).toMatchObject({ outcome: 'created', proposal: { current_version_no: 2, row_version: 2, last_event_at: at(10) } });
      const stale = await store.createVersion({
        proposalId: 'pp_1',
        expectedRowVersion: 1,
        version: version('pp_1', 3, at(11)),
        event: event('pwe_v3', 'pp_1', 'NEW_VERSION_CREATED', 'DRAFT', 'DRAFT', 11),
        newState: 'DRAFT',
        idempotency: { key: 'v3', request_hash: 'hv3' },
      });
      expect(stale).toMatchObject({ outcome: 'version_conflict', current: { row_version: 2 } });
      // The failed attempt left nothing: no version 3, no event, and its key is still free.
      expect(await store.getVersion('pp_1', 3)).toBeNull();
      expect(await store.getIdempotency('v3')).toBeNull();
      expect((await store.listEvents('pp_1')).map((e) => e.event_id)).toEqual(['pwe_pp_1_1', 'pwe_v2']);
      expect(await store.createVersion({ proposalId: 'pp_1', expectedRowVersion: 2, version: version('pp_1', 2), event: event('x', 'pp_1', 'NEW_VERSION_CREATED', 'DRAFT', 'DRAFT'), newState: 'DRAFT', idempotency: { key: 'v2', request_hash: 'hv2' } })).toMatchObject({ outcome: 'existing' });
      expect(await store.createVersion({ proposalId: 'pp_nope', expectedRowVersion: 1, version: version('pp_nope', 2), event: event('y', 'pp_nope', 'NEW_VERSION_CREATED', 'DRAFT', 'DRAFT'), newState: 'DRAFT' })).toEqual({ outcome: 'not_found' });
      expect((await store.listVersions('pp_1')).map((v) => v.version_no)).toEqual([1, 2]);
      expect((await store.getCurrentVersion('pp_1'))?.version_no).toBe(2);
    });

    it('a transition changes state, appends its event and approval, and refuses a stale expected state', async () => {
      await create('pp_1');
      const approval: Approval = { approval_id: 'pap_1', proposal_id: 'pp_1', approval_type: 'RISK', approved: true, actor_id: 'risk_1', occurred_at: at(20), details_json: { ok: true }, related_version_no: 1 };
      expect(await store.transition({ proposalId: 'pp_1', expectedState: 'DRAFT', newState: 'RISK_REVIEW', event: event('pwe_2', 'pp_1', 'SUBMITTED_FOR_RISK_REVIEW', 'DRAFT', 'RISK_REVIEW', 10) })).toMatchObject({
        outcome: 'applied',
        proposal: { current_state: 'RISK_REVIEW', row_version: 2 },
      });
      expect(await store.transition({ proposalId: 'pp_1', expectedState: 'RISK_REVIEW', newState: 'AWAITING_CLIENT_CONSENT', event: event('pwe_3', 'pp_1', 'RISK_APPROVED', 'RISK_REVIEW', 'AWAITING_CLIENT_CONSENT', 20), approval })).toMatchObject({ outcome: 'applied' });
      expect(await store.transition({ proposalId: 'pp_1', expectedState: 'DRAFT', newState: 'CANCELLED', event: event('pwe_x', 'pp_1', 'CANCELLED', 'DRAFT', 'CANCELLED', 30) })).toMatchObject({
        outcome: 'state_conflict',
        current: { current_state: 'AWAITING_CLIENT_CONSENT' },
      });
      expect(await store.transition({ proposalId: 'pp_1', expectedState: 'AWAITING_CLIENT_CONSENT', expectedRowVersion: 1, newState: 'CANCELLED', event: event('pwe_y', 'pp_1', 'CANCELLED', 'AWAITING_CLIENT_CONSENT', 'CANCELLED', 30) })).toMatchObject({ outcome: 'version_conflict' });
      expect(await store.transition({ proposalId: 'pp_none', expectedState: 'DRAFT', newState: 'CANCELLED', event: event('pwe_z', 'pp_none', 'CANCELLED', 'DRAFT', 'CANCELLED') })).toEqual({ outcome: 'not_found' });
      expect((await store.listEvents('pp_1')).map((e) => e.event_type)).toEqual(['CREATED', 'SUBMITTED_FOR_RISK_REVIEW', 'RISK_APPROVED']);
      expect(await store.listApprovals('pp_1')).toEqual([approval]);
    });

    it('events keep the order they happened in, even with equal timestamps', async () => {
      await create('pp_1');
      const states = ['RISK_REVIEW', 'AWAITING_CLIENT_CONSENT', 'EXECUTION_READY', 'EXECUTED'];
      let from = 'DRAFT';
      for (const [i, to] of states.entries()) {
        await store.transition({ proposalId: 'pp_1', expectedState: from, newState: to, event: event(`pwe_${9 - i}`, 'pp_1', `E${i}`, from, to, 5) });
        from = to;
      }
      expect((await store.listEvents('pp_1')).map((e) => e.event_id)).toEqual(['pwe_pp_1_1', 'pwe_9', 'pwe_8', 'pwe_7', 'pwe_6']);
    });

    it('20 parallel transitions from one state: exactly one wins, the rest get the conflict', async () => {
      await create('pp_1');
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.transition({ proposalId: 'pp_1', expectedState: 'DRAFT', newState: 'RISK_REVIEW', event: event(`pwe_r${i}`, 'pp_1', 'SUBMITTED_FOR_RISK_REVIEW', 'DRAFT', 'RISK_REVIEW', 1) }),
        ),
      );
      expect(outcomes.filter((o) => o.outcome === 'applied')).toHaveLength(1);
      expect(outcomes.filter((o) => o.outcome === 'state_conflict')).toHaveLength(19);
      expect(await store.listEvents('pp_1')).toHaveLength(2);
    });

    it('a transition that fails between its steps leaves nothing written', async () => {
      await create('pp_1');
      const broken = handle.failingOn(/INSERT INTO proposal_approvals/);
      const approval: Approval = { approval_id: 'pap_1', proposal_id: 'pp_1', approval_type: 'COMPLIANCE', approved: true, actor_id: 'c', occurred_at: at(5), details_json: {}, related_version_no: 1 };
      await expect(
        broken.transition({ proposalId: 'pp_1', expectedState: 'DRAFT', newState: 'COMPLIANCE_REVIEW', event: event('pwe_2', 'pp_1', 'SUBMITTED_FOR_COMPLIANCE_REVIEW', 'DRAFT', 'COMPLIANCE_REVIEW', 5), approval }),
      ).rejects.toThrow('injected failure');
      expect(await store.getProposal('pp_1')).toMatchObject({ current_state: 'DRAFT', row_version: 1 });
      expect(await store.listEvents('pp_1')).toHaveLength(1);
      expect(await store.listApprovals('pp_1')).toEqual([]);
    });

    it('a create that fails between its steps leaves nothing written, not even its idempotency key', async () => {
      const broken = handle.failingOn(/INSERT INTO proposal_workflow_events/);
      await expect(
        broken.createProposal({ proposal: proposalRow('pp_1'), version: version('pp_1', 1), event: event('e', 'pp_1', 'CREATED', null, 'DRAFT'), idempotency: { key: 'k', request_hash: 'h' } }),
      ).rejects.toThrow('injected failure');
      expect(await store.getProposal('pp_1')).toBeNull();
      expect(await store.getVersion('pp_1', 1)).toBeNull();
      expect(await store.getIdempotency('k')).toBeNull();
    });

    it('versions, events and approvals are append-only in the database itself', async () => {
      await create('pp_1');
      for (const sql of [
        "UPDATE proposal_versions SET status_at_creation = 'BLOCKED'",
        'DELETE FROM proposal_versions',
        "UPDATE proposal_workflow_events SET actor_id = 'someone else'",
        'DELETE FROM proposal_workflow_events',
      ]) {
        await expect(handle.executor.execute(sql)).rejects.toThrow(/PROPOSAL_RECORD_IMMUTABLE/);
      }
      expect(await store.getVersion('pp_1', 1)).toEqual(version('pp_1', 1));
    });

    it('lists newest first with filters and cursor paging across ties; refuses a foreign cursor', async () => {
      for (let i = 0; i < 5; i += 1) {
        await create(`pp_${i}`, { created_at: at(i < 3 ? 100 : 200 + i), portfolio_id: i % 2 ? 'pf_odd' : 'pf_even', created_by: i < 2 ? 'a' : 'b' });
      }
      await store.transition({ proposalId: 'pp_4', expectedState: 'DRAFT', newState: 'RISK_REVIEW', event: event('t', 'pp_4', 'SUBMITTED_FOR_RISK_REVIEW', 'DRAFT', 'RISK_REVIEW') });
      const pages: string[][] = [];
      let cursor: string | undefined;
      do {
        const page = await store.listProposals({ limit: 2, cursor });
        pages.push(page.items.map((p) => p.proposal_id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(pages).toEqual([['pp_4', 'pp_3'], ['pp_2', 'pp_1'], ['pp_0']]);
      const ids = async (f: Omit<Parameters<ProposalStore['listProposals']>[0], 'limit'>) => (await store.listProposals({ limit: 10, ...f })).items.map((p) => p.proposal_id);
      expect(await ids({ portfolio_id: 'pf_odd' })).toEqual(['pp_3', 'pp_1']);
      expect(await ids({ state: 'RISK_REVIEW' })).toEqual(['pp_4']);
      expect(await ids({ created_by: 'a' })).toEqual(['pp_1', 'pp_0']);
      expect(await ids({ created_from: at(150), created_to: at(203) })).toEqual(['pp_3']);
      await expect(store.listProposals({ limit: 2, cursor: 'pp_1' })).rejects.toMatchObject({ code: 'PROPOSAL_INVALID_CURSOR' });
    });

    it('async operations: create, look up by id and correlation, claim once, complete by the lease holder', async () => {
      const op = {
        operation_id: 'pop_1',
        operation_type: 'CREATE_PROPOSAL' as const,
        status: 'PENDING' as const,
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
      };
      await store.createOperation(op);
      expect(await store.getOperation('pop_1')).toEqual(op);
      expect((await store.getOperationByCorrelation('corr_1'))?.operation_id).toBe('pop_1');
      const claims = await Promise.all(Array.from({ length: 8 }, (_, i) => store.claimOperation({ workerId: `w${i}`, now: at(1), leaseUntil: at(31) })));
      const winners = claims.filter((c) => c !== null);
      expect(winners).toHaveLength(1);
      const owner = winners[0]?.lease_owner ?? '';
      expect(await store.completeOperation('pop_1', 'someone-else', { status: 'SUCCEEDED', finished_at: at(2), result_json: {}, error_json: null, proposal_id: 'pp_9' })).toBe(false);
      expect(await store.completeOperation('pop_1', owner, { status: 'SUCCEEDED', finished_at: at(2), result_json: { ok: true }, error_json: null, proposal_id: 'pp_9' })).toBe(true);
      expect(await store.getOperation('pop_1')).toMatchObject({ status: 'SUCCEEDED', proposal_id: 'pp_9', result_json: { ok: true }, lease_owner: null });
      expect(await store.getOperation('pop_none')).toBeNull();
    });

    it('keeps everything across a restart (durable backends)', async () => {
      if (!handle.reopen) {
        expect(backend).toBe('IN_MEMORY');
        return;
      }
      await create('pp_keep');
      store = await handle.reopen();
      expect((await store.getProposal('pp_keep'))?.current_state).toBe('DRAFT');
      expect(await store.listEvents('pp_keep')).toHaveLength(1);
    });
  });
}
