/**
 * Request validation answers in FastAPI's shape: one 422 whose `detail` lists every problem as
 * `{type, loc, msg, input, ctx?}` with pydantic v2's types and messages (docs/errors.md).
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/http/server.ts';

describe('request validation in FastAPI shape', () => {
  let app: FastifyInstance;
  const query = Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }), flag: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
  const body = Type.Object(
    {
      name: Type.String({ minLength: 2, maxLength: 5 }),
      action: Type.Union([Type.Literal('APPROVE'), Type.Literal('REJECT')]),
      note: Type.Optional(Type.Union([Type.String(), Type.Null()])),
      code: Type.Optional(Type.String({ pattern: '^[A-Z]+$' })),
      items: Type.Optional(Type.Array(Type.Integer(), { minItems: 1 })),
      nested: Type.Optional(Type.Object({ qty: Type.Integer({ exclusiveMinimum: 0 }) })),
    },
    { additionalProperties: false },
  );

  beforeAll(async () => {
    app = await buildServer({
      logger: pino({ level: 'silent' }),
      routes: [
        async (server) => {
          server.get('/items', { schema: { querystring: query } }, async (request) => request.query);
          server.post('/items', { schema: { body, headers: Type.Object({ 'idempotency-key': Type.String() }) } }, async (request) => request.body);
        },
      ],
    });
  });
  afterAll(() => app.close());

  it('reads a query-string integer as an integer and fills its default', async () => {
    expect((await app.inject({ url: '/items?limit=5' })).json()).toEqual({ limit: 5 });
    expect((await app.inject({ url: '/items' })).json()).toEqual({ limit: 50 });
  });

  const cases: { name: string; url: string; method?: 'POST'; payload?: unknown; headers?: Record<string, string>; items: unknown[] }[] = [
    { name: 'a query value that is not an integer', url: '/items?limit=abc', items: [{ type: 'int_parsing', loc: ['query', 'limit'], msg: 'Input should be a valid integer, unable to parse string as an integer', input: 'abc' }] },
    { name: 'a query bound', url: '/items?limit=500', items: [{ type: 'less_than_equal', loc: ['query', 'limit'], msg: 'Input should be less than or equal to 200', ctx: { le: 200 } }] },
    { name: 'a query boolean', url: '/items?flag=maybe', items: [{ type: 'bool_parsing', loc: ['query', 'flag'], msg: 'Input should be a valid boolean, unable to interpret input', input: 'maybe' }] },
    { name: 'a missing header', url: '/items', method: 'POST', payload: { name: 'abc', action: 'APPROVE' }, items: [{ type: 'missing', loc: ['header', 'Idempotency-Key'], msg: 'Field required', input: null }] },
    {
      name: 'every bad body field at once',
      url: '/items',
      method: 'POST',
      headers: { 'idempotency-key': 'k' },
      payload: { name: 'a', action: 'MAYBE', note: 5, code: 'abc', items: [], nested: { qty: 0 }, extra: true },
      items: [
        { type: 'extra_forbidden', loc: ['body', 'extra'], msg: 'Extra inputs are not permitted', input: true },
        { type: 'string_too_short', loc: ['body', 'name'], msg: 'String should have at least 2 characters', input: 'a', ctx: { min_length: 2 } },
        { type: 'literal_error', loc: ['body', 'action'], msg: "Input should be 'APPROVE' or 'REJECT'", input: 'MAYBE', ctx: { expected: "'APPROVE' or 'REJECT'" } },
        { type: 'string_type', loc: ['body', 'note'], msg: 'Input should be a valid string', input: 5 },
        { type: 'string_pattern_mismatch', loc: ['body', 'code'], msg: "String should match pattern '^[A-Z]+$'", input: 'abc' },
        { type: 'too_short', loc: ['body', 'items'], input: [] },
        { type: 'greater_than', loc: ['body', 'nested', 'qty'], msg: 'Input should be greater than 0', input: 0, ctx: { gt: 0 } },
      ],
    },
    { name: 'a JSON body is taken exactly as sent', url: '/items', method: 'POST', headers: { 'idempotency-key': 'k' }, payload: { name: 5, action: 'APPROVE' }, items: [{ type: 'string_type', loc: ['body', 'name'], input: 5 }] },
    { name: 'a missing body field names the object it is missing from', url: '/items', method: 'POST', headers: { 'idempotency-key': 'k' }, payload: { name: 'abc' }, items: [{ type: 'missing', loc: ['body', 'action'], msg: 'Field required', input: { name: 'abc' } }] },
    { name: 'a body that is not an object', url: '/items', method: 'POST', headers: { 'idempotency-key': 'k' }, payload: [1], items: [{ type: 'model_attributes_type', loc: ['body'], input: [1] }] },
  ];

  it.each(cases)('422 for $name', async ({ url, method, payload, headers, items }) => {
    const response = await app.inject({ method: method ?? 'GET', url, headers: headers ?? {}, ...(payload === undefined ? {} : { payload: payload as object }) });
    expect(response.statusCode).toBe(422);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const json = response.json<{ detail: unknown[]; code: string; errors: unknown[] }>();
    expect(json.code).toBe('VALIDATION_ERROR');
    expect(json.detail).toHaveLength(items.length);
    expect(json.detail).toEqual(expect.arrayContaining(items.map((item) => expect.objectContaining(item as object))));
    expect(json.errors).toHaveLength(items.length);
  });
});
