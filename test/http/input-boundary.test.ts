/**
 * The input boundary's rules (docs/errors.md#field-limits), checked where they are made: every
 * parameter of every route has a length limit in the published document, the indexed body
 * identifiers have theirs, instants are parsed strictly, and the text walker finds NUL and
 * unpaired surrogates wherever they are — and nothing else. What each route answers on every
 * backend is test/http/bad-input.test.ts.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app/app.ts';
import { assessStartup } from '../../src/config/startup-assessment.ts';
import { instantOf, parseInstant } from '../../src/http/instants.ts';
import { IDENTIFIER_MAX_LENGTH } from '../../src/http/schema-kit.ts';
import { bodyTextCheck, textErrors } from '../../src/http/unsafe-text.ts';

type Json = Record<string, unknown>;

/** The body fields stored in indexed columns: each must be bounded like an identifier. */
const INDEXED_BODY_FIELDS = ['portfolio_id', 'created_by', 'actor_id'];

describe('every route parameter has a documented limit', () => {
  let app: App;
  let doc: { paths: Record<string, Record<string, { parameters?: Json[]; requestBody?: { content: Record<string, { schema: Json }> } }>>; components: { schemas: Record<string, Json> } };

  beforeAll(async () => {
    const env = { DPM_WORKFLOW_ENABLED: 'true', DPM_LINEAGE_APIS_ENABLED: 'true', DPM_IDEMPOTENCY_HISTORY_APIS_ENABLED: 'true', DPM_POLICY_PACK_ADMIN_APIS_ENABLED: 'true' };
    const created = await createApp(assessStartup(env), pino({ level: 'silent' }));
    if (!created.ok) throw new Error(created.violations.map((v) => v.code).join(', '));
    app = created.app;
    await app.server.ready();
    doc = app.server.swagger() as unknown as typeof doc;
  });

  afterAll(() => app.close());

  it('each string in a path, query or header is bounded (X-Correlation-Id is replaced instead, never refused)', () => {
    const unbounded: string[] = [];
    let checked = 0;
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        for (const parameter of operation.parameters ?? []) {
          const schema = parameter['schema'] as Json;
          if (schema['type'] !== 'string' || parameter['name'] === 'X-Correlation-Id') continue;
          checked += 1;
          const bounded = typeof schema['maxLength'] === 'number' || schema['format'] === 'instant' || 'enum' in schema || 'const' in schema;
          if (!bounded) unbounded.push(`${method.toUpperCase()} ${path} ${String(parameter['in'])} ${String(parameter['name'])}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(60);
    expect(unbounded).toEqual([]);
  });

  it('each indexed identifier in a request body is at most IDENTIFIER_MAX_LENGTH characters', () => {
    const found: string[] = [];
    const resolve = (schema: Json): Json => (typeof schema['$ref'] === 'string' ? (doc.components.schemas[schema['$ref'].split('/').at(-1) ?? ''] ?? {}) : schema);
    const visit = (node: unknown, at: string, seen: Set<Json>): void => {
      if (node === null || typeof node !== 'object') return;
      const schema = resolve(node as Json);
      if (seen.has(schema)) return;
      seen.add(schema);
      for (const [name, property] of Object.entries((schema['properties'] as Record<string, Json> | undefined) ?? {})) {
        const target = resolve(property);
        if (INDEXED_BODY_FIELDS.includes(name)) {
          found.push(at);
          expect(target['maxLength'], `${at}.${name}`).toBeLessThanOrEqual(IDENTIFIER_MAX_LENGTH);
        }
        visit(target, `${at}.${name}`, seen);
      }
      for (const key of ['anyOf', 'oneOf', 'allOf', 'items'] as const) {
        const children = schema[key];
        for (const child of Array.isArray(children) ? children : children ? [children] : []) visit(child, at, seen);
      }
    };
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const schema = operation.requestBody?.content['application/json']?.schema;
        if (schema) visit(schema, `${method.toUpperCase()} ${path}`, new Set());
      }
    }
    // Simulate, analyze, proposal simulation and artifact, creates, versions, transitions, approvals, workflow actions.
    expect(new Set(found).size).toBeGreaterThanOrEqual(10);
  });
});

describe('instants', () => {
  it.each([
    ['2026-02-21T00:00:00Z', '2026-02-21T00:00:00.000Z'],
    ['2026-02-21T08:00+08:00', '2026-02-21T00:00:00.000Z'],
    ['2024-02-29T10:00:00.123456789-05:30', '2024-02-29T15:30:00.123Z'],
    ['2026-02-21t00:00:00z', '2026-02-21T00:00:00.000Z'],
    ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
    ['0050-06-01T00:00:00Z', '0050-06-01T00:00:00.000Z'],
    ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
  ])('%s is the instant %s', (text, iso) => {
    expect(instantOf(text)).toBe(iso);
  });

  it.each([
    ['2026-02-30T00:00:00Z', 'no such date'],
    ['2023-02-29T00:00:00Z', 'no such date'],
    ['2026-13-01T00:00:00Z', 'no such date'],
    ['2026-04-31T00:00:00Z', 'no such date'],
    ['2026-02-21T24:00:00Z', 'no such time of day'],
    ['2026-02-21T10:60:00Z', 'no such time of day'],
    ['2026-02-21T10:00:60Z', 'no such time of day'],
    ['2026-02-21T10:00:00+24:00', 'offset out of range'],
    ['2026-02-21T10:00:00+05:60', 'offset out of range'],
    ['0000-01-01T00:00:00Z', 'outside'],
    ['0001-01-01T00:00:00+01:00', 'outside'],
    ['9999-12-31T23:00:00-02:00', 'outside'],
    ['2026-02-21T10:00:00', 'not an ISO-8601'],
    ['2026-02-21 10:00:00Z', 'not an ISO-8601'],
    ['+02026-02-21T10:00:00Z', 'not an ISO-8601'],
    ['2026-02-21T10:00:00.1234567890Z', 'not an ISO-8601'],
  ])('%s is refused: %s', (text, reason) => {
    const parsed = parseInstant(text);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.reason).toContain(reason);
  });
});

describe('the text walker', () => {
  it('finds NUL and unpaired surrogates in strings and keys at any depth, with their JSON pointer', () => {
    const body = { a: 'ok', b: ['fine', 'x\u0000y'], c: { 'k\ud800': 1, d: { e: 'z\udc00' } }, f: 'pair \ud83d\ude00 is fine', 'g/h': '\u0000' };
    expect(textErrors(body).map((e) => [e.instancePath, e.keyword, e.params])).toEqual([
      ['/b/1', 'unsafeText', { character: 'nul' }],
      ['/c/k\ud800', 'unsafeText', { character: 'surrogate' }],
      ['/c/d/e', 'unsafeText', { character: 'surrogate' }],
      ['/g~1h', 'unsafeText', { character: 'nul' }],
    ]);
  });

  it('bounds every string and key when given a length, counting code points', () => {
    expect(textErrors({ a: 'x'.repeat(11), ['k'.repeat(11)]: 1, b: '😀'.repeat(10) }, { maxLength: 10 }).map((e) => [e.instancePath, e.keyword])).toEqual([
      ['/a', 'maxLength'],
      [`/${'k'.repeat(11)}`, 'maxLength'],
    ]);
  });

  it('reports at most 20 problems of a huge body', () => {
    expect(textErrors(Array.from({ length: 1000 }, () => '\u0000'))).toHaveLength(20);
  });

  it('walks a body only for what its text could hold', () => {
    expect(bodyTextCheck('{"a":"plain text \\u00e9"}', 100)).toBeUndefined();
    expect(bodyTextCheck('{"a":"\\u0000"}', 100)).toEqual({ characters: true });
    expect(bodyTextCheck('{"a":"\\uD83D"}', 100)).toEqual({ characters: true });
    expect(bodyTextCheck('{"a":"\\udc00"}', 100)).toEqual({ characters: true });
    expect(bodyTextCheck(JSON.stringify({ a: 'x'.repeat(200) }), 100)).toEqual({ characters: false, maxLength: 100 });
  });

  it('checks lengths alone when asked to', () => {
    expect(textErrors({ a: '\u0000', b: 'x'.repeat(11) }, { characters: false, maxLength: 10 }).map((e) => e.instancePath)).toEqual(['/b']);
  });
});
