import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReasonError } from '../../src/config/reason-codes.ts';
import { HttpError } from '../../src/http/errors.ts';
import { buildServer } from '../../src/http/server.ts';

describe('HTTP error format', () => {
  let app: FastifyInstance;
  const logged: string[] = [];

  beforeAll(async () => {
    const logger = pino({ level: 'info' }, { write: (line: string) => void logged.push(line) });
    app = await buildServer({
      logger,
      routes: [
        async (server) => {
          server.post(
            '/echo',
            { schema: { body: Type.Object({ amount: Type.String(), nested: Type.Object({ qty: Type.Integer({ minimum: 1 }) }) }, { additionalProperties: false }) } },
            async (request) => request.body,
          );
          server.get('/unavailable', async () => {
            throw new ReasonError('DPM_SUPPORTABILITY_POSTGRES_UNAVAILABLE', 'connect ECONNREFUSED postgres://app:hunter2@db/x');
          });
          server.get('/cursor', async () => {
            throw new ReasonError('PROPOSAL_POSTGRES_CONNECTION_FAILED', 'x');
          });
          server.get('/conflict', async () => {
            throw new HttpError(409, 'IDEMPOTENCY_KEY_CONFLICT', 'Key reused with another request.');
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

  it('422 names every bad field', async () => {
    const response = await app.inject({ method: 'POST', url: '/echo', payload: { amount: 5, nested: { qty: 0 }, extra: true } });
    expect(response.statusCode).toBe(422);
    const body = response.json<{ code: string; errors: { field: string; code: string }[] }>();
    expect(body.code).toBe('VALIDATION_ERROR');
    expect(body.errors.map((e) => e.field).sort()).toEqual(['body.amount', 'body.extra', 'body.nested.qty']);
  });

  it('malformed JSON is a 400 with a code, not a 500', async () => {
    const response = await app.inject({ method: 'POST', url: '/echo', payload: '{"amount":', headers: { 'content-type': 'application/json' } });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: expect.any(String), detail: expect.any(String) });
  });

  it('a store outage is 503 with Retry-After and no password', async () => {
    const response = await app.inject({ method: 'GET', url: '/unavailable' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.json()).toMatchObject({ detail: 'DPM_SUPPORTABILITY_POSTGRES_UNAVAILABLE' });
    expect(response.body).not.toContain('hunter2');
    expect((await app.inject({ method: 'GET', url: '/cursor' })).statusCode).toBe(503);
  });

  it('a deliberate HttpError keeps its status and code', async () => {
    const response = await app.inject({ method: 'GET', url: '/conflict' });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toEqual({ detail: 'IDEMPOTENCY_KEY_CONFLICT', code: 'IDEMPOTENCY_KEY_CONFLICT', message: 'Key reused with another request.' });
  });

  it('an unexpected error is a 500 without stack or secrets, logged redacted', async () => {
    const response = await app.inject({ method: 'GET', url: '/bug' });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toMatchObject({ code: 'INTERNAL_ERROR' });
    expect(response.body).not.toMatch(/hunter2|secret internals|at /);
    const line = logged.find((l) => l.includes('Unhandled error'));
    expect(line).toBeDefined();
    expect(line).not.toContain('hunter2');
  });
});
