/**
 * POST /rebalance/proposals/{id}/versions/{no}/reproduce on every backend
 * (docs/advisory.md#reproducing-a-version): versions created through the API — with or without the
 * evidence bundle — are reproduced identically; a version whose stored result was deliberately
 * altered is reported field by field; a version written without its request says so.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ProposalLifecycleSettings } from '../../src/config/proposal-settings.ts';
import type { ProposalVersion } from '../../src/stores/proposals/port.ts';
import { BACKENDS, call, createBody, createProposal, idOf, openBackend, readyRequest, startHarness, type Harness, type Json, type OpenedBackend } from '../support/proposal-api.ts';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/** Writes `version` as version 1 of a new proposal, straight through the store (as an older release, or a tampered row, would leave it). */
async function seedProposal(harness: Harness, proposalId: string, version: ProposalVersion): Promise<void> {
  const write = await harness.store.createProposal({
    proposal: { proposal_id: proposalId, portfolio_id: 'pf_demo_lifecycle_1', mandate_id: null, jurisdiction: null, created_by: 'advisor_1', created_at: version.created_at, title: null, advisor_notes: null },
    version: { ...version, proposal_id: proposalId, proposal_version_id: `ppv_${proposalId}` },
    event: {
      event_id: `pwe_${proposalId}`,
      proposal_id: proposalId,
      event_type: 'CREATED',
      from_state: null,
      to_state: 'DRAFT',
      actor_id: 'advisor_1',
      occurred_at: version.created_at,
      reason_json: {},
      related_version_no: 1,
    },
  });
  expect(write.outcome).toBe('created');
}

describe.each(BACKENDS)('reproducing proposal versions on %s', (backend) => {
  async function start(settings: Partial<ProposalLifecycleSettings> = {}): Promise<Harness> {
    const opened: OpenedBackend = await openBackend(backend);
    const harness = await startHarness(opened, backend, settings);
    cleanups.push(() => opened.close(), () => harness.close());
    return harness;
  }
  const reproduce = (harness: Harness, proposalId: string, versionNo: number) => call(harness.app, 'POST', `/rebalance/proposals/${proposalId}/versions/${versionNo}/reproduce`);

  it('the versions of a proposal are reproduced identically', async () => {
    const harness = await start();
    const id = idOf(await createProposal(harness.app, 'key-repro'));
    const second = await call(harness.app, 'POST', `/rebalance/proposals/${id}/versions`, { created_by: 'advisor_1', simulate_request: readyRequest() });
    expect(second.status).toBe(200);

    for (const versionNo of [1, 2]) {
      const reply = await reproduce(harness, id, versionNo);
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({
        proposal_id: id,
        version_no: versionNo,
        proposal_version_id: expect.stringMatching(/^ppv_[0-9a-f]{24}$/),
        verdict: 'IDENTICAL',
        identical: true,
        difference_count: 0,
        differences: [],
        request_problems: [],
      });
    }
    // Version 1 was created with the Idempotency-Key, which the engine echoes; it was kept with the version.
    expect((await harness.store.getVersion(id, 1))?.inputs).toMatchObject({ idempotency_key: 'key-repro', correlation_id: expect.any(String) });
  });

  it('a version stored without its evidence bundle is compared in that form', async () => {
    const harness = await start({ storeEvidenceBundle: false });
    const id = idOf(await createProposal(harness.app, 'key-no-evidence'));
    expect((await harness.store.getVersion(id, 1))?.evidence_bundle_json).toEqual({});
    expect((await reproduce(harness, id, 1)).body).toMatchObject({ verdict: 'IDENTICAL', identical: true });
  });

  it('a deliberately altered stored result is reported field by field', async () => {
    const harness = await start();
    const id = idOf(await createProposal(harness.app, 'key-alter'));
    const stored = (await harness.store.getVersion(id, 1)) as ProposalVersion;
    const result = structuredClone(stored.proposal_result_json) as Json;
    const status = result['status'];
    result['status'] = 'BLOCKED';
    await seedProposal(harness, 'pp_altered', { ...stored, proposal_result_json: result });

    const reply = await reproduce(harness, 'pp_altered', 1);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      proposal_id: 'pp_altered',
      verdict: 'DIFFERENT',
      identical: false,
      difference_count: 1,
      differences: [{ path: 'proposal_result.status', change: 'CHANGED', recorded: 'BLOCKED', reproduced: status }],
    });
  });

  it('a version written without its request says so (409); unknown proposals and versions are 404', async () => {
    const harness = await start();
    const id = idOf(await createProposal(harness.app, 'key-old', createBody()));
    const { inputs: _dropped, ...withoutInputs } = (await harness.store.getVersion(id, 1)) as ProposalVersion;
    await seedProposal(harness, 'pp_old', withoutInputs);

    const old = await reproduce(harness, 'pp_old', 1);
    expect(old.status).toBe(409);
    expect(old.body).toMatchObject({ code: 'PROPOSAL_VERSION_REQUEST_NOT_STORED' });
    expect((await reproduce(harness, id, 7)).body).toMatchObject({ code: 'PROPOSAL_VERSION_NOT_FOUND' });
    expect((await reproduce(harness, 'pp_missing', 1)).body).toMatchObject({ code: 'PROPOSAL_NOT_FOUND' });
  });

  it('is gated with the other support reads', async () => {
    const harness = await start({ supportApisEnabled: false });
    const reply = await reproduce(harness, 'pp_any', 1);
    expect(reply).toMatchObject({ status: 404, body: { code: 'PROPOSAL_SUPPORT_APIS_DISABLED' } });
  });
});
