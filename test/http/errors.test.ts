/**
 * The one renderer (src/http/errors.ts): catalogued codes with their status, detail and
 * Retry-After; FastAPI's 422 list; 415, malformed and empty JSON; 404 and 405 as Starlette words
 * them; 500 as problem+json with no secret, driver text or stack in the body.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReasonError } from '../../src/config/reason-codes.ts';
import { buildServer } from '../../src/http/server.ts';
import { createServiceMetrics } from '../../src/services/observability/metrics.ts';

describe('HTTP error format', () => {
  let app: FastifyInstance;
  const logged: string[] = [];
  const metrics = createServiceMetrics();

  beforeAll(async () => {
    // Debug: a store failure's per-request record is debug, since the store's outage log warns once per outage.
    const logger = pino({ level: 'debug' }, { write: (line: string) => void logged.push(line) });
    app = await buildServer({
      logger,
      metrics,
      routes: [
        async (server) => {
          server.post('/echo', { schema: { body: Type.Object({ amount: Type.String() }) } }, async (request) => request.body);
          server.post('/no-body', async () => ({ ok: true }));
          server.get('/unavailable', async () => {
            throw new ReasonError('DPM_SUPPORTABILITY_POSTGRES_UNAVAILABLE', 'connect ECONNREFUSED 127.0.0.1:5432 postgres://app:hunter2@db/x');
          });
          server.get('/conflict', async () => {
            throw new ReasonError('IDEMPOTENCY_KEY_CONFLICT', 'Key reused with another request.');
          });
          server.get('/state', async () => {
            throw new ReasonError('STATE_CONFLICT', 'expected_state missing.', { detail: 'STATE_CONFLICT: expected_state is required' });
          });
          server.get('/startup-only', async () => {
            throw new ReasonError('POSTGRES_MIGRATION_FAILED', 'x');
          });
          server.get('/bug', async () => {
            throw new Error('secret internals postgres://u:hunter2@h/db');
          });
        },
      ],
    });
  });

  afterAll(async () => {
    await app.close();
  });

  it('a catalogued code: its status, the reference detail, our code and message', async () => {
    const conflict = await app.inject({ method: 'GET', url: '/conflict' });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(conflict.json()).toEqual({ detail: 'IDEMPOTENCY_KEY_CONFLICT: request hash mismatch', code: 'IDEMPOTENCY_KEY_CONFLICT', message: 'Key reused with another request.' });
    expect((await app.inject({ method: 'GET', url: '/state' })).json()).toMatchObject({ detail: 'STATE_CONFLICT: expected_state is required', code: 'STATE_CONFLICT' });
  });

  it('a store outage is 503 with Retry-After, counted, and no driver text or address in the body', async () => {
    const response = await app.inject({ method: 'GET', url: '/unavailable' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.json()).toMatchObject({ detail: 'DPM_SUPPORTABILITY_POSTGRES_UNAVAILABLE', code: 'DPM_SUPPORTABILITY_POSTGRES_UNAVAILABLE' });
    expect(response.body).not.toMatch(/hunter2|ECONNREFUSED|127\.0\.0\.1/);
    const line = logged.find((l) => l.includes('DPM_SUPPORTABILITY_POSTGRES_UNAVAILABLE') && l.includes('ECONNREFUSED'));
    expect(line).toContain(response.headers['x-correlation-id']);
    expect(line).not.toContain('hunter2');
    expect(await metrics.registry.getSingleMetricAsString('dpm_rebalance_store_errors_total')).toContain('code="DPM_SUPPORTABILITY_POSTGRES_UNAVAILABLE"} 1');
  });

  it('malformed JSON is FastAPI\'s 422 json_invalid at its character position', async () => {
    const response = await app.inject({ method: 'POST', url: '/echo', payload: '{"amount":', headers: { 'content-type': 'application/json' } });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ detail: [{ type: 'json_invalid', loc: ['body', 10], msg: 'JSON decode error', input: {} }], code: 'VALIDATION_ERROR' });
    const trailing = await app.inject({ method: 'POST', url: '/echo', payload: '{"amount":"1",}', headers: { 'content-type': 'application/json' } });
    expect(trailing.json<{ detail: { loc: unknown[] }[] }>().detail[0]?.loc).toEqual(['body', 14]);
    const word = await app.inject({ method: 'POST', url: '/echo', payload: '{"amount": nope}', headers: { 'content-type': 'application/json' } });
    // Where the text stops being JSON: `n` could still start `null`, `o` cannot.
    expect(word.json<{ detail: { loc: unknown[]; ctx: { error: string } }[] }>().detail[0]).toMatchObject({ loc: ['body', 12] });
    expect(word.body).not.toContain('nope');
  });

  it('an empty JSON body is a missing body; a route without a body ignores it', async () => {
    const empty = await app.inject({ method: 'POST', url: '/echo', payload: '', headers: { 'content-type': 'application/json' } });
    expect(empty.statusCode).toBe(422);
    expect(empty.json()).toMatchObject({ detail: [{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }] });
    expect((await app.inject({ method: 'POST', url: '/no-body', payload: '', headers: { 'content-type': 'application/json' } })).statusCode).toBe(200);
  });

  it('a body that is not JSON is 415; +json types are JSON', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      const response = await app.inject({ method: 'POST', url: '/echo', payload: '{"amount":"1"}', headers: { 'content-type': type } });
      expect(response.statusCode).toBe(415);
      expect(response.json()).toEqual({ detail: 'UNSUPPORTED_MEDIA_TYPE', code: 'UNSUPPORTED_MEDIA_TYPE', message: expect.any(String) });
    }
    const vendor = await app.inject({ method: 'POST', url: '/echo', payload: '{"amount":"1"}', headers: { 'content-type': 'application/vnd.api+json' } });
    expect(vendor.statusCode).toBe(200);
  });

  it('no Fastify code ever reaches a client', async () => {
    const poisoned = await app.inject({ method: 'POST', url: '/echo', payload: '{"__proto__":{"x":1},"amount":"1"}', headers: { 'content-type': 'application/json' } });
    expect(poisoned.statusCode).toBe(422);
    const badLength = await app.inject({ method: 'POST', url: '/echo', payload: '{"amount":"1"}', headers: { 'content-type': 'application/json', 'content-length': '3' } });
    for (const response of [poisoned, badLength]) expect(response.body).not.toContain('FST_');
  });

  it('an unknown path is 404 "Not Found", a known path with another method 405 with Allow', async () => {
    const missing = await app.inject({ method: 'GET', url: '/nowhere?x=1' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ detail: 'Not Found', code: 'ROUTE_NOT_FOUND' });
    const wrongMethod = await app.inject({ method: 'GET', url: '/echo' });
    expect(wrongMethod.statusCode).toBe(405);
    expect(wrongMethod.headers['allow']).toBe('POST');
    expect(wrongMethod.json()).toMatchObject({ detail: 'Method Not Allowed', code: 'METHOD_NOT_ALLOWED' });
  });

  it('an unexpected error is a 500 problem+json with instance, without stack or secrets, logged redacted with the correlation id', async () => {
    for (const url of ['/bug', '/startup-only']) {
      const response = await app.inject({ method: 'GET', url: `${url}?q=1`, headers: { 'x-correlation-id': `corr-${url.slice(1)}` } });
      expect(response.statusCode).toBe(500);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json(;|$)/);
      expect(response.json()).toEqual({
        type: 'about:blank',
        title: 'Internal Server Error',
        status: 500,
        detail: 'An unexpected error occurred.',
        instance: url,
        code: 'INTERNAL_ERROR',
        message: expect.any(String),
      });
      expect(response.body).not.toMatch(/hunter2|secret internals|at /);
    }
    const line = logged.find((l) => l.includes('Unhandled error'));
    expect(line).toContain('corr-bug');
    expect(line).not.toContain('hunter2');
  });
});
