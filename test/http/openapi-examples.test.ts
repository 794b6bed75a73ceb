/**
 * Every documented request example is sent to the real app (docs/dpm-api.md "OpenAPI"): each
 * must get the operation's documented success status, and its response must match the
 * documented schema (checked by DocumentedResponses). Path parameters are filled with entities
 * the test creates first, headers with what the document requires.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app/app.ts';
import { startApp, dpmVector } from '../support/dpm-api.ts';
import { DocumentedResponses } from '../support/openapi-contract.ts';
import { PROPOSAL_REQUEST_EXAMPLE } from '../../src/http/routes/proposals/simulation.ts';

type Json = Record<string, unknown>;
interface Operation {
  operationId: string;
  parameters?: { name: string; in: string; required: boolean; example?: unknown }[];
  requestBody?: { content: Record<string, { examples?: Record<string, { value: unknown }> }> };
  responses: Record<string, unknown>;
}

const TOKEN = 'example-admin-token';
let app: App;
let contract: DocumentedResponses;
let sequence = 0;

async function send(method: string, url: string, payload?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Json }> {
  const response = await app.server.inject({ method: method as 'POST', url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { status: response.statusCode, body: response.body === '' ? {} : response.json<Json>() };
}

/** A fresh run that needs review (so an APPROVE example applies). */
async function pendingRun(): Promise<{ id: string; correlation: string; key: string }> {
  sequence += 1;
  const key = `example-run-${sequence}`;
  const correlation = `corr-example-run-${sequence}`;
  const request = dpmVector('scenario_05_constraint_fail').request;
  const result = await send('POST', '/rebalance/simulate', request, { 'idempotency-key': key, 'x-correlation-id': correlation });
  expect(result.body['status']).toBe('PENDING_REVIEW');
  return { id: String(result.body['rebalance_run_id']), correlation, key };
}

/** A fresh DRAFT proposal, optionally moved to RISK_REVIEW. */
async function proposal(state: 'DRAFT' | 'RISK_REVIEW' = 'DRAFT'): Promise<string> {
  sequence += 1;
  const created = await send('POST', '/rebalance/proposals', { created_by: 'advisor_01', simulate_request: PROPOSAL_REQUEST_EXAMPLE }, { 'idempotency-key': `example-proposal-${sequence}` });
  const id = String((created.body['proposal'] as Json)['proposal_id']);
  if (state === 'RISK_REVIEW') {
    await send('POST', `/rebalance/proposals/${id}/transitions`, { event_type: 'SUBMITTED_FOR_RISK_REVIEW', actor_id: 'advisor_01', expected_state: 'DRAFT' });
  }
  return id;
}

/** Path parameters for one operation, from entities it can act on. */
async function pathParameters(operationId: string, names: readonly string[], examples: Json): Promise<Json> {
  if (operationId.startsWith('apply_dpm_run_workflow_action')) {
    const run = await pendingRun();
    return { rebalance_run_id: run.id, correlation_id: run.correlation, idempotency_key: run.key };
  }
  if (operationId.startsWith('record_proposal_approval')) return { proposal_id: await proposal('RISK_REVIEW') };
  if (names.includes('proposal_id')) return { proposal_id: await proposal() };
  return examples;
}

beforeAll(async () => {
  app = await startApp({
    DPM_WORKFLOW_ENABLED: 'true',
    DPM_POLICY_PACK_CATALOG_BACKEND: 'SQLITE',
    DPM_POLICY_PACK_SQLITE_PATH: join(mkdtempSync(join(tmpdir(), 'examples-')), 'packs.db'),
    DPM_POLICY_PACK_ADMIN_APIS_ENABLED: 'true',
    DPM_POLICY_PACK_ADMIN_TOKEN: TOKEN,
  });
  contract = new DocumentedResponses().attach(app.server);
});
afterAll(() => app.close());

describe('documented request examples, sent to the real app', () => {
  it('each gets its operation\'s success status and a response matching the document', async () => {
    const doc = (await app.server.inject({ url: '/openapi.json' })).json<{ paths: Record<string, Record<string, Operation>> }>();
    let sent = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const examples = op.requestBody?.content['application/json']?.examples ?? {};
        const success = Object.keys(op.responses).find((status) => status.startsWith('2'));
        for (const [name, example] of Object.entries(examples)) {
          const params = op.parameters ?? [];
          const pathNames = params.filter((p) => p.in === 'path').map((p) => p.name);
          const values = await pathParameters(op.operationId, pathNames, Object.fromEntries(params.filter((p) => p.in === 'path').map((p) => [p.name, p.example])));
          const url = path.replace(/\{([^}]+)\}/g, (_m, key: string) => encodeURIComponent(String(values[key])));
          sequence += 1;
          const headers: Record<string, string> = { 'x-correlation-id': `corr-example-${sequence}` };
          for (const p of params.filter((p) => p.in === 'header' && p.required)) headers[p.name.toLowerCase()] = `example-${op.operationId}-${name}-${sequence}`;
          if (path.startsWith('/rebalance/policies/catalog/') && method !== 'get') headers['authorization'] = `Bearer ${TOKEN}`;
          const response = await send(method.toUpperCase(), url, example.value, headers);
          expect(`${op.operationId} ${name}: ${response.status}`, JSON.stringify(response.body).slice(0, 300)).toBe(`${op.operationId} ${name}: ${success}`);
          sent += 1;
        }
      }
    }
    expect(sent).toBe(15);
    expect(contract.violations).toEqual([]);
  }, 120_000);
});
