/**
 * The run review workflow on every backend through the whole service (docs/dpm-api.md#workflow): a
 * full review sequence, the NOT_REQUIRED and disabled cases, the decision listing, validation, and
 * the race — of 20 concurrent APPROVE/REJECT on one PENDING_REVIEW run acting on the same state
 * (If-Match) exactly one is recorded, and without If-Match no decision is lost or invalid.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { nextWorkflowStatus, type WorkflowAction, type WorkflowStatus } from '../../src/domain/workflow/run-review.ts';
import { DPM_BACKENDS, REQUESTS, startApi, type ApiHarness } from '../support/dpm-api.ts';

let open: ApiHarness[] = [];
afterEach(async () => {
  for (const api of open) await api.close();
  open = [];
});

const decide = (action: string, reason_code: string, actor_id = 'reviewer_1', comment: string | null = null) => ({ action, reason_code, actor_id, comment });

describe.each(DPM_BACKENDS)('DPM run workflow on %s', (backend) => {
  async function start(env: Record<string, string> = {}): Promise<ApiHarness> {
    const api = await startApi(backend, env);
    open.push(api);
    return api;
  }

  it('PENDING_REVIEW → REQUEST_CHANGES (id) → REQUEST_CHANGES (correlation) → APPROVE → REJECT (key); then REJECT again is 409', async () => {
    const api = await start();
    const result = await api.simulate(REQUESTS.PENDING_REVIEW, { key: 'key-review', correlation: 'corr-review' });
    expect(result['status']).toBe('PENDING_REVIEW');
    const runId = String(result['rebalance_run_id']);

    const initial = await api.get(`/rebalance/runs/${runId}/workflow`);
    expect(initial.body).toEqual({ run_id: runId, run_status: 'PENDING_REVIEW', workflow_status: 'PENDING_REVIEW', requires_review: true, latest_decision: null });

    const steps: [string, ReturnType<typeof decide>, string][] = [
      [`/rebalance/runs/${runId}`, decide('REQUEST_CHANGES', 'REQUIRES_ADVISOR_NOTE', 'reviewer_1', 'Add a note.'), 'PENDING_REVIEW'],
      ['/rebalance/runs/by-correlation/corr-review', decide('REQUEST_CHANGES', 'NEEDS_ONE_MORE_FIX'), 'PENDING_REVIEW'],
      [`/rebalance/runs/${runId}`, decide('APPROVE', 'REVIEW_APPROVED', 'reviewer_2'), 'APPROVED'],
      ['/rebalance/runs/idempotency/key-review', decide('REJECT', 'POLICY_BREACH_REJECTED', 'reviewer_3'), 'REJECTED'],
    ];
    for (const [prefix, body, status] of steps) {
      const response = await api.post(`${prefix}/workflow/actions`, body, { 'x-correlation-id': `corr-${body.reason_code}` });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      expect(response.body).toMatchObject({ run_id: runId, run_status: 'PENDING_REVIEW', workflow_status: status, requires_review: true });
      expect(response.body['latest_decision']).toMatchObject({
        run_id: runId,
        action: body.action,
        reason_code: body.reason_code,
        actor_id: body.actor_id,
        comment: body.comment,
        correlation_id: `corr-${body.reason_code}`,
        decision_id: expect.stringMatching(/^dwd_[0-9a-f]{24}$/),
      });
    }

    for (const prefix of [`/rebalance/runs/${runId}`, '/rebalance/runs/by-correlation/corr-review', '/rebalance/runs/idempotency/key-review']) {
      const history = await api.get(`${prefix}/workflow/history`);
      expect(history.body['run_id']).toBe(runId);
      expect((history.body['decisions'] as { reason_code: string }[]).map((d) => d.reason_code)).toEqual([
        'REQUIRES_ADVISOR_NOTE',
        'NEEDS_ONE_MORE_FIX',
        'REVIEW_APPROVED',
        'POLICY_BREACH_REJECTED',
      ]);
      expect((await api.get(`${prefix}/workflow`)).body).toMatchObject({ workflow_status: 'REJECTED', latest_decision: { action: 'REJECT' } });
    }
    expect((await api.get('/rebalance/workflow/decisions/by-correlation/corr-review')).body['decisions']).toHaveLength(4);

    const again = await api.post(`/rebalance/runs/${runId}/workflow/actions`, decide('REJECT', 'POLICY_REJECTED'));
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ detail: 'DPM_WORKFLOW_INVALID_TRANSITION' });
    const approveRejected = await api.post(`/rebalance/runs/${runId}/workflow/actions`, decide('APPROVE', 'REVIEW_APPROVED'));
    expect(approveRejected.body).toMatchObject({ detail: 'DPM_WORKFLOW_INVALID_TRANSITION' });

    const summary = await api.get('/rebalance/supportability/summary');
    expect(summary.body).toMatchObject({
      workflow_decision_count: 4,
      workflow_action_counts: { REQUEST_CHANGES: 2, APPROVE: 1, REJECT: 1 },
      workflow_reason_code_counts: { REQUIRES_ADVISOR_NOTE: 1, NEEDS_ONE_MORE_FIX: 1, REVIEW_APPROVED: 1, POLICY_BREACH_REJECTED: 1 },
    });
    expect((await api.get(`/rebalance/runs/${runId}/support-bundle`)).body['workflow_history']).toMatchObject({ run_id: runId, decisions: expect.any(Array) });
  });

  it('a READY run needs no review: GET says NOT_REQUIRED, an action is 409', async () => {
    const api = await start();
    const result = await api.simulate(REQUESTS.READY, { key: 'key-ready', correlation: 'corr-ready' });
    const runId = String(result['rebalance_run_id']);
    expect((await api.get(`/rebalance/runs/${runId}/workflow`)).body).toEqual({
      run_id: runId,
      run_status: 'READY',
      workflow_status: 'NOT_REQUIRED',
      requires_review: false,
      latest_decision: null,
    });
    const action = await api.post(`/rebalance/runs/${runId}/workflow/actions`, decide('APPROVE', 'REVIEW_APPROVED'));
    expect(action.status).toBe(409);
    expect(action.body).toMatchObject({ detail: 'DPM_WORKFLOW_NOT_REQUIRED_FOR_RUN_STATUS' });
  });

  it('the review statuses are configurable', async () => {
    const api = await start({ DPM_WORKFLOW_REQUIRES_REVIEW_FOR_STATUSES: 'READY, BLOCKED' });
    const result = await api.simulate(REQUESTS.READY, { key: 'key-ready-review' });
    const response = await api.post(`/rebalance/runs/${String(result['rebalance_run_id'])}/workflow/actions`, decide('APPROVE', 'REVIEW_APPROVED'));
    expect(response.body).toMatchObject({ run_status: 'READY', workflow_status: 'APPROVED', requires_review: true });
  });

  it('20 concurrent APPROVE/REJECT on one PENDING_REVIEW run, each If-Match the state seen: exactly one wins, the rest are 409', async () => {
    const api = await start();
    const runId = String((await api.simulate(REQUESTS.PENDING_REVIEW, { key: 'key-race' }))['rebalance_run_id']);
    const seen = await api.app.server.inject({ method: 'GET', url: `/rebalance/runs/${runId}/workflow` });
    const etag = String(seen.headers['etag']);
    expect(etag).toBe('"none"');
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        api.post(`/rebalance/runs/${runId}/workflow/actions`, i % 2 === 0 ? decide('APPROVE', 'REVIEW_APPROVED', `r${i}`) : decide('REJECT', 'POLICY_REJECTED', `r${i}`), {
          'if-match': etag,
        }),
      ),
    );
    const winners = responses.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    const losers = responses.filter((r) => r.status === 412);
    expect(losers).toHaveLength(19);
    expect(losers.every((r) => r.body['detail'] === 'DPM_WORKFLOW_STATE_STALE')).toBe(true);
    const history = (await api.get(`/rebalance/runs/${runId}/workflow/history`)).body['decisions'] as { decision_id: string }[];
    expect(history.map((d) => d.decision_id)).toEqual([(winners[0]?.body['latest_decision'] as { decision_id: string }).decision_id]);
    // The winner's ETag is the new state: acting on it works, acting on the old one does not.
    const stale = await api.post(`/rebalance/runs/${runId}/workflow/actions`, decide('REQUEST_CHANGES', 'NEEDS_DETAIL'), { 'if-match': etag });
    expect(stale).toMatchObject({ status: 412, body: { detail: 'DPM_WORKFLOW_STATE_STALE', code: 'DPM_WORKFLOW_STATE_STALE' } });
    const current = `"${(winners[0]?.body['latest_decision'] as { decision_id: string }).decision_id}"`;
    expect((await api.post(`/rebalance/runs/${runId}/workflow/actions`, decide('REQUEST_CHANGES', 'NEEDS_DETAIL'), { 'if-match': current })).status).toBe(200);
  });

  it('concurrent actions without If-Match never lose a decision and never record an invalid transition', async () => {
    const api = await start();
    const runId = String((await api.simulate(REQUESTS.PENDING_REVIEW, { key: 'key-race-2' }))['rebalance_run_id']);
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        api.post(`/rebalance/runs/${runId}/workflow/actions`, i % 2 === 0 ? decide('APPROVE', 'REVIEW_APPROVED', `r${i}`) : decide('REJECT', 'POLICY_REJECTED', `r${i}`)),
      ),
    );
    const accepted = responses.filter((r) => r.status === 200).map((r) => (r.body['latest_decision'] as { decision_id: string }).decision_id);
    expect(responses.every((r) => r.status === 200 || r.body['detail'] === 'DPM_WORKFLOW_INVALID_TRANSITION')).toBe(true);
    const history = (await api.get(`/rebalance/runs/${runId}/workflow/history`)).body['decisions'] as { decision_id: string; action: WorkflowAction }[];
    expect(history.map((d) => d.decision_id).sort()).toEqual([...accepted].sort());
    // Replaying the log through the transition table: every recorded step was allowed.
    let state: WorkflowStatus = 'PENDING_REVIEW';
    for (const decision of history) {
      const next = nextWorkflowStatus(state, decision.action);
      expect(next, `${state} + ${decision.action}`).not.toBeNull();
      state = next ?? state;
    }
    // From PENDING_REVIEW with only APPROVE/REJECT, at most APPROVE then REJECT can both be valid.
    expect(history.length).toBeGreaterThanOrEqual(1);
    expect(history.length).toBeLessThanOrEqual(2);
  });

  it('lists decisions newest first, filters by run, actor, action and reason, and pages', async () => {
    const api = await start();
    const a = String((await api.simulate(REQUESTS.PENDING_REVIEW, { key: 'key-list-a' }))['rebalance_run_id']);
    const b = String((await api.simulate({ ...REQUESTS.PENDING_REVIEW, portfolio_snapshot: { ...REQUESTS.PENDING_REVIEW.portfolio_snapshot, portfolio_id: 'pf_b' } }, { key: 'key-list-b' }))['rebalance_run_id']);
    await api.post(`/rebalance/runs/${a}/workflow/actions`, decide('REQUEST_CHANGES', 'NEEDS_DETAIL', 'alice'));
    await api.post(`/rebalance/runs/${a}/workflow/actions`, decide('APPROVE', 'REVIEW_APPROVED', 'bob'));
    await api.post(`/rebalance/runs/${b}/workflow/actions`, decide('REJECT', 'POLICY_REJECTED', 'alice'));

    const all = await api.get('/rebalance/workflow/decisions');
    const items = all.body['items'] as { decided_at: string; decision_id: string; run_id: string; actor_id: string }[];
    expect(items).toHaveLength(3);
    const order = items.map((d) => `${d.decided_at}|${d.decision_id}`);
    expect(order).toEqual([...order].sort().reverse());

    const ids = async (query: string) => ((await api.get(`/rebalance/workflow/decisions?${query}`)).body['items'] as { run_id: string; actor_id: string; action: string }[]);
    expect((await ids('actor_id=alice')).map((d) => d.actor_id)).toEqual(['alice', 'alice']);
    expect((await ids(`rebalance_run_id=${a}`)).every((d) => d.run_id === a)).toBe(true);
    expect(await ids(`rebalance_run_id=${a}`)).toHaveLength(2);
    expect((await ids('action=REJECT')).map((d) => d.run_id)).toEqual([b]);
    expect(await ids('reason_code=NEEDS_DETAIL')).toHaveLength(1);
    expect(await ids('rebalance_run_id=rr_nobody')).toEqual([]);

    const page1 = await api.get('/rebalance/workflow/decisions?limit=2');
    expect(page1.body['next_cursor']).toEqual(expect.any(String));
    const page2 = await api.get(`/rebalance/workflow/decisions?limit=2&cursor=${encodeURIComponent(String(page1.body['next_cursor']))}`);
    expect(page2.body['items']).toHaveLength(1);
    expect(page2.body['next_cursor']).toBeNull();

    expect((await api.get('/rebalance/workflow/decisions?action=MAYBE')).status).toBe(422);
    expect((await api.get('/rebalance/workflow/decisions?from=2026-01-01T00:00:00')).status).toBe(422);
    expect((await api.get('/rebalance/workflow/decisions?cursor=garbage')).body).toMatchObject({ detail: 'DPM_SUPPORTABILITY_INVALID_CURSOR' });
  });

  it('validates the action body and resolves each address with its own 404 code', async () => {
    const api = await start();
    const runId = String((await api.simulate(REQUESTS.PENDING_REVIEW, { key: 'key-validate', correlation: 'corr-validate' }))['rebalance_run_id']);
    const url = `/rebalance/runs/${runId}/workflow/actions`;
    for (const [body, field] of [
      [{ reason_code: 'X', actor_id: 'a' }, 'body.action'],
      [decide('MAYBE', 'REVIEW_APPROVED'), 'body.action'],
      [decide('APPROVE', 'lower_case'), 'body.reason_code'],
      [{ action: 'APPROVE', reason_code: 'REVIEW_APPROVED' }, 'body.actor_id'],
      [{ ...decide('APPROVE', 'REVIEW_APPROVED'), extra: 1 }, 'body.extra'],
    ] as const) {
      const response = await api.post(url, body);
      expect(response.status, field).toBe(422);
      expect(response.body['errors'], field).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    }
    // An empty actor is allowed, as in the reference.
    expect((await api.post(url, decide('APPROVE', 'REVIEW_APPROVED', ''))).status).toBe(200);

    expect((await api.get('/rebalance/runs/rr_missing/workflow')).body).toMatchObject({ detail: 'DPM_RUN_NOT_FOUND' });
    expect((await api.get('/rebalance/runs/by-correlation/missing/workflow')).body).toMatchObject({ detail: 'DPM_RUN_NOT_FOUND' });
    expect((await api.get('/rebalance/runs/idempotency/missing/workflow')).body).toMatchObject({ detail: 'DPM_IDEMPOTENCY_KEY_NOT_FOUND' });
    expect((await api.post('/rebalance/runs/idempotency/missing/workflow/actions', decide('APPROVE', 'REVIEW_APPROVED'))).body).toMatchObject({ detail: 'DPM_IDEMPOTENCY_KEY_NOT_FOUND' });
    expect((await api.post('/rebalance/runs/rr_missing/workflow/actions', decide('APPROVE', 'REVIEW_APPROVED'))).body).toMatchObject({ detail: 'DPM_RUN_NOT_FOUND' });
    expect((await api.get('/rebalance/workflow/decisions/by-correlation/missing')).body).toMatchObject({ detail: 'DPM_RUN_NOT_FOUND' });
  });

  it('with the workflow off every workflow route answers 404 DPM_WORKFLOW_DISABLED', async () => {
    const api = await start({ DPM_WORKFLOW_ENABLED: 'false' });
    const runId = String((await api.simulate(REQUESTS.PENDING_REVIEW, { key: 'key-off', correlation: 'corr-off' }))['rebalance_run_id']);
    const gets = ['', '/history'].flatMap((suffix) =>
      [`/rebalance/runs/${runId}`, '/rebalance/runs/by-correlation/corr-off', '/rebalance/runs/idempotency/key-off'].map((prefix) => `${prefix}/workflow${suffix}`),
    );
    for (const url of [...gets, '/rebalance/workflow/decisions', '/rebalance/workflow/decisions/by-correlation/corr-off']) {
      expect((await api.get(url)).body, url).toMatchObject({ detail: 'DPM_WORKFLOW_DISABLED' });
    }
    for (const prefix of [`/rebalance/runs/${runId}`, '/rebalance/runs/by-correlation/corr-off', '/rebalance/runs/idempotency/key-off']) {
      const response = await api.post(`${prefix}/workflow/actions`, decide('APPROVE', 'REVIEW_APPROVED'));
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ detail: 'DPM_WORKFLOW_DISABLED' });
    }
  });
});
