/**
 * POST /rebalance/proposals/simulate and /artifact over Fastify `inject`, on every proposal-store
 * backend (IN_MEMORY, SQLITE in a temp dir, POSTGRES on the test server): conformance through
 * HTTP equals the engine's own output, replay and conflict by Idempotency-Key, the feature gate,
 * validation with field paths, and the deterministic artifact hash.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProposalStoreBackend } from '../../src/config/proposal-settings.ts';
import {
  buildProposalArtifact,
  proposalArtifactHash,
  proposalRequestHash,
  proposalRunIdFor,
  simulateProposal,
  validateProposalSimulateRequest,
  type ProposalArtifact,
  type ProposalSimulateRequest,
} from '../../src/domain/advisory/index.ts';
import { PROPOSAL_REQUEST_EXAMPLE, proposalSimulationRoutes } from '../../src/http/routes/proposals/simulation.ts';
import { buildServer } from '../../src/http/server.ts';
import { DocumentedResponses } from '../support/openapi-contract.ts';
import { createProposalSimulationService } from '../../src/services/proposals/simulation.ts';
import { referenceTimestamp } from '../../src/services/reference-time.ts';
import { PostgresPools } from '../../src/stores/postgres/pools.ts';
import { openProposalStore, type OpenedProposalStore } from '../../src/stores/proposals/open.ts';
import { createSqlProposalStore } from '../../src/stores/proposals/sql-store.ts';
import { withOutageMapping } from '../../src/stores/sql/outage-mapping.ts';
import { postgresExecutor } from '../../src/stores/sql/postgres-executor.ts';
import { compareToExpected, loadConformanceCases } from '../support/conformance.ts';
import { freshDatabase, type TestDatabase } from '../support/postgres.ts';
import { PROPOSAL_RESULT_RULES } from '../domain/advisory/support.ts';

const NOW = new Date('2026-02-19T12:00:00.123Z');
const cases = loadConformanceCases('advisory');
const example = cases.find((c) => c.name.startsWith('scenario_14A') || c.file.includes('scenario_14A'));
if (!example) throw new Error('conformance case scenario_14A is missing');
const body = example.request as Record<string, unknown>;

type Json = Record<string, unknown>;

function validated(request: unknown): ProposalSimulateRequest {
  const outcome = validateProposalSimulateRequest(request);
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
  return outcome.value;
}

/** What the engine itself answers for this request, key and correlation id (the CLI's run id rule). */
function engineResult(request: unknown, key: string, correlationId: string) {
  const value = validated(request);
  const requestHash = proposalRequestHash(value);
  return simulateProposal(value, { runId: proposalRunIdFor(requestHash), correlationId, requestHash, idempotencyKey: key });
}

const withOptions = (options: Json): Json => ({ ...body, options: { ...(body['options'] as Json), ...options } });

describe.each(['IN_MEMORY', 'SQLITE', 'POSTGRES'] as const)('advisory simulation routes on %s', (backend: ProposalStoreBackend) => {
  let app: FastifyInstance;
  let contract: DocumentedResponses;
  let opened: OpenedProposalStore;
  let pools: PostgresPools;
  let database: TestDatabase | undefined;

  beforeAll(async () => {
    pools = new PostgresPools({ poolMax: 20, statementTimeoutMs: 10_000, connectTimeoutMs: 5_000 });
    if (backend === 'POSTGRES') database = await freshDatabase();
    opened = await openProposalStore({
      backend,
      sqlitePath: join(mkdtempSync(join(tmpdir(), 'proposal-http-')), 'proposals.db'),
      postgresDsn: database?.dsn ?? '',
      pools,
      migrate: true,
    });
    const service = createProposalSimulationService({ store: opened.store, now: () => NOW });
    app = await buildServer({ logger: pino({ level: 'silent' }), routes: [proposalSimulationRoutes({ service })] });
    contract = new DocumentedResponses().attach(app);
  });

  afterAll(async () => {
    await app.close();
    contract.assertAllMatched();
    await opened.close();
    await pools.closeAll();
    await database?.drop();
  });

  async function post(path: 'simulate' | 'artifact', payload: unknown, headers: Record<string, string> = {}) {
    const response = await app.inject({ method: 'POST', url: `/rebalance/proposals/${path}`, payload: payload as Json, headers });
    return { status: response.statusCode, replay: response.headers['idempotent-replay'], text: response.body, json: response.json<Json>() };
  }

  it.each(cases.map((c) => [c.name, c] as const))('conformance %s: the HTTP answer is the engine output, byte for byte', async (name, c) => {
    const key = `conf-${name}`;
    const answer = await post('simulate', c.request, { 'idempotency-key': key, 'x-correlation-id': 'corr-conf' });
    expect(answer.status).toBe(200);
    expect(answer.text).toBe(JSON.stringify(engineResult(c.request, key, 'corr-conf')));
    // The vectors were recorded without a key; the header's value is echoed like the correlation id.
    const rules = { ...PROPOSAL_RESULT_RULES, ignore: [...(PROPOSAL_RESULT_RULES.ignore ?? []), 'lineage.idempotency_key'], keyOrder: true };
    expect(compareToExpected(answer.json, c.expected, rules)).toEqual([]);
    expect(answer.json['lineage']).toMatchObject({ idempotency_key: key, request_hash: proposalRequestHash(validated(c.request)) });
  });

  it('replays the stored response for the same key and request (even written differently); another request is 409', async () => {
    const first = await post('simulate', body, { 'idempotency-key': 'k-replay', 'x-correlation-id': 'corr-first' });
    expect(first).toMatchObject({ status: 200, replay: undefined });
    expect(first.json['correlation_id']).toBe('corr-first');

    // Same canonical request: defaults spelled out and keys in another order.
    const respelled = { proposed_trades: body['proposed_trades'], reference_model: null, ...body };
    const replay = await post('simulate', respelled, { 'idempotency-key': 'k-replay', 'x-correlation-id': 'corr-second' });
    expect(replay).toMatchObject({ status: 200, replay: 'true' });
    expect(replay.text).toBe(first.text);

    const conflict = await post('simulate', withOptions({ block_on_missing_fx: false }), { 'idempotency-key': 'k-replay' });
    expect(conflict.status).toBe(409);
    expect(conflict.json).toEqual({ detail: 'IDEMPOTENCY_KEY_CONFLICT: request hash mismatch', code: 'IDEMPOTENCY_KEY_CONFLICT', message: expect.any(String) });
    expect((await opened.store.getSimulationResponse('SIMULATE', 'k-replay'))?.response_json).toEqual(first.json);
  });

  it('without a correlation id, generates one into the response and its header', async () => {
    const response = await app.inject({ method: 'POST', url: '/rebalance/proposals/simulate', payload: body, headers: { 'idempotency-key': 'k-corr' } });
    expect(response.statusCode).toBe(200);
    expect(response.json<Json>()['correlation_id']).toMatch(/^corr_[0-9a-f]{24}$/);
    expect(response.headers['x-correlation-id']).toBe(response.json<Json>()['correlation_id']);
  });

  it('422 PROPOSAL_SIMULATION_DISABLED when the option is not true, before idempotency, storing nothing', async () => {
    const expected = {
      detail: 'PROPOSAL_SIMULATION_DISABLED: set options.enable_proposal_simulation=true',
      code: 'PROPOSAL_SIMULATION_DISABLED',
      message: expect.any(String),
    };
    const { options: _options, ...noOptions } = body;
    for (const path of ['simulate', 'artifact'] as const) {
      for (const payload of [withOptions({ enable_proposal_simulation: false }), noOptions]) {
        const refused = await post(path, payload, { 'idempotency-key': 'k-gate' });
        expect(refused.status).toBe(422);
        expect(refused.json).toEqual(expected);
      }
    }
    expect(await opened.store.getSimulationResponse('SIMULATE', 'k-gate')).toBeNull();
    // A key already taken by another request: the gate still answers first (not 409).
    await post('simulate', body, { 'idempotency-key': 'k-gate-used' });
    expect((await post('simulate', withOptions({ enable_proposal_simulation: false }), { 'idempotency-key': 'k-gate-used' })).json['code']).toBe('PROPOSAL_SIMULATION_DISABLED');
  });

  it('422 VALIDATION_ERROR names every bad field (body paths and the missing header), storing nothing', async () => {
    const trades = [
      { side: 'BUY', instrument_id: 'US_EQ_ETF', quantity: '1', notional: { amount: '10', currency: 'SGD' } },
      { side: 'BUY', instrument_id: 'US_EQ_ETF', quantity: 1.5 },
    ];
    const invalid = await post('simulate', { ...body, proposed_trades: trades, shelf_entries: undefined }, { 'idempotency-key': 'k-invalid' });
    expect(invalid.status).toBe(422);
    expect(invalid.json).toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(invalid.json['detail']).toContainEqual({
      type: 'value_error',
      loc: ['body', 'proposed_trades', 0],
      msg: 'Value error, PROPOSAL_INVALID_TRADE_INPUT: provide either quantity or notional, not both',
      input: trades[0],
    });
    const fields = (invalid.json['errors'] as { field: string; code: string; message: string }[]).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['body.shelf_entries', 'body.proposed_trades[0]', 'body.proposed_trades[1].quantity']));
    expect(invalid.json['errors']).toContainEqual({
      field: 'body.proposed_trades[0]',
      code: 'value_error',
      message: 'Value error, PROPOSAL_INVALID_TRADE_INPUT: provide either quantity or notional, not both',
    });
    expect(await opened.store.getSimulationResponse('SIMULATE', 'k-invalid')).toBeNull();

    const notAnObject = await post('artifact', [1, 2], { 'idempotency-key': 'k-invalid' });
    expect(notAnObject.status).toBe(422);
    expect((notAnObject.json['errors'] as { field: string }[])[0]?.field).toBe('body');

    const noKey = await post('artifact', body, {});
    expect(noKey.status).toBe(422);
    expect(noKey.json['detail']).toEqual([{ type: 'missing', loc: ['header', 'Idempotency-Key'], msg: 'Field required', input: null }]);
    const blankKey = await post('artifact', body, { 'idempotency-key': '   ' });
    expect(blankKey.status).toBe(422);
    expect(blankKey.json['detail']).toEqual([expect.objectContaining({ type: 'string_pattern_mismatch', loc: ['header', 'Idempotency-Key'] })]);
  });

  it('artifact: the engine artifact of the stored simulation; its hash is the same for every key and correlation id', async () => {
    const first = await post('artifact', body, { 'idempotency-key': 'k-art-1', 'x-correlation-id': 'corr-a' });
    expect(first.status).toBe(200);
    const request = validated(body);
    const expected = buildProposalArtifact(request, engineResult(body, 'k-art-1', 'corr-a'), { createdAt: referenceTimestamp(NOW) });
    expect(first.text).toBe(JSON.stringify(expected));
    const artifact = first.json as unknown as ProposalArtifact;
    expect(artifact.created_at).toBe('2026-02-19T12:00:00.123000+00:00');
    expect(artifact.artifact_id).toBe(artifact.proposal_run_id.replace(/^pr_/, 'pa_'));
    expect(artifact.evidence_bundle.hashes.artifact_hash).toBe(proposalArtifactHash(artifact));

    const other = await post('artifact', body, { 'idempotency-key': 'k-art-2', 'x-correlation-id': 'corr-b' });
    expect((other.json as unknown as ProposalArtifact).correlation_id).toBe('corr-b');
    expect((other.json as unknown as ProposalArtifact).evidence_bundle.hashes.artifact_hash).toBe(artifact.evidence_bundle.hashes.artifact_hash);

    const replay = await post('artifact', body, { 'idempotency-key': 'k-art-1', 'x-correlation-id': 'corr-c' });
    expect(replay).toMatchObject({ status: 200, replay: 'true', text: first.text });
    expect((await post('artifact', withOptions({ auto_funding: false }), { 'idempotency-key': 'k-art-1' })).status).toBe(409);
  });

  it('a key is scoped to its endpoint: simulate and artifact under one key each keep their own response', async () => {
    const simulated = await post('simulate', body, { 'idempotency-key': 'k-both' });
    const packaged = await post('artifact', withOptions({ auto_funding: false }), { 'idempotency-key': 'k-both' });
    expect([simulated.status, packaged.status]).toEqual([200, 200]);
    expect(packaged.json).toHaveProperty('artifact_id');
    expect((await post('simulate', body, { 'idempotency-key': 'k-both' })).text).toBe(simulated.text);
  });

  it('20 concurrent calls with one key: one stored response, every caller gets it', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => post('simulate', body, { 'idempotency-key': 'k-race', 'x-correlation-id': `corr-race-${i}` })),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    expect(answers.filter((a) => a.replay === undefined)).toHaveLength(1);
  });

  it('publishes both routes in OpenAPI with an example request and the very response it gets', async () => {
    const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<{ paths: Record<string, Json> }>();
    const headers = { 'idempotency-key': 'proposal-demo-001', 'x-correlation-id': 'corr_3f2a9c1b7d4e' };
    const tried = await post('simulate', PROPOSAL_REQUEST_EXAMPLE, headers);
    expect(tried.status).toBe(200);
    expect(JSON.parse(tried.text)).toMatchObject({ status: 'READY' });
    for (const path of ['/rebalance/proposals/simulate', '/rebalance/proposals/artifact'] as const) {
      type Operation = { summary: string; requestBody: { content: Record<string, Json> }; responses: Record<string, { content: Record<string, Json> }> };
      const operation = document.paths[path]?.['post'] as Operation | undefined;
      expect(operation?.summary).toBeTruthy();
      expect(JSON.stringify(operation?.requestBody.content['application/json'])).toContain('"pf_example_001"');
      const documented = JSON.stringify(operation?.responses['200']?.content['application/json']);
      expect(documented).toContain('"proposal_run_id"');
      if (path.endsWith('simulate')) expect(documented).toContain(tried.text);
    }
  });
});

describe('advisory simulation routes with PostgreSQL unreachable', () => {
  it('answer 503 PROPOSAL_POSTGRES_UNAVAILABLE with Retry-After and no password', async () => {
    const pools = new PostgresPools({ poolMax: 1, statementTimeoutMs: 2_000, connectTimeoutMs: 2_000 });
    // The adapter stack openProposalStore builds, over a server that went away after startup.
    const store = createSqlProposalStore(withOutageMapping(postgresExecutor(pools.pool('postgres://app:hunter2@127.0.0.1:1/proposals')), 'PROPOSAL'));
    const app = await buildServer({ logger: pino({ level: 'silent' }), routes: [proposalSimulationRoutes({ service: createProposalSimulationService({ store }) })] });
    try {
      for (const path of ['simulate', 'artifact']) {
        const response = await app.inject({ method: 'POST', url: `/rebalance/proposals/${path}`, payload: body, headers: { 'idempotency-key': 'k-down' } });
        expect(response.statusCode).toBe(503);
        expect(response.json<Json>()['code']).toBe('PROPOSAL_POSTGRES_UNAVAILABLE');
        expect(response.headers['retry-after']).toBe('5');
        expect(response.body).not.toContain('hunter2');
      }
    } finally {
      await app.close();
      await pools.closeAll();
    }
  });
});
