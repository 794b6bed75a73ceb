/**
 * Spans of the whole service (docs/operations.md#tracing-and-logs), exported to the SDK's in-memory
 * exporter: the request span joins the caller's W3C trace and carries route, status, error code and
 * correlation id; the engine call and each of its stage groups, and each store call, are spans
 * under it; and the request's log lines carry the same trace and span ids.
 */
import { NodeTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app/app.ts';
import { createLogger } from '../../src/app/logger.ts';
import { assessStartup } from '../../src/config/startup-assessment.ts';
import { REQUESTS, WHAT_IF_BATCH } from '../support/dpm-api.ts';
import { createBody, readyRequest } from '../support/proposal-api.ts';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const CALLER_SPAN = 'b7ad6b7169203331';
const traceparent = `00-${TRACE_ID}-${CALLER_SPAN}-01`;

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
provider.register();

let app: App;
const lines: Record<string, unknown>[] = [];

beforeAll(async () => {
  // Tracing stays off in the settings: the provider registered above is the test's own.
  const created = await createApp(assessStartup({}), createLogger('info', { write: (text: string) => void lines.push(JSON.parse(text) as Record<string, unknown>) }));
  if (!created.ok) throw new Error(JSON.stringify(created.violations));
  app = created.app;
});
afterAll(async () => {
  await app.close();
  await provider.shutdown();
});
beforeEach(() => {
  exporter.reset();
  lines.length = 0;
});

const named = (spans: readonly ReadableSpan[], name: string): ReadableSpan => {
  const span = spans.find((s) => s.name === name);
  if (!span) throw new Error(`no span ${name} among ${spans.map((s) => s.name).join(', ')}`);
  return span;
};
const childrenOf = (spans: readonly ReadableSpan[], parent: ReadableSpan): string[] =>
  spans.filter((s) => s.parentSpanContext?.spanId === parent.spanContext().spanId).map((s) => s.name);

describe('request tracing', () => {
  it('a simulate: request span in the caller’s trace, engine and stage spans, store spans, and logs with the same ids', async () => {
    const response = await app.server.inject({
      method: 'POST',
      url: '/rebalance/simulate',
      payload: REQUESTS.READY,
      headers: { traceparent, 'idempotency-key': 'key-traced', 'x-correlation-id': 'corr-traced' },
    });
    expect(response.statusCode).toBe(200);
    const spans = exporter.getFinishedSpans();

    const server = named(spans, 'POST /rebalance/simulate');
    expect(server.kind).toBe(SpanKind.SERVER);
    expect(server.spanContext().traceId).toBe(TRACE_ID);
    expect(server.parentSpanContext?.spanId).toBe(CALLER_SPAN);
    expect(server.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/rebalance/simulate',
      'url.path': '/rebalance/simulate',
      'http.response.status_code': 200,
      'dpm.correlation_id': 'corr-traced',
    });
    expect(spans.every((span) => span.spanContext().traceId === TRACE_ID)).toBe(true);

    expect(childrenOf(spans, server)).toEqual(expect.arrayContaining(['dpm.simulate', 'dpm_store.recordRun']));
    const engine = named(spans, 'dpm.simulate');
    expect(engine.attributes['dpm.run_id']).toBe(JSON.parse(response.body).rebalance_run_id);
    expect(childrenOf(spans, engine)).toEqual(['dpm.stage.input', 'dpm.stage.valuation', 'dpm.stage.targets', 'dpm.stage.intents', 'dpm.stage.rules', 'dpm.stage.serialize']);
    expect(named(spans, 'dpm_store.recordRun').attributes).toMatchObject({ 'db.system.name': 'sqlite', 'db.operation.name': 'recordRun' });

    const completion = lines.find((line) => line['msg'] === 'request completed');
    expect(completion).toMatchObject({ correlation_id: 'corr-traced', trace_id: TRACE_ID, span_id: server.spanContext().spanId, status: 200 });
  });

  it('a refused request: the span carries the error code and is not marked failed (a 4xx is the caller’s mistake)', async () => {
    const response = await app.server.inject({ method: 'POST', url: '/rebalance/simulate', payload: { nothing: true }, headers: { traceparent, 'idempotency-key': 'key-bad' } });
    expect(response.statusCode).toBe(422);
    const server = named(exporter.getFinishedSpans(), 'POST /rebalance/simulate');
    expect(server.attributes).toMatchObject({ 'http.response.status_code': 422, 'dpm.error_code': JSON.parse(response.body).code });
    expect(server.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('health probes and metric scrapes make no spans (their lines still carry the ids)', async () => {
    for (const url of ['/health/live', '/health/ready', '/metrics']) {
      expect((await app.server.inject({ method: 'GET', url, headers: { traceparent } })).statusCode).toBe(200);
    }
    expect(exporter.getFinishedSpans()).toEqual([]);
    expect(lines.filter((line) => line['msg'] === 'request completed').map((line) => line['trace_id'])).toEqual([TRACE_ID, TRACE_ID, TRACE_ID]);
  });

  it('an advisory simulate and a reproduce each trace their engine and store calls', async () => {
    await app.server.inject({ method: 'POST', url: '/rebalance/proposals/simulate', payload: readyRequest(), headers: { 'idempotency-key': 'key-advisory' } });
    const advisory = exporter.getFinishedSpans();
    const server = named(advisory, 'POST /rebalance/proposals/simulate');
    expect(childrenOf(advisory, server)).toEqual(['proposal_store.getSimulationResponse', 'advisory.simulate', 'proposal_store.recordSimulationResponse']);

    const simulated = await app.server.inject({ method: 'POST', url: '/rebalance/simulate', payload: REQUESTS.READY, headers: { 'idempotency-key': 'key-to-reproduce' } });
    exporter.reset();
    await app.server.inject({ method: 'POST', url: `/rebalance/runs/${JSON.parse(simulated.body).rebalance_run_id}/reproduce` });
    const spans = exporter.getFinishedSpans();
    const reproduce = named(spans, 'POST /rebalance/runs/:rebalance_run_id/reproduce');
    expect(childrenOf(spans, reproduce)).toEqual(['dpm_store.getRun', 'dpm_store.getRunInputs', 'dpm.reproduce']);
    expect(childrenOf(spans, named(spans, 'dpm.reproduce'))).toContain('dpm.stage.valuation');
  });
});

describe('async operations continue the trace they were submitted in', () => {
  let deferred: App;

  beforeAll(async () => {
    // ACCEPT_ONLY: the operation is stored and answered 202; this process's background worker runs it later.
    const created = await createApp(assessStartup({ DPM_ASYNC_EXECUTION_MODE: 'ACCEPT_ONLY', DPM_ASYNC_WORKER_POLL_MS: '50' }), createLogger('silent'));
    if (!created.ok) throw new Error(JSON.stringify(created.violations));
    deferred = created.app;
  });
  afterAll(async () => {
    await deferred.close();
  });

  const submit = async (): Promise<{ operationId: string; submitSpan: string }> => {
    exporter.reset();
    const accepted = await deferred.server.inject({ method: 'POST', url: '/rebalance/analyze/async', payload: WHAT_IF_BATCH, headers: { traceparent } });
    expect(accepted.statusCode).toBe(202);
    return { operationId: String(JSON.parse(accepted.body).operation_id), submitSpan: named(exporter.getFinishedSpans(), 'POST /rebalance/analyze/async').spanContext().spanId };
  };
  const operationSpan = async (operationId: string): Promise<ReadableSpan> => {
    const of = () => exporter.getFinishedSpans().find((span) => span.name === 'dpm.operation' && span.attributes['dpm.operation_id'] === operationId);
    await expect.poll(of, { timeout: 60_000 }).toBeDefined();
    return of() as ReadableSpan;
  };

  it('run by the execute route: a child of that request, linked to the submitting request', async () => {
    const { operationId, submitSpan } = await submit();
    const executed = await deferred.server.inject({ method: 'POST', url: `/rebalance/operations/${operationId}/execute` });
    expect(executed.statusCode, executed.body).toBe(200);
    const spans = exporter.getFinishedSpans();
    const operation = await operationSpan(operationId);
    expect(operation.kind).toBe(SpanKind.CONSUMER);
    expect(operation.parentSpanContext?.spanId).toBe(named(spans, 'POST /rebalance/operations/:operation_id/execute').spanContext().spanId);
    expect(operation.links.map((link) => [link.context.traceId, link.context.spanId])).toEqual([[TRACE_ID, submitSpan]]);
    expect(childrenOf(spans, operation)).toContain('dpm.analyze');
  });

  it('taken over by a background worker after its process died: a child of the submitting request, in the caller’s trace', async () => {
    const { operationId, submitSpan } = await submit();
    const stored = await deferred.dpmStore.getOperation(operationId);
    if (!stored) throw new Error('the accepted operation is not stored');
    // The same request, left RUNNING by a process that died: its lease ran out a minute ago.
    const orphanId = `${operationId}_orphan`;
    const expired = new Date(Date.now() - 60_000).toISOString();
    await deferred.dpmStore.createOperation(
      { ...stored, operation_id: orphanId, correlation_id: `${stored.correlation_id}-orphan`, status: 'RUNNING', started_at: expired, lease_owner: 'gone:1:dead#1', lease_expires_at: expired, attempts: 1 },
      [],
    );
    const operation = await operationSpan(orphanId);
    expect(operation.spanContext().traceId).toBe(TRACE_ID);
    expect(operation.parentSpanContext?.spanId).toBe(submitSpan);
    expect(operation.links).toEqual([]);
  });

  it('an async proposal create: its proposal.operation span is in the caller’s trace, with the lifecycle work under it', async () => {
    exporter.reset();
    const accepted = await deferred.server.inject({ method: 'POST', url: '/rebalance/proposals/async', payload: createBody(), headers: { traceparent, 'idempotency-key': 'key-async-traced' } });
    expect(accepted.statusCode, accepted.body).toBe(202);
    const operationId = String(JSON.parse(accepted.body).operation_id);
    const of = () => exporter.getFinishedSpans().find((span) => span.name === 'proposal.operation' && span.attributes['proposal.operation_id'] === operationId);
    await expect.poll(of, { timeout: 60_000 }).toBeDefined();
    const operation = of() as ReadableSpan;
    expect(operation.kind).toBe(SpanKind.CONSUMER);
    expect(operation.spanContext().traceId).toBe(TRACE_ID);
    expect(childrenOf(exporter.getFinishedSpans(), operation)).toEqual(['proposal_store.getIdempotency', 'advisory.version', 'proposal_store.createProposal']);
  });
});
