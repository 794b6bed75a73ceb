/**
 * The lifecycle routes' OpenAPI response documentation, and proof that documenting them changed
 * nothing on the wire: the bodies are still exactly what the services return (every field, in
 * the services' key order), and the documented examples have the keys of real responses in the
 * same order.
 */
import { Value } from '@sinclair/typebox/value';
import type { TSchema } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROPOSAL_REQUEST_EXAMPLE } from '../../src/http/routes/proposal-simulation.ts';
import * as examples from '../../src/http/routes/proposal-lifecycle-examples.ts';
import * as schemas from '../../src/http/routes/proposal-lifecycle-schemas.ts';
import { createProposalLifecycleService } from '../../src/services/proposal-lifecycle.ts';
import { createProposalQueries } from '../../src/services/proposal-queries.ts';
import { call, DEFAULT_SETTINGS, idOf, openBackend, startHarness, type Harness, type Json, type OpenedBackend } from './proposal-lifecycle.support.ts';

type Media = { schema?: unknown; example?: unknown };
type Operation = { tags?: string[]; responses: Record<string, { content?: Record<string, Media> }> };

/** Every lifecycle and support operation (the simulate/artifact routes are another plugin). */
const OPERATIONS = [
  'get /rebalance/proposals',
  'post /rebalance/proposals',
  'post /rebalance/proposals/async',
  'get /rebalance/proposals/{proposal_id}',
  'get /rebalance/proposals/{proposal_id}/versions/{version_no}',
  'post /rebalance/proposals/{proposal_id}/versions/{version_no}/reproduce',
  'post /rebalance/proposals/{proposal_id}/versions',
  'post /rebalance/proposals/{proposal_id}/versions/async',
  'post /rebalance/proposals/{proposal_id}/transitions',
  'post /rebalance/proposals/{proposal_id}/approvals',
  'get /rebalance/proposals/{proposal_id}/approvals',
  'get /rebalance/proposals/{proposal_id}/workflow-events',
  'get /rebalance/proposals/{proposal_id}/lineage',
  'get /rebalance/proposals/supportability/config',
  'get /rebalance/proposals/idempotency/{idempotency_key}',
  'get /rebalance/proposals/operations/{operation_id}',
  'get /rebalance/proposals/operations/by-correlation/{correlation_id}',
];

const keys = (value: unknown): string[] => Object.keys(value as Json);

let opened: OpenedBackend;
let harness: Harness;

beforeAll(async () => {
  opened = await openBackend('POSTGRES');
  // No worker: the async create below stays PENDING, so its operation body is stable to compare.
  harness = await startHarness(opened, 'POSTGRES', { asyncWorkerEnabled: false });
});
afterAll(async () => {
  await harness.close();
  await opened.close();
});

describe('lifecycle OpenAPI responses', () => {
  it('documents a 2xx JSON schema with an example, and an example for every error, on every /rebalance/proposals operation', async () => {
    const doc = (await call(harness.app, 'GET', '/openapi.json')).body as { paths: Record<string, Record<string, Operation>> };
    const documented = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/rebalance/proposals'))
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method} ${path}`));
    expect(documented.sort()).toEqual([...OPERATIONS].sort());

    for (const operation of OPERATIONS) {
      const [method, path] = operation.split(' ') as [string, string];
      const responses = doc.paths[path]?.[method]?.responses ?? {};
      const ok = Object.keys(responses).filter((status) => status.startsWith('2'));
      expect(ok, operation).toHaveLength(1);
      for (const [status, response] of Object.entries(responses)) {
        const media = response.content?.['application/json'];
        expect(media?.schema, `${operation} ${status} schema`).toBeDefined();
        expect(media?.example, `${operation} ${status} example`).toBeDefined();
      }
    }
  });

  it('has examples that satisfy their own schemas', () => {
    const documented: [TSchema, unknown][] = [
      [schemas.CreateResponseSchema, examples.CREATE_RESPONSE_EXAMPLE],
      [schemas.DetailResponseSchema, examples.DETAIL_RESPONSE_EXAMPLE],
      [schemas.VersionDetailSchema, examples.VERSION_EXAMPLE],
      [schemas.ListResponseSchema, examples.LIST_RESPONSE_EXAMPLE],
      [schemas.TransitionResponseSchema, examples.TRANSITION_RESPONSE_EXAMPLE],
      [schemas.ApprovalResponseSchema, examples.APPROVAL_RESPONSE_EXAMPLE],
      [schemas.TimelineResponseSchema, examples.TIMELINE_EXAMPLE],
      [schemas.ApprovalsResponseSchema, examples.APPROVALS_EXAMPLE],
      [schemas.LineageResponseSchema, examples.LINEAGE_EXAMPLE],
      [schemas.IdempotencyLookupSchema, examples.IDEMPOTENCY_EXAMPLE],
      [schemas.AcceptedResponseSchema, examples.ACCEPTED_EXAMPLE],
      [schemas.OperationStatusSchema, examples.OPERATION_EXAMPLE],
      [schemas.SupportabilityConfigSchema, examples.SUPPORTABILITY_CONFIG_EXAMPLE],
    ];
    for (const [schema, example] of documented) expect([...Value.Errors(schema, example)].map((e) => `${e.path}: ${e.message}`)).toEqual([]);
    for (const schema of Object.values(schemas.errorResponses({ 400: '', 404: '', 409: '', 422: '', 503: '' }))) {
      expect(Value.Check(schema, (schema as { examples: unknown[] }).examples[0])).toBe(true);
    }
  });
});

describe('lifecycle responses are sent as the services return them', () => {
  const createBody = { created_by: 'advisor_01', simulate_request: PROPOSAL_REQUEST_EXAMPLE, metadata: { title: 'Q1 top-up', jurisdiction: 'SG', mandate_id: 'mandate_001' } };
  const lifecycle = () => createProposalLifecycleService({ store: opened.store, config: DEFAULT_SETTINGS });
  const queries = () => createProposalQueries(opened.store);

  it('create, version, get and get-version: every field, byte for byte, in the order of the documented example', async () => {
    const created = await harness.app.inject({ method: 'POST', url: '/rebalance/proposals', headers: { 'idempotency-key': 'oa-create-1' }, payload: createBody });
    expect(created.statusCode).toBe(200);
    const id = idOf(created.json<Json>());
    // The service's own answer to the same key (its stored original): nothing dropped, nothing added.
    const replayed = await lifecycle().create({ body: createBody, idempotencyKey: 'oa-create-1', correlationId: 'corr_unused' });
    expect(replayed.replayed).toBe(true);
    expect(created.json()).toEqual(replayed.response);

    const version = await harness.app.inject({
      method: 'POST',
      url: `/rebalance/proposals/${id}/versions`,
      headers: { 'idempotency-key': 'oa-version-2' },
      payload: { created_by: 'advisor_01', simulate_request: PROPOSAL_REQUEST_EXAMPLE },
    });
    expect(version.statusCode).toBe(200);
    const versionReplay = await lifecycle().createVersion({
      proposalId: id,
      body: { created_by: 'advisor_01', simulate_request: PROPOSAL_REQUEST_EXAMPLE },
      idempotencyKey: 'oa-version-2',
      correlationId: 'corr_unused',
    });
    expect(version.json()).toEqual(versionReplay.response);

    // Reads: the body is exactly JSON.stringify of what the query service returns — same fields, same order.
    for (const include of [true, false]) {
      const detail = await harness.app.inject({ url: `/rebalance/proposals/${id}?include_evidence=${include}` });
      expect(detail.body).toBe(JSON.stringify(await queries().get(id, include)));
      const one = await harness.app.inject({ url: `/rebalance/proposals/${id}/versions/1?include_evidence=${include}` });
      expect(one.body).toBe(JSON.stringify(await queries().getVersion(id, 1, include)));
    }

    const body = created.json<Json>();
    expect(keys(body)).toEqual(keys(examples.CREATE_RESPONSE_EXAMPLE));
    expect(keys(body['proposal'])).toEqual(keys(examples.SUMMARY_EXAMPLE));
    expect(keys(body['version'])).toEqual(keys(examples.VERSION_EXAMPLE));
    expect(keys(body['latest_workflow_event'])).toEqual(keys(examples.CREATED_EVENT_EXAMPLE));
    // The open-ended engine bodies keep fields no schema names.
    const result = (body['version'] as Json)['proposal_result'] as Json;
    expect(keys(result)).toEqual(expect.arrayContaining(['before', 'intents', 'after_simulated', 'rule_results', 'suitability', 'lineage']));
    expect(keys(result).slice(0, 3)).toEqual(keys(examples.VERSION_EXAMPLE.proposal_result));
    const detail = await call(harness.app, 'GET', `/rebalance/proposals/${id}`);
    expect(keys(detail.body)).toEqual(keys(examples.DETAIL_RESPONSE_EXAMPLE));
  });

  it('every other route: the documented example has the keys of the real body, in order', async () => {
    const app = harness.app;
    const id = idOf((await call(app, 'POST', '/rebalance/proposals', createBody, { 'idempotency-key': 'oa-create-2' })).body);
    const moved = await call(app, 'POST', `/rebalance/proposals/${id}/transitions`, { event_type: 'SUBMITTED_FOR_RISK_REVIEW', actor_id: 'advisor_01', expected_state: 'DRAFT' });
    const approved = await call(app, 'POST', `/rebalance/proposals/${id}/approvals`, {
      approval_type: 'RISK',
      approved: true,
      actor_id: 'risk_01',
      expected_state: 'RISK_REVIEW',
      details: { comment: 'Within mandate.' },
    });
    const accepted = await call(app, 'POST', '/rebalance/proposals/async', createBody, { 'idempotency-key': 'oa-create-3', 'x-correlation-id': 'corr_oa_1' });
    const operationId = accepted.body['operation_id'] as string;
    const real: [string, Json, unknown][] = [
      ['transition', moved.body, examples.TRANSITION_RESPONSE_EXAMPLE],
      ['transition event', moved.body['latest_workflow_event'] as Json, examples.TRANSITION_RESPONSE_EXAMPLE.latest_workflow_event],
      ['approval', approved.body, examples.APPROVAL_RESPONSE_EXAMPLE],
      ['approval record', approved.body['approval'] as Json, examples.APPROVAL_EXAMPLE],
      ['list', (await call(app, 'GET', '/rebalance/proposals?limit=1')).body, examples.LIST_RESPONSE_EXAMPLE],
      ['timeline', (await call(app, 'GET', `/rebalance/proposals/${id}/workflow-events`)).body, examples.TIMELINE_EXAMPLE],
      ['approvals', (await call(app, 'GET', `/rebalance/proposals/${id}/approvals`)).body, examples.APPROVALS_EXAMPLE],
      ['lineage', (await call(app, 'GET', `/rebalance/proposals/${id}/lineage`)).body, examples.LINEAGE_EXAMPLE],
      ['idempotency', (await call(app, 'GET', '/rebalance/proposals/idempotency/oa-create-2')).body, examples.IDEMPOTENCY_EXAMPLE],
      ['accepted', accepted.body, examples.ACCEPTED_EXAMPLE],
      ['operation', (await call(app, 'GET', `/rebalance/proposals/operations/${operationId}`)).body, examples.OPERATION_EXAMPLE],
      ['by correlation', (await call(app, 'GET', '/rebalance/proposals/operations/by-correlation/corr_oa_1')).body, examples.OPERATION_EXAMPLE],
      ['config', (await call(app, 'GET', '/rebalance/proposals/supportability/config')).body, examples.SUPPORTABILITY_CONFIG_EXAMPLE],
      ['error', (await call(app, 'GET', '/rebalance/proposals/pp_missing')).body, examples.ERROR_EXAMPLES[404]],
    ];
    for (const [name, body, example] of real) expect(keys(body), name).toEqual(keys(example));
    expect(keys((real[6]?.[1]['approvals'] as Json[])[0])).toEqual(keys(examples.APPROVAL_EXAMPLE));
    expect(keys((real[7]?.[1]['versions'] as Json[])[0])).toEqual(keys(examples.LINEAGE_EXAMPLE.versions[0]));
  });
});
