/**
 * The console's pure logic, checked against the service's real document and real results: what
 * it detects in the OpenAPI document, how it reads error bodies and explains refusals, who a token
 * says the user is and what their roles permit, the rows of the allocation chart, and a reproduce
 * report's part-by-part verdict.
 */
import { describe, expect, it } from 'vitest';
import { readCapabilities } from '../../console/src/api/capabilities.ts';
import { apiErrorFrom, refusalHint } from '../../console/src/api/errors.ts';
import { identityOf } from '../../console/src/api/permissions.ts';
import { compareParts } from '../../console/src/lib/reproduce-parts.ts';
import type { ConsoleAccessConfig } from '../../src/domain/access/console-config.ts';
import { DEFAULT_ROLE_PERMISSIONS, PERMISSION_NAMES } from '../../src/domain/access/permissions.ts';
import type { RebalanceResult } from '../../console/src/api/results.ts';
import { allocationByAssetClass, allocationByInstrument } from '../../console/src/lib/allocation.ts';
import { serviceOpenApiDocument } from '../../scripts/console-api-types.ts';
import { conformanceVector } from '../support/conformance.ts';

describe('what the console detects in the OpenAPI document', () => {
  it('finds the service\'s reproduce route and documented examples, and, today, no dry run', async () => {
    const caps = readCapabilities(await serviceOpenApiDocument());
    expect(caps.reproduceRun).toEqual({ method: 'post', path: '/rebalance/runs/{rebalance_run_id}/reproduce' });
    expect(caps.dryRunSimulate).toBeNull();
    expect(caps.examplesFor('post', '/rebalance/proposals/simulate').length).toBeGreaterThan(0);
    expect(caps.examplesFor('post', '/rebalance/analyze').length).toBeGreaterThan(0);
  });

  it('finds a reproduce route and a dry-run simulate once a document has them', () => {
    const caps = readCapabilities({
      info: { version: '9.9.9' },
      paths: {
        '/rebalance/runs/{rebalance_run_id}/reproduce': { post: {} },
        '/rebalance/simulate': { post: { parameters: [{ in: 'query', name: 'dry_run' }] } },
      },
    });
    expect(caps.apiVersion).toBe('9.9.9');
    expect(caps.reproduceRun).toEqual({ method: 'post', path: '/rebalance/runs/{rebalance_run_id}/reproduce' });
    expect(caps.dryRunSimulate).toEqual({ method: 'post', path: '/rebalance/simulate' });
  });
});

describe('reading an error body', () => {
  it('takes the service\'s code, message and field errors', () => {
    const e = apiErrorFrom(422, { detail: 'VALIDATION_ERROR', code: 'VALIDATION_ERROR', message: 'bad', errors: [{ field: 'querystring.from', code: 'format', message: 'needs an offset' }] }, 'corr_1');
    expect(e).toMatchObject({ status: 422, code: 'VALIDATION_ERROR', message: 'bad', correlationId: 'corr_1' });
    expect(e.fields).toEqual([{ field: 'querystring.from', code: 'format', message: 'needs an offset' }]);
  });

  it('reads the reference\'s bare detail, with or without text after the code', () => {
    expect(apiErrorFrom(409, { detail: 'IDEMPOTENCY_KEY_CONFLICT: request hash mismatch' }, null)).toMatchObject({ code: 'IDEMPOTENCY_KEY_CONFLICT', message: 'IDEMPOTENCY_KEY_CONFLICT: request hash mismatch' });
    expect(apiErrorFrom(404, { detail: 'DPM_RUN_NOT_FOUND' }, null).code).toBe('DPM_RUN_NOT_FOUND');
  });

  it('reads FastAPI\'s validation list', () => {
    const e = apiErrorFrom(422, { detail: [{ type: 'missing', loc: ['header', 'Idempotency-Key'], msg: 'Field required' }] }, null);
    expect(e.code).toBe('HTTP_422');
    expect(e.fields).toEqual([{ field: 'header.Idempotency-Key', code: 'missing', message: 'Field required' }]);
  });
});

describe('the allocation chart rows', () => {
  const result = conformanceVector<{ expected: RebalanceResult }>('dpm', 'scenario_02_constraint_cap').expected;

  it('has one row per instrument held, targeted or bought, with the result\'s own decimals', () => {
    expect(allocationByInstrument(result)).toEqual([
      { key: 'EQ_1', before: null, target: '0.5', after: '0.5000' },
      { key: 'EQ_2', before: null, target: '0.5', after: '0.5000' },
    ]);
  });

  it('sums the instruments\' targets per asset class, cash taking what is left', () => {
    expect(allocationByAssetClass(result)).toEqual([
      { key: 'CASH', before: '1.0000', target: '0.0000', after: '0.0000' },
      { key: 'UNKNOWN', before: null, target: '1.0000', after: '1.0000' },
    ]);
  });
});

describe('explaining a 401 or 403', () => {
  it('names the missing permission, four-eyes and a foreign actor; other failures need no hint', () => {
    const denied = apiErrorFrom(403, { detail: 'AUTH_PERMISSION_DENIED:runs.review', code: 'AUTH_PERMISSION_DENIED', message: 'no' }, null);
    expect(denied.detail).toBe('AUTH_PERMISSION_DENIED:runs.review');
    expect(refusalHint(denied)).toContain('the permission runs.review');
    expect(refusalHint(apiErrorFrom(403, { code: 'SEGREGATION_OF_DUTIES_VIOLATION', message: 'no' }, null))).toMatch(/^Four-eyes/);
    expect(refusalHint(apiErrorFrom(403, { code: 'AUTH_ACTOR_MISMATCH', message: 'no' }, null))).toContain('signed-in subject');
    expect(refusalHint(apiErrorFrom(401, { code: 'AUTH_TOKEN_EXPIRED', message: 'old' }, null))).toContain('sign in again');
    expect(refusalHint(apiErrorFrom(404, { code: 'DPM_RUN_NOT_FOUND', message: 'gone' }, null))).toBeNull();
  });
});

describe('who the token says the user is', () => {
  const jwt = (claims: object): string => ['e30', Buffer.from(JSON.stringify(claims)).toString('base64url'), 'sig'].join('.');
  const config: ConsoleAccessConfig = { mode: 'JWT', oidc: null, subject_claim: 'sub', roles_claims: ['realm_access.roles'], role_permissions: DEFAULT_ROLE_PERMISSIONS };
  const now = Date.parse('2026-01-01T00:00:00Z');

  it('reads the subject and the roles where the service reads them, and maps them with the same table', () => {
    const identity = identityOf(config, jwt({ sub: 'bob@bank.example', realm_access: { roles: ['risk_officer', 'unknown'] }, exp: now / 1000 + 60 }), now);
    expect(identity).toMatchObject({ required: true, subject: 'bob@bank.example', roles: ['risk_officer', 'unknown'], expired: false });
    expect([...identity.permissions].sort()).toEqual([...(DEFAULT_ROLE_PERMISSIONS['risk_officer'] ?? [])].sort());
  });

  it('grants nothing without a readable token, sees an expired one, and everything without authentication', () => {
    expect(identityOf(config, '', now)).toMatchObject({ required: true, subject: null });
    expect(identityOf(config, 'not-a-jwt', now).permissions.size).toBe(0);
    expect(identityOf(config, jwt({ sub: 'a', exp: now / 1000 - 1 }), now).expired).toBe(true);
    const open = identityOf({ ...config, mode: 'NONE' }, '', now);
    expect(open.required).toBe(false);
    expect([...open.permissions]).toEqual(PERMISSION_NAMES);
  });
});

describe("a reproduce report's parts", () => {
  const parts = ['intents', 'diagnostics', 'status'];

  it('puts each difference under the part its path starts with, and matches the others', () => {
    expect(compareParts(parts, ['intents[0].quantity', 'intents[2].side', 'diagnostics.warnings[1]'], false)).toEqual([
      { part: 'intents', verdict: 'MISMATCH', differences: 2 },
      { part: 'diagnostics', verdict: 'MISMATCH', differences: 1 },
      { part: 'status', verdict: 'MATCH', differences: 0 },
    ]);
  });

  it('never claims a match from a cut-short list, and shows a difference no part holds under its own name', () => {
    expect(compareParts(['intents', 'intents_summary'], ['intents_summary.count', 'lineage.request_hash', '$'], true)).toEqual([
      { part: 'intents', verdict: 'NOT_LISTED', differences: 0 },
      { part: 'intents_summary', verdict: 'MISMATCH', differences: 1 },
      { part: 'lineage', verdict: 'MISMATCH', differences: 1 },
      { part: '$', verdict: 'MISMATCH', differences: 1 },
    ]);
  });
});
