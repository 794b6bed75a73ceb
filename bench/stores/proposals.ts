/**
 * Proposal store figures, called by bench/stores.ts per backend: atomic creates (proposal +
 * version 1 + CREATED event + idempotency key) and compare-and-set transitions (state + event,
 * then state + event + approval) per second. PostgreSQL runs 16 writers at once, SQLite one
 * (it has one writer). Every write is checked, so a figure never counts refused work.
 */
import { PostgresPools } from '../../src/stores/postgres/pools.ts';
import { openProposalStore } from '../../src/stores/proposals/open.ts';
import type { CreateProposalInput, TransitionInput } from '../../src/stores/proposals/port.ts';
import { throughput } from '../support/stats.ts';

const COUNT = 2_000;
const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const at = (i: number): string => new Date(T0 + i * 1000).toISOString();

function createInput(i: number): CreateProposalInput {
  const id = `pp_${i}`;
  return {
    proposal: { proposal_id: id, portfolio_id: `pf_${i % 100}`, mandate_id: null, jurisdiction: 'SG', created_by: 'adviser', created_at: at(i), title: null, advisor_notes: null },
    version: {
      proposal_version_id: `ppv_${i}`,
      proposal_id: id,
      version_no: 1,
      created_at: at(i),
      request_hash: `sha256:${i}`,
      artifact_hash: `sha256:a${i}`,
      simulation_hash: `sha256:s${i}`,
      status_at_creation: 'READY',
      proposal_result_json: { status: 'READY', total: '1000.50' },
      artifact_json: { artifact_id: `pa_${i}` },
      evidence_bundle_json: {},
      gate_decision_json: null,
    },
    event: { event_id: `pwe_${i}_0`, proposal_id: id, event_type: 'CREATED', from_state: null, to_state: 'DRAFT', actor_id: 'adviser', occurred_at: at(i), reason_json: {}, related_version_no: 1 },
    idempotency: { key: `key_${i}`, request_hash: `sha256:${i}` },
  };
}

function submitInput(i: number): TransitionInput {
  const event = { event_id: `pwe_${i}_1`, proposal_id: `pp_${i}`, event_type: 'SUBMITTED_FOR_RISK_REVIEW', from_state: 'DRAFT', to_state: 'RISK_REVIEW' } as const;
  return { expectedRowVersion: 1, event: { ...event, actor_id: 'adviser', occurred_at: at(i + 1), reason_json: {}, related_version_no: 1 } };
}

function approveInput(i: number): TransitionInput {
  const event = { event_id: `pwe_${i}_2`, proposal_id: `pp_${i}`, event_type: 'RISK_APPROVED', from_state: 'RISK_REVIEW', to_state: 'AWAITING_CLIENT_CONSENT' } as const;
  return {
    expectedRowVersion: 2,
    event: { ...event, actor_id: 'risk', occurred_at: at(i + 2), reason_json: {}, related_version_no: 1 },
    approval: { approval_id: `pap_${i}`, proposal_id: `pp_${i}`, approval_type: 'RISK', approved: true, actor_id: 'risk', occurred_at: at(i + 2), details_json: {}, related_version_no: 1 },
  };
}

function expectOutcome(expected: string, outcome: { outcome: string }): void {
  if (outcome.outcome !== expected) throw new Error(`benchmark write answered ${outcome.outcome}, expected ${expected}`);
}

export async function benchProposalStore(options: {
  backend: 'IN_MEMORY' | 'SQLITE' | 'POSTGRES';
  dsn?: string;
  sqlitePath?: string;
}): Promise<{ name: string; value: number; unit: string }[]> {
  const pools = new PostgresPools({ poolMax: 16, statementTimeoutMs: 60_000, connectTimeoutMs: 5_000 });
  const { store } = await openProposalStore({ backend: options.backend, sqlitePath: options.sqlitePath ?? '', postgresDsn: options.dsn ?? '', pools, migrate: true });
  const concurrency = options.backend === 'POSTGRES' ? 16 : 1;
  try {
    const creates = await throughput(COUNT, concurrency, async (i) => expectOutcome('created', await store.createProposal(createInput(i))));
    const transitions = await throughput(COUNT, concurrency, async (i) => expectOutcome('applied', await store.transition(submitInput(i))));
    const approvals = await throughput(COUNT, concurrency, async (i) => expectOutcome('applied', await store.transition(approveInput(i))));
    return [
      { name: 'proposal_creates', value: creates, unit: 'per second' },
      { name: 'proposal_transitions', value: transitions, unit: 'per second' },
      { name: 'proposal_transitions_with_approval', value: approvals, unit: 'per second' },
    ];
  } finally {
    await store.close();
    await pools.closeAll();
  }
}
