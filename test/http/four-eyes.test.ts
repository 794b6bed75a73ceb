/**
 * An audit trail that cannot be forged, and no one approving their own work
 * (docs/security.md#the-audit-trail, #four-eyes), with API_AUTH_MODE=JWT on IN_MEMORY and on
 * PostgreSQL: an actor name that is not the token's subject is refused with nothing written; the
 * recorded actors are the verified subjects; the author of a proposal or of its current version
 * cannot give its RISK or COMPLIANCE approval, and the requester of a run cannot approve it — each
 * refusal recorded as a refused attempt; each move needs its own permission.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app/app.ts';
import { PROPOSAL_REQUEST_EXAMPLE } from '../../src/http/routes/proposals/simulation.ts';
import { dpmVector, startApp, WHAT_IF_BATCH } from '../support/dpm-api.ts';
import { startIdentityProvider, type Person, type TestIdentityProvider } from '../support/identity-provider.ts';
import { freshDatabase, type TestDatabase } from '../support/postgres.ts';

type Json = Record<string, unknown>;

const alice: Person = { sub: 'alice', roles: ['adviser'] };
const bob: Person = { sub: 'bob', roles: ['risk_officer'] };
const carol: Person = { sub: 'carol', roles: ['compliance_officer'] };
/** An adviser who is also a risk and compliance officer: four-eyes must stop her on her own work. */
const erin: Person = { sub: 'erin', roles: ['adviser', 'risk_officer', 'compliance_officer'] };
const pm1: Person = { sub: 'pm1', roles: ['portfolio_manager'] };
const pm2: Person = { sub: 'pm2', roles: ['portfolio_manager'] };
const admin: Person = { sub: 'root', roles: ['admin'] };

const REVIEW = dpmVector('scenario_05_constraint_fail').request;
let counter = 0;
const unique = (prefix: string): string => `${prefix}-${(counter += 1)}`;

for (const backend of ['IN_MEMORY', 'POSTGRES'] as const) {
  describe(`who acts, on ${backend}`, () => {
    let idp: TestIdentityProvider;
    let app: App;
    let database: TestDatabase | undefined;

    async function call(who: Person, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, headers: Record<string, string> = {}) {
      const response = await app.server.inject({ method, url, headers: { ...headers, authorization: await idp.bearer(who) }, ...(payload === undefined ? {} : { payload: payload as object }) });
      return { status: response.statusCode, body: response.body === '' ? {} : response.json<Json>() };
    }
    async function ok(who: Person, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, headers?: Record<string, string>): Promise<Json> {
      const response = await call(who, method, url, payload, headers);
      expect(response.status, `${method} ${url} as ${who.sub}: ${JSON.stringify(response.body).slice(0, 300)}`).toBeLessThan(300);
      return response.body;
    }
    const refusal = async (promise: ReturnType<typeof call>) => {
      const { status, body } = await promise;
      return { status, code: body['code'], detail: body['detail'] };
    };

    async function propose(who: Person): Promise<string> {
      const created = await ok(who, 'POST', '/rebalance/proposals', { created_by: who.sub, simulate_request: PROPOSAL_REQUEST_EXAMPLE }, { 'idempotency-key': unique('eyes') });
      return String((created['proposal'] as Json)['proposal_id']);
    }
    const move = (who: Person, id: string, event: string, from: string, actor = who.sub) => call(who, 'POST', `/rebalance/proposals/${id}/transitions`, { event_type: event, actor_id: actor, expected_state: from });
    const decide = (who: Person, id: string, type: string, from: string, approved = true, actor = who.sub) =>
      call(who, 'POST', `/rebalance/proposals/${id}/approvals`, { approval_type: type, approved, actor_id: actor, expected_state: from });
    const state = async (id: string) => ((await ok(alice, 'GET', `/rebalance/proposals/${id}`))['proposal'] as Json)['current_state'];

    beforeAll(async () => {
      idp = await startIdentityProvider();
      database = backend === 'POSTGRES' ? await freshDatabase() : undefined;
      const stores: Record<string, string> = database
        ? { DPM_SUPPORTABILITY_STORE_BACKEND: 'POSTGRES', DPM_SUPPORTABILITY_POSTGRES_DSN: database.dsn, PROPOSAL_STORE_BACKEND: 'POSTGRES', PROPOSAL_POSTGRES_DSN: database.dsn }
        : {};
      app = await startApp({
        ...idp.env(),
        ...stores,
        DPM_WORKFLOW_ENABLED: 'true',
        DPM_POLICY_PACK_ADMIN_APIS_ENABLED: 'true',
        DPM_POLICY_PACK_CATALOG_BACKEND: 'SQLITE',
        DPM_POLICY_PACK_SQLITE_PATH: ':memory:',
        DPM_POLICY_PACK_ADMIN_TOKEN: 'the-static-admin-token',
      });
    }, 120_000);

    afterAll(async () => {
      await app?.close();
      await database?.drop();
      await idp?.close();
    });

    it('a body actor that is not the subject is refused and nothing is written; the recorded actors are the subjects', async () => {
      const before = ((await ok(alice, 'GET', '/rebalance/proposals?limit=100'))['items'] as unknown[]).length;
      expect(await refusal(call(alice, 'POST', '/rebalance/proposals', { created_by: 'mallory', simulate_request: PROPOSAL_REQUEST_EXAMPLE }, { 'idempotency-key': unique('forged') }))).toEqual({
        status: 403,
        code: 'AUTH_ACTOR_MISMATCH',
        detail: 'AUTH_ACTOR_MISMATCH:created_by',
      });
      expect(((await ok(alice, 'GET', '/rebalance/proposals?limit=100'))['items'] as unknown[]).length).toBe(before);

      const id = await propose(alice);
      expect(await refusal(move(alice, id, 'SUBMITTED_FOR_RISK_REVIEW', 'DRAFT', 'chief_risk_officer'))).toEqual({ status: 403, code: 'AUTH_ACTOR_MISMATCH', detail: 'AUTH_ACTOR_MISMATCH:actor_id' });
      expect(await state(id)).toBe('DRAFT');
      await ok(alice, 'POST', `/rebalance/proposals/${id}/transitions`, { event_type: 'SUBMITTED_FOR_RISK_REVIEW', actor_id: 'alice', expected_state: 'DRAFT' });
      expect(await refusal(decide(bob, id, 'RISK', 'RISK_REVIEW', true, 'chief_risk_officer'))).toMatchObject({ status: 403, code: 'AUTH_ACTOR_MISMATCH' });
      expect((await decide(bob, id, 'RISK', 'RISK_REVIEW')).status).toBe(200);
      const events = (await ok(alice, 'GET', `/rebalance/proposals/${id}/workflow-events`))['events'] as Json[];
      expect(events.map((e) => [e['event_type'], e['actor_id']])).toEqual([
        ['CREATED', 'alice'],
        ['SUBMITTED_FOR_RISK_REVIEW', 'alice'],
        ['RISK_APPROVED', 'bob'],
      ]);
      expect(((await ok(alice, 'GET', `/rebalance/proposals/${id}/approvals`))['approvals'] as Json[]).map((a) => a['actor_id'])).toEqual(['bob']);
    });

    it('each move needs its own permission: an adviser may submit but not decide the risk review', async () => {
      const id = await propose(alice);
      await ok(alice, 'POST', `/rebalance/proposals/${id}/transitions`, { event_type: 'SUBMITTED_FOR_RISK_REVIEW', actor_id: 'alice', expected_state: 'DRAFT' });
      for (const event of ['RISK_APPROVED', 'REJECTED']) {
        expect(await refusal(move(alice, id, event, 'RISK_REVIEW'))).toEqual({ status: 403, code: 'AUTH_PERMISSION_DENIED', detail: 'AUTH_PERMISSION_DENIED:proposals.approve_risk' });
      }
      expect(await refusal(decide(carol, id, 'RISK', 'RISK_REVIEW'))).toEqual({ status: 403, code: 'AUTH_PERMISSION_DENIED', detail: 'AUTH_PERMISSION_DENIED:proposals.approve_risk' });
      expect(await state(id)).toBe('RISK_REVIEW');
    });

    it('four-eyes on proposals: the creator cannot approve by /approvals nor by /transitions; the refusals are recorded; a colleague can', async () => {
      const id = await propose(erin);
      await ok(erin, 'POST', `/rebalance/proposals/${id}/transitions`, { event_type: 'SUBMITTED_FOR_RISK_REVIEW', actor_id: 'erin', expected_state: 'DRAFT' });
      expect(await refusal(decide(erin, id, 'RISK', 'RISK_REVIEW'))).toEqual({ status: 403, code: 'SEGREGATION_OF_DUTIES_VIOLATION', detail: 'SEGREGATION_OF_DUTIES_VIOLATION' });
      expect(await refusal(move(erin, id, 'RISK_APPROVED', 'RISK_REVIEW'))).toMatchObject({ status: 403, code: 'SEGREGATION_OF_DUTIES_VIOLATION' });
      expect(await state(id)).toBe('RISK_REVIEW');
      const attempts = (await ok(alice, 'GET', `/rebalance/proposals/${id}/refused-attempts`))['refused_attempts'] as Json[];
      expect(attempts).toEqual([
        expect.objectContaining({ action: 'APPROVAL:RISK', actor_id: 'erin', reason_code: 'SEGREGATION_OF_DUTIES_VIOLATION', details: expect.objectContaining({ authors: ['erin'], approval_type: 'RISK' }) }),
        expect.objectContaining({ action: 'TRANSITION:RISK_APPROVED', actor_id: 'erin', reason_code: 'SEGREGATION_OF_DUTIES_VIOLATION' }),
      ]);
      expect(((await ok(alice, 'GET', `/rebalance/proposals/${id}/approvals`))['approvals'] as unknown[])).toEqual([]);
      expect((await decide(bob, id, 'RISK', 'RISK_REVIEW')).status).toBe(200);
      expect(await state(id)).toBe('AWAITING_CLIENT_CONSENT');
    });

    it('four-eyes follows the current version: its author is refused as well as the creator, anyone else may approve', async () => {
      const id = await propose(alice);
      await ok(erin, 'POST', `/rebalance/proposals/${id}/versions`, { created_by: 'erin', simulate_request: PROPOSAL_REQUEST_EXAMPLE });
      await ok(alice, 'POST', `/rebalance/proposals/${id}/transitions`, { event_type: 'SUBMITTED_FOR_COMPLIANCE_REVIEW', actor_id: 'alice', expected_state: 'DRAFT' });
      expect(await refusal(decide(erin, id, 'COMPLIANCE', 'COMPLIANCE_REVIEW'))).toMatchObject({ status: 403, code: 'SEGREGATION_OF_DUTIES_VIOLATION' });
      const creatorAsOfficer: Person = { sub: 'alice', roles: ['adviser', 'compliance_officer'] };
      expect(await refusal(decide(creatorAsOfficer, id, 'COMPLIANCE', 'COMPLIANCE_REVIEW'))).toMatchObject({ status: 403, code: 'SEGREGATION_OF_DUTIES_VIOLATION' });
      const attempts = (await ok(alice, 'GET', `/rebalance/proposals/${id}/refused-attempts`))['refused_attempts'] as Json[];
      expect(attempts.map((a) => [a['actor_id'], (a['details'] as Json)['authors']])).toEqual([
        ['erin', ['alice', 'erin']],
        ['alice', ['alice', 'erin']],
      ]);
      expect((await decide(carol, id, 'COMPLIANCE', 'COMPLIANCE_REVIEW')).status).toBe(200);
    });

    it('four-eyes on runs: the requester cannot approve (refused and recorded), may ask for changes; a colleague approves; an empty actor records the subject', async () => {
      const key = unique('eyes-run');
      const run = await ok(pm1, 'POST', '/rebalance/simulate', REVIEW, { 'idempotency-key': key });
      const runId = String(run['rebalance_run_id']);
      expect(run['status']).toBe('PENDING_REVIEW');
      expect((await app.dpmStore.getRun(runId))?.requested_by).toBe('pm1');
      const act = (who: Person, action: string, actor = who.sub) => call(who, 'POST', `/rebalance/runs/${runId}/workflow/actions`, { action, reason_code: 'REVIEWED', actor_id: actor });
      expect(await refusal(act(pm1, 'APPROVE'))).toEqual({ status: 403, code: 'SEGREGATION_OF_DUTIES_VIOLATION', detail: 'SEGREGATION_OF_DUTIES_VIOLATION' });
      expect(await refusal(act(pm2, 'APPROVE', 'pm1'))).toMatchObject({ status: 403, code: 'AUTH_ACTOR_MISMATCH' });
      expect((await act(pm1, 'REQUEST_CHANGES', '')).status).toBe(200);
      expect((await act(pm2, 'APPROVE')).status).toBe(200);
      const history = (await ok(pm1, 'GET', `/rebalance/runs/${runId}/workflow/history`))['decisions'] as Json[];
      expect(history.map((d) => [d['action'], d['actor_id']])).toEqual([
        ['REQUEST_CHANGES', 'pm1'],
        ['APPROVE', 'pm2'],
      ]);
      const refused = (await ok(pm1, 'GET', `/rebalance/runs/idempotency/${key}/workflow/refused-attempts`))['refused_attempts'] as Json[];
      expect(refused).toEqual([expect.objectContaining({ action: 'WORKFLOW:APPROVE', actor_id: 'pm1', details: { authors: ['pm1'], workflow_status: 'PENDING_REVIEW' } })]);
    });

    it('the requester is recorded with the runs of an analyze, sync and async', async () => {
      const sync = await ok(pm1, 'POST', '/rebalance/analyze', WHAT_IF_BATCH);
      const syncRun = Object.values(sync['results'] as Record<string, Json>)[0]?.['rebalance_run_id'];
      expect((await app.dpmStore.getRun(String(syncRun)))?.requested_by).toBe('pm1');
      const accepted = await ok(pm2, 'POST', '/rebalance/analyze/async', WHAT_IF_BATCH);
      const operation = await ok(pm2, 'GET', `/rebalance/operations/${String(accepted['operation_id'])}`);
      const asyncRun = Object.values((operation['result'] as Json)['results'] as Record<string, Json>)[0]?.['rebalance_run_id'];
      expect((await app.dpmStore.getRun(String(asyncRun)))?.requested_by).toBe('pm2');
    });

    it('policy-pack admin: the permission decides, not the static token; X-Actor must be the subject', async () => {
      const put = (headers: Record<string, string>) =>
        app.server.inject({ method: 'PUT', url: '/rebalance/policies/catalog/pack_eyes', payload: { version: '1' }, headers }).then((r) => ({ status: r.statusCode, code: r.json<Json>()['code'] }));
      expect(await put({ authorization: 'Bearer the-static-admin-token' })).toEqual({ status: 401, code: 'AUTH_TOKEN_INVALID' });
      expect(await put({ authorization: await idp.bearer(alice) })).toEqual({ status: 403, code: 'AUTH_PERMISSION_DENIED' });
      expect(await put({ authorization: await idp.bearer(admin), 'x-actor': 'someone-else' })).toEqual({ status: 403, code: 'AUTH_ACTOR_MISMATCH' });
      expect(await put({ authorization: await idp.bearer(admin), 'x-actor': 'root' })).toEqual({ status: 200, code: undefined });
    });
  });
}
