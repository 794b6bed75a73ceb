/**
 * The advisory proposal lifecycle API on every store backend (PostgreSQL on the run's real
 * server): the reference demo flow, every invalid transition, compare-and-set, retries with the
 * same key, 20 concurrent transitions, the audit trail, the feature gates and async operations.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PROPOSAL_EVENT_TYPES } from '../../src/domain/workflow/proposal-state-machine.ts';
import {
  BACKENDS,
  blockedRequest,
  call,
  createBody,
  createProposal,
  finished,
  idOf,
  openBackend,
  PATHS,
  readyRequest,
  startHarness,
  transition,
  walkTo,
  type Harness,
  type Json,
  type OpenedBackend,
} from '../support/proposal-api.ts';

/** The allowed `/transitions` events per state (docs/advisory.md#states-and-transitions). */
const ALLOWED: Record<string, readonly string[]> = {
  DRAFT: ['SUBMITTED_FOR_RISK_REVIEW', 'SUBMITTED_FOR_COMPLIANCE_REVIEW', 'CANCELLED'],
  RISK_REVIEW: ['RISK_APPROVED', 'REJECTED', 'CANCELLED'],
  COMPLIANCE_REVIEW: ['COMPLIANCE_APPROVED', 'REJECTED', 'CANCELLED'],
  AWAITING_CLIENT_CONSENT: ['CLIENT_CONSENT_RECORDED', 'REJECTED', 'CANCELLED'],
  EXECUTION_READY: ['EXECUTED', 'EXPIRED', 'CANCELLED'],
  EXECUTED: [],
  REJECTED: [],
  CANCELLED: [],
  EXPIRED: [],
};

let keySeq = 0;
const key = (label: string): string => `${label}-${process.pid}-${(keySeq += 1)}`;

describe.each(BACKENDS)('proposal lifecycle API on %s', (backend) => {
  let opened: OpenedBackend;
  let harness: Harness | undefined;

  beforeAll(async () => {
    opened = await openBackend(backend);
  });
  afterAll(async () => {
    await opened.close();
  });
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  const start = async (settings: Parameters<typeof startHarness>[2] = {}) => {
    harness = await startHarness(opened, backend, settings);
    return harness.app;
  };

  it('runs the reference demo: create → new version → compliance review → compliance approval → client consent → executed', async () => {
    const app = await start();
    const created = await createProposal(app, key('demo'));
    expect(created['proposal']).toMatchObject({ portfolio_id: 'pf_demo_lifecycle_1', current_state: 'DRAFT', current_version_no: 1, title: 'Demo lifecycle', mandate_id: 'mandate_1' });
    expect(created['proposal']).not.toHaveProperty('advisor_notes');
    expect(created['version']).toMatchObject({ version_no: 1, status_at_creation: 'READY' });
    expect((created['version'] as Json)['artifact_hash']).toMatch(/^sha256:/);
    expect(created['latest_workflow_event']).toMatchObject({ event_type: 'CREATED', from_state: null, to_state: 'DRAFT', related_version_no: 1 });
    const id = idOf(created);

    const v2 = await call(app, 'POST', `/rebalance/proposals/${id}/versions`, { created_by: 'advisor_1', simulate_request: readyRequest() });
    expect(v2.status).toBe(200);
    expect(v2.body['proposal']).toMatchObject({ current_version_no: 2, current_state: 'DRAFT' });
    expect(v2.body['latest_workflow_event']).toMatchObject({ event_type: 'NEW_VERSION_CREATED', from_state: 'DRAFT', to_state: 'DRAFT', related_version_no: 2 });

    // The demo sends related_version_no 1 although version 2 is current: accepted.
    const submitted = await transition(app, id, 'SUBMITTED_FOR_COMPLIANCE_REVIEW', 'DRAFT', { related_version_no: 1 });
    expect(submitted).toMatchObject({ status: 200, body: { current_state: 'COMPLIANCE_REVIEW', approval: null } });
    const approve = (approval_type: string, expected_state: string) =>
      call(app, 'POST', `/rebalance/proposals/${id}/approvals`, { approval_type, approved: true, actor_id: `${approval_type.toLowerCase()}_officer`, expected_state, related_version_no: 1, details: { note: 'ok' } });
    const compliance = await approve('COMPLIANCE', 'COMPLIANCE_REVIEW');
    expect(compliance.status).toBe(200);
    expect(compliance.body).toMatchObject({ current_state: 'AWAITING_CLIENT_CONSENT', latest_workflow_event: { event_type: 'COMPLIANCE_APPROVED' }, approval: { approval_type: 'COMPLIANCE', approved: true } });
    const consent = await approve('CLIENT_CONSENT', 'AWAITING_CLIENT_CONSENT');
    expect(consent.body).toMatchObject({ current_state: 'EXECUTION_READY', latest_workflow_event: { event_type: 'CLIENT_CONSENT_RECORDED' } });
    const executed = await transition(app, id, 'EXECUTED', 'EXECUTION_READY', { related_version_no: 1 });
    expect(executed.body).toMatchObject({ current_state: 'EXECUTED' });

    const listed = await call(app, 'GET', '/rebalance/proposals?portfolio_id=pf_demo_lifecycle_1&limit=5');
    expect((listed.body['items'] as Json[]).some((item) => item['proposal_id'] === id)).toBe(true);
    const detail = await call(app, 'GET', `/rebalance/proposals/${id}`);
    expect(detail.body).toMatchObject({ proposal: { current_state: 'EXECUTED', current_version_no: 2 }, current_version: { version_no: 2 } });
    const lineage = await call(app, 'GET', `/rebalance/proposals/${id}/lineage`);
    expect((lineage.body['versions'] as Json[]).map((v) => v['version_no'])).toEqual([1, 2]);
  });

  it('keeps the audit trail complete and in order: one event per change, one approval per decision (also via /transitions)', async () => {
    const app = await start();
    const id = idOf(await createProposal(app, key('audit')));
    await walkTo(app, id, 'EXECUTION_READY'); // risk decision and consent taken through /transitions
    const events = await call(app, 'GET', `/rebalance/proposals/${id}/workflow-events`);
    expect(events.body['current_state']).toBe('EXECUTION_READY');
    const trail = (events.body['events'] as Json[]).map((e) => [e['event_type'], e['from_state'], e['to_state']]);
    expect(trail).toEqual([
      ['CREATED', null, 'DRAFT'],
      ['SUBMITTED_FOR_RISK_REVIEW', 'DRAFT', 'RISK_REVIEW'],
      ['RISK_APPROVED', 'RISK_REVIEW', 'AWAITING_CLIENT_CONSENT'],
      ['CLIENT_CONSENT_RECORDED', 'AWAITING_CLIENT_CONSENT', 'EXECUTION_READY'],
    ]);
    const approvals = await call(app, 'GET', `/rebalance/proposals/${id}/approvals`);
    expect((approvals.body['approvals'] as Json[]).map((a) => [a['approval_type'], a['approved'], a['actor_id'], a['related_version_no']])).toEqual([
      ['RISK', true, 'reviewer_1', 1],
      ['CLIENT_CONSENT', true, 'reviewer_1', 1],
    ]);

    // A new version after consent withdraws it: back to DRAFT, and the trail says so.
    const v2 = await call(app, 'POST', `/rebalance/proposals/${id}/versions`, { created_by: 'advisor_1', simulate_request: readyRequest() });
    expect(v2.body['latest_workflow_event']).toMatchObject({ event_type: 'NEW_VERSION_CREATED', from_state: 'EXECUTION_READY', to_state: 'DRAFT' });
    const executeStale = await transition(app, id, 'EXECUTED', 'DRAFT');
    expect(executeStale.body).toMatchObject({ code: 'INVALID_TRANSITION' });
    const rejected = await call(app, 'POST', `/rebalance/proposals/${id}/approvals`, { approval_type: 'RISK', approved: false, actor_id: 'risk_1', expected_state: 'DRAFT' });
    expect(rejected).toMatchObject({ status: 422, body: { detail: 'INVALID_APPROVAL_STATE', code: 'INVALID_APPROVAL_STATE' } });
    const finalEvents = (await call(app, 'GET', `/rebalance/proposals/${id}/workflow-events`)).body['events'] as Json[];
    expect(finalEvents).toHaveLength(5);
    expect(new Set(finalEvents.map((e) => e['event_id'])).size).toBe(5);
  });

  it('answers every invalid transition with 422 INVALID_TRANSITION (the reference\'s status) and writes nothing', async () => {
    const app = await start();
    for (const [state, allowed] of Object.entries(ALLOWED)) {
      const id = idOf(await createProposal(app, key(`invalid-${state}`)));
      await walkTo(app, id, state);
      for (const event of PROPOSAL_EVENT_TYPES.filter((e) => !allowed.includes(e))) {
        const reply = await transition(app, id, event, state);
        expect([state, event, reply.status, reply.body['detail']]).toEqual([state, event, 422, 'INVALID_TRANSITION']);
      }
      const events = (await call(app, 'GET', `/rebalance/proposals/${id}/workflow-events`)).body;
      expect(events['current_state']).toBe(state);
      expect(events['events']).toHaveLength(1 + (PATHS[state]?.length ?? 0));
    }
  });

  it('refuses to execute a BLOCKED proposal, and new versions of a terminal one', async () => {
    const app = await start();
    const created = await createProposal(app, key('blocked'), createBody(blockedRequest()));
    expect((created['version'] as Json)['status_at_creation']).toBe('BLOCKED');
    const id = idOf(created);
    await walkTo(app, id, 'EXECUTION_READY');
    expect(await transition(app, id, 'EXECUTED', 'EXECUTION_READY')).toMatchObject({ status: 422, body: { detail: 'PROPOSAL_GATE_BLOCKED' } });
    expect((await transition(app, id, 'CANCELLED', 'EXECUTION_READY')).status).toBe(200);
    const version = await call(app, 'POST', `/rebalance/proposals/${id}/versions`, { created_by: 'advisor_1', simulate_request: blockedRequest() });
    expect(version).toMatchObject({ status: 422, body: { detail: 'PROPOSAL_TERMINAL_STATE: cannot create version', code: 'PROPOSAL_TERMINAL_STATE' } });
  });

  it('compare-and-sets expected_state: missing or stale → 409 STATE_CONFLICT, nothing written', async () => {
    const app = await start();
    const id = idOf(await createProposal(app, key('cas')));
    expect((await transition(app, id, 'SUBMITTED_FOR_RISK_REVIEW', undefined)).body).toMatchObject({ code: 'STATE_CONFLICT', detail: 'STATE_CONFLICT: expected_state is required' });
    expect((await transition(app, id, 'SUBMITTED_FOR_RISK_REVIEW', 'RISK_REVIEW')).body).toMatchObject({ code: 'STATE_CONFLICT', detail: 'STATE_CONFLICT: expected_state mismatch' });
    const approval = await call(app, 'POST', `/rebalance/proposals/${id}/approvals`, { approval_type: 'RISK', approved: true, actor_id: 'r', expected_state: 'RISK_REVIEW' });
    expect(approval).toMatchObject({ status: 409, body: { code: 'STATE_CONFLICT' } });
    expect((await call(app, 'GET', `/rebalance/proposals/${id}/workflow-events`)).body['events']).toHaveLength(1);
    expect((await call(app, 'GET', `/rebalance/proposals/${id}/approvals`)).body['approvals']).toEqual([]);
    expect((await transition(app, id, 'SUBMITTED_FOR_RISK_REVIEW', 'DRAFT', { related_version_no: 7 })).body).toMatchObject({ code: 'PROPOSAL_RELATED_VERSION_INVALID' });
    expect((await call(app, 'POST', '/rebalance/proposals/pp_missing/transitions', { event_type: 'CANCELLED', actor_id: 'a', expected_state: 'DRAFT' })).status).toBe(404);
  });

  it('lets exactly one of 20 concurrent transitions on one proposal win', async () => {
    const app = await start();
    const id = idOf(await createProposal(app, key('race')));
    const events = ['SUBMITTED_FOR_RISK_REVIEW', 'SUBMITTED_FOR_COMPLIANCE_REVIEW', 'CANCELLED'];
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => transition(app, id, events[i % 3] as string, 'DRAFT', { reason: { racer: i } })));
    const winners = replies.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    for (const loser of replies.filter((r) => r.status !== 200)) {
      expect(loser.status).toBe(409);
      expect(['STATE_CONFLICT', 'PROPOSAL_VERSION_CONFLICT']).toContain(loser.body['code']);
    }
    const trail = await call(app, 'GET', `/rebalance/proposals/${id}/workflow-events`);
    expect(trail.body['events']).toHaveLength(2);
    expect(trail.body['current_state']).toBe(winners[0]?.body['current_state']);
  });

  it('replays a create retried with the same key, and refuses the key for another request', async () => {
    const app = await start();
    const k = key('retry');
    const body = createBody(readyRequest('pf_retry'));
    const [first, second] = await Promise.all([
      call(app, 'POST', '/rebalance/proposals', body, { 'idempotency-key': k }),
      call(app, 'POST', '/rebalance/proposals', body, { 'idempotency-key': k }),
    ]);
    expect(first?.status).toBe(200);
    expect(second?.body).toEqual(first?.body);
    const third = await call(app, 'POST', '/rebalance/proposals', body, { 'idempotency-key': k });
    expect(third.body).toEqual(first.body);
    expect(third.headers['idempotent-replay']).toBe('true');
    const listed = await call(app, 'GET', '/rebalance/proposals?portfolio_id=pf_retry');
    expect(listed.body['items']).toHaveLength(1);

    // After a transition a replay still answers the original version and CREATED event.
    const id = idOf(first.body);
    await transition(app, id, 'SUBMITTED_FOR_RISK_REVIEW', 'DRAFT');
    const later = await call(app, 'POST', '/rebalance/proposals', body, { 'idempotency-key': k });
    expect(later.body['latest_workflow_event']).toEqual(first.body['latest_workflow_event']);
    expect(later.body['version']).toEqual(first.body['version']);
    expect(later.body['proposal']).toMatchObject({ current_state: 'RISK_REVIEW' });

    const conflict = await call(app, 'POST', '/rebalance/proposals', createBody(readyRequest('pf_other')), { 'idempotency-key': k });
    expect(conflict).toMatchObject({ status: 409, body: { code: 'IDEMPOTENCY_KEY_CONFLICT' } });
    expect((await call(app, 'GET', `/rebalance/proposals/idempotency/${k}`)).body).toMatchObject({ proposal_id: id, proposal_version_no: 1 });
    const missingKey = await call(app, 'POST', '/rebalance/proposals', body);
    expect(missingKey).toMatchObject({ status: 422, body: { detail: [{ type: 'missing', loc: ['header', 'Idempotency-Key'] }] } });
  });

  it('replays a new version retried with the same key instead of adding another', async () => {
    const app = await start();
    const id = idOf(await createProposal(app, key('vretry')));
    const k = key('version');
    const body = { created_by: 'advisor_1', simulate_request: readyRequest() };
    const replies = await Promise.all([1, 2, 3].map(() => call(app, 'POST', `/rebalance/proposals/${id}/versions`, body, { 'idempotency-key': k })));
    // Racers wait on the key the first one claimed and replay its version.
    const ok = replies.filter((r) => r.status === 200);
    expect(ok).toHaveLength(3);
    for (const r of ok) expect(r.body['version']).toEqual(ok[0]?.body['version']);
    const retry = await call(app, 'POST', `/rebalance/proposals/${id}/versions`, body, { 'idempotency-key': k });
    expect(retry.body['version']).toEqual(ok[0]?.body['version']);
    expect(retry.body['latest_workflow_event']).toEqual(ok[0]?.body['latest_workflow_event']);
    const lineage = await call(app, 'GET', `/rebalance/proposals/${id}/lineage`);
    expect((lineage.body['versions'] as Json[]).map((v) => v['version_no'])).toEqual([1, 2]);
  });

  it('validates requests with 4xx naming the field, and hides evidence on request', async () => {
    const app = await start();
    const bad = await call(app, 'POST', '/rebalance/proposals', { created_by: 'a', simulate_request: { portfolio_snapshot: {} }, extra: 1 }, { 'idempotency-key': key('bad') });
    expect(bad.status).toBe(422);
    const noFlag = readyRequest();
    noFlag['options'] = { ...(noFlag['options'] as Json), enable_proposal_simulation: false };
    expect((await call(app, 'POST', '/rebalance/proposals', createBody(noFlag), { 'idempotency-key': key('flag') })).body).toMatchObject({ code: 'PROPOSAL_SIMULATION_DISABLED' });
    const deep = await call(app, 'POST', '/rebalance/proposals', createBody({ ...readyRequest(), proposed_trades: [{ side: 'BUY' }] }), { 'idempotency-key': key('deep') });
    expect(deep.status).toBe(422);
    expect(JSON.stringify(deep.body['errors'])).toContain('body.simulate_request.proposed_trades[0]');
    expect((await call(app, 'GET', '/rebalance/proposals?created_from=2026-01-01T00:00:00')).status).toBe(422);
    expect((await call(app, 'GET', '/rebalance/proposals?cursor=nonsense')).body).toMatchObject({ code: 'PROPOSAL_INVALID_CURSOR' });

    const id = idOf(await createProposal(app, key('evidence')));
    const hidden = await call(app, 'GET', `/rebalance/proposals/${id}?include_evidence=false`);
    const current = hidden.body['current_version'] as Json;
    expect(current['evidence_bundle']).toEqual({});
    expect(Object.keys((current['artifact'] as Json)['evidence_bundle'] as Json)).toEqual(['hashes']);
    const shown = await call(app, 'GET', `/rebalance/proposals/${id}/versions/1`);
    expect(Object.keys(shown.body['evidence_bundle'] as Json)).toContain('inputs');
    expect((await call(app, 'GET', `/rebalance/proposals/${id}/versions/9`)).body).toMatchObject({ code: 'PROPOSAL_VERSION_NOT_FOUND' });
    const otherPortfolio = await call(app, 'POST', `/rebalance/proposals/${id}/versions`, { created_by: 'a', simulate_request: readyRequest('pf_else') });
    expect(otherPortfolio.body).toMatchObject({ code: 'PORTFOLIO_CONTEXT_MISMATCH' });
  });

  it('answers 404 with the flag code before touching the store', async () => {
    const routes: [('GET' | 'POST'), string, unknown?][] = [
      ['POST', '/rebalance/proposals', createBody()],
      ['POST', '/rebalance/proposals/async', createBody()],
      ['GET', '/rebalance/proposals'],
      ['GET', '/rebalance/proposals/pp_x'],
      ['GET', '/rebalance/proposals/pp_x/versions/1'],
      ['POST', '/rebalance/proposals/pp_x/versions', { created_by: 'a', simulate_request: {} }],
      ['POST', '/rebalance/proposals/pp_x/versions/async', { created_by: 'a', simulate_request: {} }],
      ['POST', '/rebalance/proposals/pp_x/transitions', { event_type: 'CANCELLED', actor_id: 'a' }],
      ['POST', '/rebalance/proposals/pp_x/approvals', { approval_type: 'RISK', approved: true, actor_id: 'a' }],
      ['GET', '/rebalance/proposals/pp_x/approvals'],
      ['GET', '/rebalance/proposals/pp_x/workflow-events'],
      ['GET', '/rebalance/proposals/pp_x/lineage'],
      ['GET', '/rebalance/proposals/idempotency/k'],
      ['GET', '/rebalance/proposals/operations/pop_x'],
      ['GET', '/rebalance/proposals/operations/by-correlation/c'],
    ];
    const app = await start({ lifecycleEnabled: false, asyncWorkerEnabled: false });
    for (const [method, url, body] of routes) {
      expect([url, (await call(app, method, url, body, { 'idempotency-key': 'k' })).body['code']]).toEqual([url, 'PROPOSAL_WORKFLOW_LIFECYCLE_DISABLED']);
    }
    await harness?.close();
    const support = await start({ supportApisEnabled: false, asyncOperationsEnabled: false, asyncWorkerEnabled: false });
    const asyncRoutes = routes.filter(([, url]) => url.includes('async') || url.includes('operations'));
    const supportRoutes = routes.filter(([method, url]) => method === 'GET' && /approvals$|workflow-events|lineage|idempotency/.test(url));
    expect(asyncRoutes.length + supportRoutes.length).toBe(8);
    for (const [method, url, body] of asyncRoutes) {
      expect([url, (await call(support, method, url, body, { 'idempotency-key': 'k' })).body['code']]).toEqual([url, 'PROPOSAL_ASYNC_OPERATIONS_DISABLED']);
    }
    for (const [method, url] of supportRoutes) expect([url, (await call(support, method, url)).body['code']]).toEqual([url, 'PROPOSAL_SUPPORT_APIS_DISABLED']);
    expect(harness?.counter.calls).toBe(0);
    const config = await call(support, 'GET', '/rebalance/proposals/supportability/config');
    expect(config.body).toEqual({
      store_backend: backend,
      backend_ready: true,
      backend_init_error: null,
      lifecycle_enabled: true,
      support_apis_enabled: false,
      async_operations_enabled: false,
      store_evidence_bundle: true,
      require_expected_state: true,
      allow_portfolio_id_change_on_new_version: false,
      require_proposal_simulation_flag: true,
      async_worker_enabled: false,
    });
  });

  it('runs async creates and versions to SUCCEEDED, found by id and by correlation id', async () => {
    const app = await start();
    const accepted = await call(app, 'POST', '/rebalance/proposals/async', createBody(readyRequest('pf_async')), { 'idempotency-key': key('async'), 'x-correlation-id': `corr-async-${backend}` });
    expect(accepted).toMatchObject({ status: 202, body: { operation_type: 'CREATE_PROPOSAL', status: 'PENDING', correlation_id: `corr-async-${backend}` } });
    const done = await finished(app, accepted.body['operation_id'] as string);
    expect(done).toMatchObject({ status: 'SUCCEEDED', error: null, result: { proposal: { current_state: 'DRAFT' } } });
    const id = done['proposal_id'] as string;
    expect(((done['result'] as Json)['latest_workflow_event'] as Json)['reason']).toEqual({ correlation_id: `corr-async-${backend}` });
    expect((await call(app, 'GET', `/rebalance/proposals/operations/by-correlation/corr-async-${backend}`)).body['operation_id']).toBe(accepted.body['operation_id']);

    const version = await call(app, 'POST', `/rebalance/proposals/${id}/versions/async`, { created_by: 'advisor_1', simulate_request: readyRequest('pf_async') });
    expect(version.status).toBe(202);
    expect(await finished(app, version.body['operation_id'] as string)).toMatchObject({ status: 'SUCCEEDED', result: { version: { version_no: 2 } } });

    const failing = await call(app, 'POST', '/rebalance/proposals/pp_missing/versions/async', { created_by: 'a', simulate_request: readyRequest() });
    expect(await finished(app, failing.body['operation_id'] as string)).toMatchObject({ status: 'FAILED', error: { code: 'PROPOSAL_NOT_FOUND' } });
    expect((await call(app, 'GET', '/rebalance/proposals/operations/pop_missing')).body).toMatchObject({ code: 'PROPOSAL_ASYNC_OPERATION_NOT_FOUND' });
  });
});
