/**
 * The OpenAPI document (docs/dpm-api.md "OpenAPI"): valid OAS 3.1 for swagger-parser and
 * `redocly lint` (zero errors), and what a client generated from the reference's document
 * relies on — the reference's operationIds, tags and model names, required headers, the admin
 * bearer scheme, and every response a route can give.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app/app.ts';
import { REASON_CODES } from '../../src/config/reason-codes.ts';
import { startApp } from '../support/dpm-api.ts';
import { REPO_ROOT } from '../support/paths.ts';

type Json = Record<string, unknown>;
interface Operation {
  operationId: string;
  tags: string[];
  parameters?: { name: string; in: string; required: boolean }[];
  requestBody?: { required: boolean; content: Record<string, { schema: Json; examples?: Json }> };
  responses: Record<string, { content?: Record<string, { schema?: Json; example?: unknown; examples?: Record<string, { value?: Json; $ref?: string }> }> }>;
  security?: Json[];
}
interface Document {
  openapi: string;
  tags: { name: string }[];
  servers: unknown[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Json>; securitySchemes: Record<string, Json>; examples: Record<string, { value: Json }> };
}

/** An example object, or the shared one it refers to. */
const exampleOf = (example: { value?: Json; $ref?: string }): { value: Json } =>
  example.$ref ? (doc.components.examples[example.$ref.split('/').at(-1) ?? ''] as { value: Json }) : (example as { value: Json });

/** The reference's operations: method, path, operationId, response model (FastAPI's names). */
const REFERENCE: readonly [string, string, string, string][] = [
  ['post', '/rebalance/simulate', 'simulate_rebalance_rebalance_simulate_post', 'RebalanceResult'],
  ['post', '/rebalance/analyze', 'analyze_scenarios_rebalance_analyze_post', 'BatchRebalanceResult'],
  ['post', '/rebalance/analyze/async', 'analyze_scenarios_async_rebalance_analyze_async_post', 'DpmAsyncAcceptedResponse'],
  ['post', '/rebalance/operations/{operation_id}/execute', 'execute_dpm_async_operation_rebalance_operations__operation_id__execute_post', 'DpmAsyncOperationStatusResponse'],
  ['post', '/rebalance/proposals/simulate', 'simulate_proposal_rebalance_proposals_simulate_post', 'ProposalResult'],
  ['post', '/rebalance/proposals/artifact', 'build_proposal_artifact_endpoint_rebalance_proposals_artifact_post', 'ProposalArtifact'],
  ['get', '/rebalance/proposals/supportability/config', 'get_proposal_supportability_config_rebalance_proposals_supportability_config_get', 'ProposalSupportabilityConfigResponse'],
  ['post', '/rebalance/proposals', 'create_proposal_rebalance_proposals_post', 'ProposalCreateResponse'],
  ['post', '/rebalance/proposals/async', 'create_proposal_async_rebalance_proposals_async_post', 'ProposalAsyncAcceptedResponse'],
  ['get', '/rebalance/proposals/{proposal_id}', 'get_proposal_rebalance_proposals__proposal_id__get', 'ProposalDetailResponse'],
  ['get', '/rebalance/proposals', 'list_proposals_rebalance_proposals_get', 'ProposalListResponse'],
  ['get', '/rebalance/proposals/{proposal_id}/versions/{version_no}', 'get_proposal_version_rebalance_proposals__proposal_id__versions__version_no__get', 'ProposalVersionDetail'],
  ['post', '/rebalance/proposals/{proposal_id}/versions', 'create_proposal_version_rebalance_proposals__proposal_id__versions_post', 'ProposalCreateResponse'],
  ['post', '/rebalance/proposals/{proposal_id}/versions/async', 'create_proposal_version_async_rebalance_proposals__proposal_id__versions_async_post', 'ProposalAsyncAcceptedResponse'],
  ['post', '/rebalance/proposals/{proposal_id}/transitions', 'transition_proposal_state_rebalance_proposals__proposal_id__transitions_post', 'ProposalStateTransitionResponse'],
  ['post', '/rebalance/proposals/{proposal_id}/approvals', 'record_proposal_approval_rebalance_proposals__proposal_id__approvals_post', 'ProposalStateTransitionResponse'],
  ['get', '/rebalance/proposals/{proposal_id}/workflow-events', 'get_proposal_workflow_timeline_rebalance_proposals__proposal_id__workflow_events_get', 'ProposalWorkflowTimelineResponse'],
  ['get', '/rebalance/proposals/{proposal_id}/approvals', 'get_proposal_approvals_rebalance_proposals__proposal_id__approvals_get', 'ProposalApprovalsResponse'],
  ['get', '/rebalance/proposals/{proposal_id}/lineage', 'get_proposal_lineage_rebalance_proposals__proposal_id__lineage_get', 'ProposalLineageResponse'],
  ['get', '/rebalance/proposals/idempotency/{idempotency_key}', 'get_proposal_idempotency_lookup_rebalance_proposals_idempotency__idempotency_key__get', 'ProposalIdempotencyLookupResponse'],
  ['get', '/rebalance/proposals/operations/{operation_id}', 'get_proposal_async_operation_rebalance_proposals_operations__operation_id__get', 'ProposalAsyncOperationStatusResponse'],
  ['get', '/rebalance/proposals/operations/by-correlation/{correlation_id}', 'get_proposal_async_operation_by_correlation_rebalance_proposals_operations_by_correlation__correlation_id__get', 'ProposalAsyncOperationStatusResponse'],
  ['get', '/rebalance/runs', 'list_runs_rebalance_runs_get', 'DpmRunListResponse'],
  ['get', '/rebalance/supportability/summary', 'get_dpm_supportability_summary_rebalance_supportability_summary_get', 'DpmSupportabilitySummaryResponse'],
  ['get', '/rebalance/runs/by-correlation/{correlation_id}', 'get_run_by_correlation_rebalance_runs_by_correlation__correlation_id__get', 'DpmRunLookupResponse'],
  ['get', '/rebalance/runs/by-request-hash/{request_hash}', 'get_run_by_request_hash_rebalance_runs_by_request_hash__request_hash__get', 'DpmRunLookupResponse'],
  ['get', '/rebalance/runs/idempotency/{idempotency_key}', 'get_run_idempotency_lookup_rebalance_runs_idempotency__idempotency_key__get', 'DpmRunIdempotencyLookupResponse'],
  ['get', '/rebalance/idempotency/{idempotency_key}/history', 'get_run_idempotency_history_rebalance_idempotency__idempotency_key__history_get', 'DpmRunIdempotencyHistoryResponse'],
  ['get', '/rebalance/runs/{rebalance_run_id}', 'get_run_by_run_id_rebalance_runs__rebalance_run_id__get', 'DpmRunLookupResponse'],
  ['get', '/rebalance/runs/{rebalance_run_id}/support-bundle', 'get_dpm_run_support_bundle_rebalance_runs__rebalance_run_id__support_bundle_get', 'DpmRunSupportBundleResponse'],
  ['get', '/rebalance/runs/by-correlation/{correlation_id}/support-bundle', 'get_dpm_run_support_bundle_by_correlation_rebalance_runs_by_correlation__correlation_id__support_bundle_get', 'DpmRunSupportBundleResponse'],
  ['get', '/rebalance/runs/idempotency/{idempotency_key}/support-bundle', 'get_dpm_run_support_bundle_by_idempotency_rebalance_runs_idempotency__idempotency_key__support_bundle_get', 'DpmRunSupportBundleResponse'],
  ['get', '/rebalance/runs/by-operation/{operation_id}/support-bundle', 'get_dpm_run_support_bundle_by_operation_rebalance_runs_by_operation__operation_id__support_bundle_get', 'DpmRunSupportBundleResponse'],
  ['get', '/rebalance/runs/{rebalance_run_id}/artifact', 'get_run_artifact_by_run_id_rebalance_runs__rebalance_run_id__artifact_get', 'DpmRunArtifactResponse'],
  ['get', '/rebalance/operations', 'list_dpm_async_operations_rebalance_operations_get', 'DpmAsyncOperationListResponse'],
  ['get', '/rebalance/operations/{operation_id}', 'get_dpm_async_operation_rebalance_operations__operation_id__get', 'DpmAsyncOperationStatusResponse'],
  ['get', '/rebalance/operations/by-correlation/{correlation_id}', 'get_dpm_async_operation_by_correlation_rebalance_operations_by_correlation__correlation_id__get', 'DpmAsyncOperationStatusResponse'],
  ['get', '/rebalance/lineage/{entity_id}', 'get_dpm_lineage_rebalance_lineage__entity_id__get', 'DpmLineageResponse'],
  ['get', '/rebalance/workflow/decisions', 'list_dpm_workflow_decisions_rebalance_workflow_decisions_get', 'DpmWorkflowDecisionListResponse'],
  ['get', '/rebalance/workflow/decisions/by-correlation/{correlation_id}', 'get_dpm_workflow_decisions_by_correlation_rebalance_workflow_decisions_by_correlation__correlation_id__get', 'DpmRunWorkflowHistoryResponse'],
  ['get', '/rebalance/runs/{rebalance_run_id}/workflow', 'get_dpm_run_workflow_rebalance_runs__rebalance_run_id__workflow_get', 'DpmRunWorkflowResponse'],
  ['get', '/rebalance/runs/by-correlation/{correlation_id}/workflow', 'get_dpm_run_workflow_by_correlation_rebalance_runs_by_correlation__correlation_id__workflow_get', 'DpmRunWorkflowResponse'],
  ['get', '/rebalance/runs/idempotency/{idempotency_key}/workflow', 'get_dpm_run_workflow_by_idempotency_rebalance_runs_idempotency__idempotency_key__workflow_get', 'DpmRunWorkflowResponse'],
  ['post', '/rebalance/runs/{rebalance_run_id}/workflow/actions', 'apply_dpm_run_workflow_action_rebalance_runs__rebalance_run_id__workflow_actions_post', 'DpmRunWorkflowResponse'],
  ['post', '/rebalance/runs/by-correlation/{correlation_id}/workflow/actions', 'apply_dpm_run_workflow_action_by_correlation_rebalance_runs_by_correlation__correlation_id__workflow_actions_post', 'DpmRunWorkflowResponse'],
  ['post', '/rebalance/runs/idempotency/{idempotency_key}/workflow/actions', 'apply_dpm_run_workflow_action_by_idempotency_rebalance_runs_idempotency__idempotency_key__workflow_actions_post', 'DpmRunWorkflowResponse'],
  ['get', '/rebalance/runs/{rebalance_run_id}/workflow/history', 'get_dpm_run_workflow_history_rebalance_runs__rebalance_run_id__workflow_history_get', 'DpmRunWorkflowHistoryResponse'],
  ['get', '/rebalance/runs/by-correlation/{correlation_id}/workflow/history', 'get_dpm_run_workflow_history_by_correlation_rebalance_runs_by_correlation__correlation_id__workflow_history_get', 'DpmRunWorkflowHistoryResponse'],
  ['get', '/rebalance/runs/idempotency/{idempotency_key}/workflow/history', 'get_dpm_run_workflow_history_by_idempotency_rebalance_runs_idempotency__idempotency_key__workflow_history_get', 'DpmRunWorkflowHistoryResponse'],
  ['get', '/rebalance/policies/effective', 'get_effective_dpm_policy_pack_rebalance_policies_effective_get', 'DpmEffectivePolicyPackResolution'],
  ['get', '/rebalance/policies/catalog', 'get_dpm_policy_pack_catalog_rebalance_policies_catalog_get', 'DpmPolicyPackCatalogResponse'],
  ['get', '/rebalance/policies/catalog/{policy_pack_id}', 'get_dpm_policy_pack_rebalance_policies_catalog__policy_pack_id__get', 'DpmPolicyPackDefinition'],
  ['put', '/rebalance/policies/catalog/{policy_pack_id}', 'upsert_dpm_policy_pack_rebalance_policies_catalog__policy_pack_id__put', 'DpmPolicyPackMutationResponse'],
  ['delete', '/rebalance/policies/catalog/{policy_pack_id}', 'delete_dpm_policy_pack_rebalance_policies_catalog__policy_pack_id__delete', 'None'],
];

const REQUEST_MODELS: Readonly<Record<string, string>> = {
  simulate_rebalance_rebalance_simulate_post: 'RebalanceRequest',
  analyze_scenarios_rebalance_analyze_post: 'BatchRebalanceRequest',
  analyze_scenarios_async_rebalance_analyze_async_post: 'BatchRebalanceRequest',
  simulate_proposal_rebalance_proposals_simulate_post: 'ProposalSimulateRequest',
  build_proposal_artifact_endpoint_rebalance_proposals_artifact_post: 'ProposalSimulateRequest',
  create_proposal_rebalance_proposals_post: 'ProposalCreateRequest',
  create_proposal_async_rebalance_proposals_async_post: 'ProposalCreateRequest',
  create_proposal_version_rebalance_proposals__proposal_id__versions_post: 'ProposalVersionRequest',
  transition_proposal_state_rebalance_proposals__proposal_id__transitions_post: 'ProposalStateTransitionRequest',
  record_proposal_approval_rebalance_proposals__proposal_id__approvals_post: 'ProposalApprovalRequest',
  apply_dpm_run_workflow_action_rebalance_runs__rebalance_run_id__workflow_actions_post: 'DpmRunWorkflowActionRequest',
  upsert_dpm_policy_pack_rebalance_policies_catalog__policy_pack_id__put: 'DpmPolicyPackUpsertRequest',
};

const TAG_NAMES = ['DPM Simulation', 'DPM What-If Analysis', 'DPM Run Supportability', 'Advisory Simulation', 'Advisory Proposal Lifecycle'];

let app: App;
let doc: Document;
const operations = (): [string, string, Operation][] => Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]): [string, string, Operation] => [method, path, op]));
const refName = (schema: Json | undefined): string | undefined => (typeof schema?.['$ref'] === 'string' ? schema['$ref'].split('/').at(-1) : undefined);

beforeAll(async () => {
  app = await startApp({ DPM_WORKFLOW_ENABLED: 'true', DPM_LINEAGE_APIS_ENABLED: 'true', DPM_IDEMPOTENCY_HISTORY_APIS_ENABLED: 'true' });
  doc = (await app.server.inject({ url: '/openapi.json' })).json<Document>();
});
afterAll(() => app.close());

describe('the OpenAPI document validates', () => {
  it('is valid OAS 3.1 for @apidevtools/swagger-parser', async () => {
    expect(doc.openapi).toBe('3.1.0');
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeDefined();
  });

  it('has zero errors under `redocly lint` (recommended rules)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'openapi-')), 'openapi.json');
    writeFileSync(file, JSON.stringify(doc));
    const run = promisify(execFile);
    const result = await run(join(REPO_ROOT, 'node_modules/.bin/redocly'), ['lint', file, '--format', 'json'], { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 }).catch(
      (error: { stdout: string; stderr: string }) => error,
    );
    const report = JSON.parse(result.stdout) as { totals: { errors: number }; problems: { severity: string; ruleId: string; message: string }[] };
    expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(report.totals.errors).toBe(0);
  }, 120_000);
});

describe('what a reference client relies on', () => {
  it('has every reference operation under its operationId, tag and response model', () => {
    for (const [method, path, operationId, model] of REFERENCE) {
      const op = doc.paths[path]?.[method];
      expect(op?.operationId, `${method} ${path}`).toBe(operationId);
      const success = Object.entries(op?.responses ?? {}).find(([status]) => status.startsWith('2'));
      if (model !== 'None') expect(refName(success?.[1].content?.['application/json']?.schema), `${operationId} response`).toBe(model);
      expect(TAG_NAMES, operationId).toEqual(expect.arrayContaining(op?.tags ?? ['none']));
    }
  });

  it('names request bodies with the reference models, marked required, each with an example', () => {
    const byId = new Map(operations().map(([, , op]) => [op.operationId, op]));
    for (const [operationId, model] of Object.entries(REQUEST_MODELS)) {
      const body = byId.get(operationId)?.requestBody;
      expect(body?.required, operationId).toBe(true);
      expect(refName(body?.content['application/json']?.schema), operationId).toBe(model);
      expect(Object.keys(body?.content['application/json']?.examples ?? {}).length, `${operationId} example`).toBeGreaterThan(0);
    }
  });

  it('lists the reference tags at the top, gives every operation a unique operationId and a known tag', () => {
    expect(doc.tags.map((t) => t.name)).toEqual(expect.arrayContaining(TAG_NAMES));
    const ids = operations().map(([, , op]) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [, , op] of operations()) expect(doc.tags.map((t) => t.name)).toEqual(expect.arrayContaining(op.tags));
    expect(doc.servers.length).toBeGreaterThan(0);
    expect(doc.paths['/metrics']?.['get']?.responses['200']?.content).toHaveProperty(['text/plain; version=0.0.4; charset=utf-8']);
  });

  it('marks Idempotency-Key required where the server requires it', () => {
    const required = ['/rebalance/simulate', '/rebalance/proposals/simulate', '/rebalance/proposals/artifact', '/rebalance/proposals', '/rebalance/proposals/async'];
    for (const path of required) {
      const header = doc.paths[path]?.['post']?.parameters?.find((p) => p.name === 'Idempotency-Key');
      expect(header, path).toMatchObject({ in: 'header', required: true });
    }
  });

  it('puts the admin routes behind the bearer scheme and no other route', () => {
    expect(doc.components.securitySchemes['policyPackAdminToken']).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const [method, path, op] of operations()) {
      const admin = path === '/rebalance/policies/catalog/{policy_pack_id}' && (method === 'put' || method === 'delete');
      expect(op.security, `${method} ${path}`).toEqual(admin ? [{ policyPackAdminToken: [] }] : []);
      expect(op.parameters?.some((p) => p.name.toLowerCase() === 'authorization') ?? false).toBe(false);
    }
  });

  it('documents every error a route declares with the body the server renders, and a 500 problem document', () => {
    for (const [method, path, op] of operations()) {
      expect(op.responses['500']?.content?.['application/problem+json']?.schema, `${method} ${path}`).toEqual({ $ref: '#/components/schemas/ProblemDetails' });
      for (const [status, response] of Object.entries(op.responses)) {
        const examples = response.content?.['application/json']?.examples ?? {};
        for (const [name, reference] of Object.entries(examples)) {
          const example = exampleOf(reference);
          const code = example.value['code'];
          if (!status.startsWith('4') && !status.startsWith('5')) continue;
          if (code === 'VALIDATION_ERROR') {
            expect(status).toBe('422');
            expect(Array.isArray(example.value['detail']), `${path} ${name}`).toBe(true);
            continue;
          }
          const entry = REASON_CODES[code as keyof typeof REASON_CODES];
          expect(String(entry.status), `${method} ${path} ${name}`).toBe(status);
          expect(entry.detail ?? [code]).toContain(example.value['detail']);
        }
      }
    }
  });
});

describe('the response contract check of the test harnesses', () => {
  it('catches an undocumented status and a body that does not match its schema', async () => {
    const { buildServer } = await import('../../src/http/server.ts');
    const { Type } = await import('@sinclair/typebox');
    const pino = (await import('pino')).default;
    const { DocumentedResponses } = await import('../support/openapi-contract.ts');
    const server = await buildServer({
      logger: pino({ level: 'silent' }),
      routes: [
        async (s) => {
          s.get(
            '/thing',
            {
              // Sent verbatim, as the proposal routes are: the schema documents the body only.
              serializerCompiler: () => (data) => JSON.stringify(data),
              schema: { operationId: 'thing', tags: ['Health'], response: { 200: Type.Object({ n: Type.Integer() }, { additionalProperties: false }) } },
            },
            async (request, reply) => (request.headers['x-mode'] === 'teapot' ? reply.code(418 as 200).send({ n: 1 }) : { n: 'one' }),
          );
        },
      ],
    });
    const contract = new DocumentedResponses().attach(server);
    await server.inject({ url: '/thing' });
    await server.inject({ url: '/thing', headers: { 'x-mode': 'teapot' } });
    await server.close();
    expect(contract.checked).toBe(2);
    expect(contract.violations).toEqual([expect.stringMatching(/GET \/thing 200 application\/json: \/n must be integer/), 'GET /thing answered 418, which is not documented']);
    expect(() => contract.assertAllMatched()).toThrow(/not matching the OpenAPI document/);
  });
});

describe('the examples of the document', () => {
  it('each satisfies the schema it illustrates', async () => {
    const { Ajv2020 } = await import('ajv/dist/2020.js');
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
    const rewrite = (value: unknown): Json => JSON.parse(JSON.stringify(value).replaceAll('"#/components/schemas/', '"openapi.json#/$defs/')) as Json;
    ajv.addSchema({ $id: 'openapi.json', $defs: JSON.parse(JSON.stringify(doc.components.schemas).replaceAll('"#/components/schemas/', '"#/$defs/')) as Json });
    const failures: string[] = [];
    let checked = 0;
    const check = (where: string, schema: Json | undefined, value: unknown) => {
      if (!schema) return;
      const validate = ajv.compile(rewrite(schema));
      checked += 1;
      if (!validate(value)) failures.push(`${where}: ${ajv.errorsText(validate.errors)}`);
    };
    for (const [method, path, op] of operations()) {
      for (const [status, response] of Object.entries(op.responses)) {
        for (const [type, media] of Object.entries(response.content ?? {})) {
          if (media.example !== undefined) check(`${method} ${path} ${status} ${type}`, media.schema, media.example);
          for (const [name, example] of Object.entries(media.examples ?? {})) check(`${method} ${path} ${status} ${name}`, media.schema, exampleOf(example).value);
        }
      }
      for (const [name, example] of Object.entries(op.requestBody?.content['application/json']?.examples ?? {})) {
        check(`${method} ${path} request ${name}`, op.requestBody?.content['application/json']?.schema, (example as { value: unknown }).value);
      }
    }
    for (const [name, schema] of Object.entries(doc.components.schemas)) {
      for (const example of (schema['examples'] as unknown[] | undefined) ?? []) check(`components.schemas.${name}`, { $ref: `#/components/schemas/${name}` }, example);
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(200);
  });
});
