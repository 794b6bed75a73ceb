/**
 * Authentication on the real process (docs/security.md): a wrong API_AUTH_* configuration refuses
 * to start with every code (exit 78); and with JWT on, PRODUCTION on a real PostgreSQL, a proposal
 * goes from draft to executed with four different subjects, each holding only the role its step
 * needs, while nobody without a token, and nobody approving their own work, gets anywhere. The
 * recorded trail names the verified subjects.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROPOSAL_REQUEST_EXAMPLE } from '../../src/http/routes/proposals/simulation.ts';
import { startIdentityProvider, type Person, type TestIdentityProvider } from '../support/identity-provider.ts';
import { freshDatabase, type TestDatabase } from '../support/postgres.ts';
import { productionEnv, runCli, startService, type RunningService } from '../support/service-process.ts';

type Json = Record<string, unknown>;

const printedCodes = (stderr: string): string[] =>
  stderr
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(':')[0] ?? '');

describe('a wrong authentication configuration', () => {
  it('JWT without issuer, audience or keys: exit 78 with every code', async () => {
    const result = await runCli(['serve'], { API_AUTH_MODE: 'JWT', PORT: '0' });
    expect(result.code).toBe(78);
    expect(printedCodes(result.stderr)).toEqual(['API_AUTH_ISSUER_REQUIRED', 'API_AUTH_AUDIENCE_REQUIRED', 'API_AUTH_KEY_SOURCE_INVALID']);
    expect(result.stdout).not.toContain('"msg":"Serving"');
  });

  it('a role map that is not JSON: exit 78 with API_AUTH_ROLE_MAP_INVALID', async () => {
    const env = { API_AUTH_MODE: 'JWT', API_AUTH_ISSUER: 'https://idp.example', API_AUTH_AUDIENCE: 'dpm', API_AUTH_JWKS_URL: 'https://idp.example/jwks', API_AUTH_ROLE_MAP: '{"risk": [' };
    const result = await runCli(['serve'], { ...env, PORT: '0' });
    expect(result.code).toBe(78);
    expect(printedCodes(result.stderr)).toEqual(['API_AUTH_ROLE_MAP_INVALID']);
  });
});

describe('PRODUCTION with JWT on PostgreSQL: a proposal from draft to executed by four people', () => {
  const alice: Person = { sub: 'alice@bank.example', roles: ['adviser'] };
  const bob: Person = { sub: 'bob@bank.example', roles: ['risk_officer'] };
  const carol: Person = { sub: 'carol@bank.example', roles: ['adviser'] };
  const dave: Person = { sub: 'dave@bank.example', roles: ['operations'] };
  let idp: TestIdentityProvider;
  let database: TestDatabase;
  let service: RunningService;

  async function call(who: Person | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${service.baseUrl}${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(who ? { authorization: await idp.bearer(who) } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Json, challenge: response.headers.get('www-authenticate') };
  }

  beforeAll(async () => {
    [idp, database] = await Promise.all([startIdentityProvider(), freshDatabase()]);
    const env = productionEnv(database.dsn, idp.env());
    const migrated = await runCli(['migrate'], env);
    expect(migrated.code, migrated.stderr).toBe(0);
    service = await startService(env);
  });

  afterAll(async () => {
    if (service) expect(await service.stop('SIGTERM')).toBe(0);
    await database?.drop();
    await idp?.close();
  });

  it('readiness stays open and reports no warning; the document shows the bearer scheme', async () => {
    const ready = await call(null, 'GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body['production_readiness']).toEqual({ ready: true, violations: [], warnings: [] });
    const doc = await call(null, 'GET', '/openapi.json');
    expect(Object.keys((doc.body['components'] as Json)['securitySchemes'] as Json)).toEqual(['bearerAuth']);
  });

  it('draft → risk review → approved → consent → executed, each step by its own subject', async () => {
    const anonymous = await call(null, 'POST', '/rebalance/proposals', { created_by: 'mallory', simulate_request: PROPOSAL_REQUEST_EXAMPLE }, { 'idempotency-key': 'e2e-anon' });
    expect({ status: anonymous.status, code: anonymous.body['code'], challenge: anonymous.challenge }).toEqual({
      status: 401,
      code: 'AUTH_TOKEN_MISSING',
      challenge: 'Bearer realm="dpm-rebalance", error="invalid_token"',
    });

    const created = await call(alice, 'POST', '/rebalance/proposals', { created_by: alice.sub, simulate_request: PROPOSAL_REQUEST_EXAMPLE }, { 'idempotency-key': 'e2e-lifecycle' });
    expect(created.status).toBe(200);
    const id = String((created.body['proposal'] as Json)['proposal_id']);
    const move = (who: Person, event: string, from: string) => call(who, 'POST', `/rebalance/proposals/${id}/transitions`, { event_type: event, actor_id: who.sub, expected_state: from });
    const decide = (who: Person, type: string, from: string) => call(who, 'POST', `/rebalance/proposals/${id}/approvals`, { approval_type: type, approved: true, actor_id: who.sub, expected_state: from });

    expect((await move(alice, 'SUBMITTED_FOR_RISK_REVIEW', 'DRAFT')).status).toBe(200);
    expect((await decide(alice, 'RISK', 'RISK_REVIEW')).body['code']).toBe('AUTH_PERMISSION_DENIED');
    // Even with the risk role, the author may not approve her own proposal.
    const aliceAsRisk: Person = { sub: alice.sub, roles: ['adviser', 'risk_officer'] };
    expect((await decide(aliceAsRisk, 'RISK', 'RISK_REVIEW')).body['code']).toBe('SEGREGATION_OF_DUTIES_VIOLATION');
    expect((await decide(bob, 'RISK', 'RISK_REVIEW')).status).toBe(200);
    expect((await decide(dave, 'CLIENT_CONSENT', 'AWAITING_CLIENT_CONSENT')).body['code']).toBe('AUTH_PERMISSION_DENIED');
    expect((await decide(carol, 'CLIENT_CONSENT', 'AWAITING_CLIENT_CONSENT')).status).toBe(200);
    const executed = await move(dave, 'EXECUTED', 'EXECUTION_READY');
    expect(executed.status).toBe(200);
    expect(executed.body['current_state']).toBe('EXECUTED');

    const events = (await call(bob, 'GET', `/rebalance/proposals/${id}/workflow-events`)).body['events'] as Json[];
    expect(events.map((e) => [e['event_type'], e['actor_id']])).toEqual([
      ['CREATED', alice.sub],
      ['SUBMITTED_FOR_RISK_REVIEW', alice.sub],
      ['RISK_APPROVED', bob.sub],
      ['CLIENT_CONSENT_RECORDED', carol.sub],
      ['EXECUTED', dave.sub],
    ]);
    const approvals = (await call(dave, 'GET', `/rebalance/proposals/${id}/approvals`)).body['approvals'] as Json[];
    expect(approvals.map((a) => [a['approval_type'], a['actor_id']])).toEqual([
      ['RISK', bob.sub],
      ['CLIENT_CONSENT', carol.sub],
    ]);
    const refused = (await call(dave, 'GET', `/rebalance/proposals/${id}/refused-attempts`)).body['refused_attempts'] as Json[];
    expect(refused.map((a) => [a['action'], a['actor_id'], a['reason_code']])).toEqual([['APPROVAL:RISK', alice.sub, 'SEGREGATION_OF_DUTIES_VIOLATION']]);
  });
});
