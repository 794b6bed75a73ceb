/**
 * Traceable requests on the real process (docs/operations.md#tracing-and-logs): with the standard
 * OTEL_* variables pointing at an OTLP/HTTP receiver run by this test, the spans of a request
 * arrive with the caller's trace id, the service's name and version, and the expected names; and
 * every log line of a failing request carries its correlation id and the trace id of its
 * `traceparent`, ending with a completion line that names route, status and error code.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformanceVector } from '../support/conformance.ts';
import { startService, type RunningService } from '../support/service-process.ts';

interface OtlpSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
}
interface OtlpExport {
  readonly resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
}

const GOOD_TRACE = '5b8efff798038103d269b633813fc60c';
const BAD_TRACE = '9a1b2c3d4e5f60718293a4b5c6d7e8f9';
const parent = (traceId: string) => `00-${traceId}-eee19b7ec3c1b174-01`;
const REQUEST = conformanceVector<{ request: unknown }>('dpm', 'scenario_01_cash_inflow').request;

describe('tracing and logs of the real service', () => {
  let receiver: Server;
  const exports: OtlpExport[] = [];
  const contentTypes = new Set<string>();
  let service: RunningService;

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        if (request.url === '/v1/traces') {
          contentTypes.add(String(request.headers['content-type']));
          exports.push(JSON.parse(body) as OtlpExport);
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const { port } = receiver.address() as AddressInfo;
    service = await startService({
      LOG_LEVEL: 'debug',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      OTEL_SERVICE_NAME: 'dpm-e2e',
    });
  });

  afterAll(async () => {
    await service.stop();
    await new Promise((resolve) => receiver.close(resolve));
  });

  it('exports the spans of a request to the OTLP receiver and logs every line of a failing one with its ids', async () => {
    const ok = await fetch(`${service.baseUrl}/rebalance/simulate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'e2e-traced', 'x-correlation-id': 'corr-e2e-ok', traceparent: parent(GOOD_TRACE) },
      body: JSON.stringify(REQUEST),
    });
    expect(ok.status).toBe(200);
    const failing = await fetch(`${service.baseUrl}/rebalance/simulate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'e2e-failing', 'x-correlation-id': 'corr-e2e-failing', traceparent: parent(BAD_TRACE) },
      body: JSON.stringify({ portfolio_snapshot: { portfolio_id: 'pf_x' } }),
    });
    expect(failing.status).toBe(422);

    // SIGTERM: the app closes and the tracer provider exports what it still buffers.
    expect(await service.stop()).toBe(0);

    const spans = exports.flatMap((e) => e.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)));
    const good = spans.filter((span) => span.traceId === GOOD_TRACE);
    expect(good.map((span) => span.name)).toEqual(
      expect.arrayContaining(['POST /rebalance/simulate', 'dpm.simulate', 'dpm.stage.valuation', 'dpm.stage.rules', 'dpm_store.recordRun']),
    );
    expect(good.find((span) => span.name === 'POST /rebalance/simulate')?.parentSpanId).toBe('eee19b7ec3c1b174');
    expect(spans.some((span) => span.traceId === BAD_TRACE && span.name === 'POST /rebalance/simulate')).toBe(true);
    const resource = Object.fromEntries(exports[0]?.resourceSpans[0]?.resource.attributes.map((a) => [a.key, a.value.stringValue]) ?? []);
    expect(resource).toMatchObject({ 'service.name': 'dpm-e2e', 'service.version': expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect([...contentTypes]).toEqual(['application/json']);

    const lines = service
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const ofFailing = lines.filter((line) => line['correlation_id'] === 'corr-e2e-failing');
    expect(ofFailing.map((line) => line['msg'])).toEqual(['request received', 'request completed']);
    for (const line of ofFailing) expect(line).toMatchObject({ trace_id: BAD_TRACE, span_id: expect.stringMatching(/^[0-9a-f]{16}$/), level: expect.any(String) });
    // No line of that trace lacks the correlation id.
    expect(lines.filter((line) => line['trace_id'] === BAD_TRACE)).toEqual(ofFailing);
    expect(ofFailing.at(-1)).toMatchObject({ level: 'info', route: '/rebalance/simulate', status: 422, error_code: 'VALIDATION_ERROR', duration_ms: expect.any(Number) });
    expect(lines.find((line) => line['msg'] === 'Tracing on')).toMatchObject({ exporter: 'OTLP', service_name: 'dpm-e2e' });
  });
});
