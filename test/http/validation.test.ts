import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/http/server.ts';

describe('request validation', () => {
  let app: FastifyInstance;
  const schema = Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }) }, { additionalProperties: false });

  beforeAll(async () => {
    app = await buildServer({
      logger: pino({ level: 'silent' }),
      routes: [
        async (server) => {
          server.get('/items', { schema: { querystring: schema } }, async (request) => request.query);
          server.post('/items', { schema: { body: schema } }, async (request) => request.body);
        },
      ],
    });
  });
  afterAll(() => app.close());

  it('reads a query-string integer as an integer and fills its default', async () => {
    expect((await app.inject({ url: '/items?limit=5' })).json()).toEqual({ limit: 5 });
    expect((await app.inject({ url: '/items' })).json()).toEqual({ limit: 50 });
  });

  it('still rejects a query value that is not an integer, naming the field', async () => {
    const response = await app.inject({ url: '/items?limit=abc' });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors[0].field).toBe('querystring.limit');
  });

  it('takes a JSON body exactly as sent: a string is not an integer there', async () => {
    const response = await app.inject({ method: 'POST', url: '/items', payload: { limit: '5' } });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors).toEqual([expect.objectContaining({ field: 'body.limit', code: 'type' })]);
    expect((await app.inject({ method: 'POST', url: '/items', payload: { limit: 5 } })).json()).toEqual({ limit: 5 });
  });
});
