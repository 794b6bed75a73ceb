/**
 * Every log line of a request carries its correlation id and trace id, and each request ends with
 * one completion line naming the route, status, error code and duration
 * (docs/operations.md#tracing-and-logs). Levels are names. Captured from the real logger of a
 * server built like the service's, with tracing off: the trace id comes from `traceparent`.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/app/logger.ts';
import { buildServer } from '../../src/http/server.ts';

type Line = Record<string, unknown>;

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACEPARENT = `00-${TRACE_ID}-00f067aa0ba902b7-01`;

describe('request log lines', () => {
  let app: FastifyInstance;
  const lines: Line[] = [];

  beforeAll(async () => {
    // The service's own logger, writing into `lines` instead of stdout.
    const logger = createLogger('debug', { write: (text: string) => void lines.push(JSON.parse(text) as Line) });
    app = await buildServer({
      logger,
      routes: [
        async (server) => {
          server.get('/runs/:run_id/explode', async (request) => {
            request.log.info({ step: 'before the failure' }, 'working on it');
            throw new Error('something broke');
          });
          server.get('/fine', async () => ({ ok: true }));
        },
      ],
    });
  });

  beforeEach(() => {
    lines.length = 0;
  });

  afterAll(async () => {
    await app.close();
  });

  it('a failing request: every line carries its correlation id and the trace id from traceparent', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/runs/rr_1/explode?verbose=1',
      headers: { 'x-correlation-id': 'corr-failing-1', traceparent: TRACEPARENT },
    });
    expect(response.statusCode).toBe(500);
    expect(response.headers['x-correlation-id']).toBe('corr-failing-1');

    // Received (debug), the route's own line, the error handler's line, and the completion line.
    expect(lines.map((line) => line['msg'])).toEqual(['request received', 'working on it', 'Unhandled error while serving request', 'request completed']);
    for (const line of lines) expect(line).toMatchObject({ correlation_id: 'corr-failing-1', trace_id: TRACE_ID, service: 'dpm-rebalance-service' });
    expect(lines.map((line) => line['level'])).toEqual(['debug', 'info', 'error', 'info']);
    expect(lines.at(-1)).toMatchObject({
      method: 'GET',
      route: '/runs/:run_id/explode',
      url: '/runs/rr_1/explode?verbose=1',
      status: 500,
      error_code: 'INTERNAL_ERROR',
      duration_ms: expect.any(Number),
    });
  });

  it('without traceparent the request still has one trace id on all its lines, and a generated correlation id', async () => {
    const response = await app.inject({ method: 'GET', url: '/fine' });
    expect(response.statusCode).toBe(200);
    const correlationId = response.headers['x-correlation-id'];
    expect(correlationId).toMatch(/^corr_[0-9a-f]{24}$/);
    const traceIds = new Set(lines.map((line) => line['trace_id']));
    expect(traceIds.size).toBe(1);
    expect([...traceIds][0]).toMatch(/^[0-9a-f]{32}$/);
    expect(lines.every((line) => line['correlation_id'] === correlationId)).toBe(true);
    expect(lines.at(-1)).toMatchObject({ msg: 'request completed', route: '/fine', status: 200, error_code: null });
  });

  it('a malformed traceparent is ignored, not trusted', async () => {
    await app.inject({ method: 'GET', url: '/fine', headers: { traceparent: '00-00000000000000000000000000000000-00f067aa0ba902b7-01' } });
    const traceId = lines.at(-1)?.['trace_id'];
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(traceId).not.toBe('00000000000000000000000000000000');
  });

  it('a 404 names no route and carries the catalogue code', async () => {
    await app.inject({ method: 'GET', url: '/nowhere', headers: { 'x-correlation-id': 'corr-404' } });
    expect(lines.at(-1)).toMatchObject({ correlation_id: 'corr-404', route: null, status: 404, error_code: 'ROUTE_NOT_FOUND' });
  });
});
