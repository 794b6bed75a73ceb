/**
 * One input boundary, identical on every backend (docs/errors.md#field-limits): each class of bad
 * input, sent to every route that takes it — read from the OpenAPI document, so a new route is
 * covered the day it is added — answers the same 4xx with the same body on IN_MEMORY, SQLITE and
 * POSTGRES, naming the field. Before the boundary, a NUL, a lone surrogate, a 3 KB key or a forged
 * cursor answered 500 on PostgreSQL and 200 elsewhere.
 *
 * Classes: NUL and over-long (limit + 1, and 3,000 characters: a btree row) in every path
 * parameter, query value and header; year 0000, February 30 and an offset of 24 hours in every
 * time filter; forged cursors (a year-0000 position, a NUL id, an edited digest, a foreign text,
 * an over-long one); NUL, a lone surrogate and a 4,097-character string in every JSON body; an
 * over-long portfolio_id, created_by and actor_id wherever a body carries one. As a control, a
 * path parameter at its limit (of four-byte characters) is not refused, and answers alike too.
 * Real servers on real sockets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CURSOR_MAX_LENGTH } from '../../src/http/schema-kit.ts';
import { encodeCursor } from '../../src/stores/sql/keyset-cursor.ts';
import { ADMIN_TOKEN, BACKENDS, send, serveOn, type Answer, type Backend, type Sent, type ServiceOnBackend } from '../support/all-backends.ts';

type Json = Record<string, unknown>;
type Loc = readonly (string | number)[];

interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly required: boolean;
  readonly example?: unknown;
  readonly schema: Json;
}

interface Operation {
  readonly security?: unknown[];
  readonly parameters?: Parameter[];
  readonly requestBody?: { content: Record<string, { examples?: Record<string, { value: unknown }> }> };
}

interface Case {
  readonly name: string;
  readonly request: Sent;
  readonly status: number;
  /** Where the 422 must point. */
  readonly loc?: Loc;
  /** The catalogued code of a non-validation refusal. */
  readonly code?: string;
}

const INDEXED_BODY_FIELDS = ['portfolio_id', 'created_by', 'actor_id'];
const BTREE_BREAKER = 3_000;
/** Stands for a proposal that exists, created on each backend (ids differ): a new version's body is judged only then. */
const EXISTING_PROPOSAL = 'EXISTING_PROPOSAL';
/** Valid values for path parameters whose shape is fixed. */
const PATH_DEFAULTS: Readonly<Record<string, string>> = { version_no: '1', policy_pack_id: 'pack_a', proposal_id: EXISTING_PROPOSAL };

let counter = 0;
const unique = (prefix: string): string => `${prefix}-${(counter += 1)}`;

/** Cursors a client could craft: the digest is public, so only re-validation stops them. */
function forgedCursors(): { name: string; cursor: string; status: number }[] {
  const real = encodeCursor({ createdAt: '2026-02-21T09:30:00.000Z', id: 'rr_0123456789abcdef01234567' });
  return [
    { name: 'a year-0000 position', cursor: encodeCursor({ createdAt: '0000-01-01T00:00:00.000Z', id: 'rr_1' }), status: 400 },
    { name: 'February 30', cursor: encodeCursor({ createdAt: '2026-02-30T00:00:00.000Z', id: 'rr_1' }), status: 400 },
    { name: 'a NUL in the id', cursor: encodeCursor({ createdAt: '2026-02-21T09:30:00.000Z', id: 'rr\u0000' }), status: 400 },
    { name: 'a 3,000-character id', cursor: encodeCursor({ createdAt: '2026-02-21T09:30:00.000Z', id: 'r'.repeat(600) }), status: 400 },
    { name: 'an edited digest', cursor: `${real.slice(0, -1)}${real.endsWith('A') ? 'B' : 'A'}`, status: 400 },
    { name: 'a foreign text', cursor: 'not-a-cursor-of-ours', status: 400 },
    { name: 'an over-long text', cursor: 'c'.repeat(CURSOR_MAX_LENGTH + 1), status: 422 },
  ];
}

/** The first string leaf of a JSON value, by path. */
function firstStringPath(value: unknown, at: (string | number)[] = []): (string | number)[] | undefined {
  if (typeof value === 'string') return at;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = firstStringPath(item, [...at, index]);
      if (found) return found;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = firstStringPath(item, [...at, key]);
      if (found) return found;
    }
  }
  return undefined;
}

/** Every path at which `value` holds a string property named one of `names`. */
function namedStringPaths(value: unknown, names: readonly string[], at: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((item, index) => namedStringPaths(item, names, [...at, index]));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) =>
    typeof item === 'string' && names.includes(key) ? [[...at, key]] : namedStringPaths(item, names, [...at, key]),
  );
}

function withValueAt(value: unknown, path: readonly (string | number)[], replacement: unknown): unknown {
  const copy = structuredClone(value) as Json;
  if (path.length === 0) return replacement;
  let node = copy as Record<string | number, unknown>;
  for (const segment of path.slice(0, -1)) node = node[segment] as Record<string | number, unknown>;
  node[path.at(-1) as string | number] = replacement;
  return copy;
}

const limitOf = (schema: Json): number => Number(schema['maxLength']);

/** Every bad-input case of one operation of the document. */
function casesOf(method: string, path: string, operation: Operation): Case[] {
  const parameters = operation.parameters ?? [];
  const pathValues = Object.fromEntries(parameters.filter((p) => p.in === 'path').map((p) => [p.name, PATH_DEFAULTS[p.name] ?? String(p.example ?? 'x1')]));
  const baseHeaders = (): Record<string, string> => ({
    ...Object.fromEntries(parameters.filter((p) => p.in === 'header' && p.required).map((p) => [p.name, unique('bad-input-key')])),
    ...(operation.security ? { authorization: `Bearer ${ADMIN_TOKEN}` } : {}),
  });
  const examples = operation.requestBody?.content['application/json']?.examples;
  const body = operation.requestBody ? (examples ? Object.values(examples)[0]?.value : {}) : undefined;
  const request = (changes: { path?: Record<string, string>; query?: string; headers?: Record<string, string>; body?: unknown }): Sent => {
    const values = { ...pathValues, ...changes.path };
    const url = path.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(values[name] ?? ''));
    return { method: method.toUpperCase(), url: changes.query === undefined ? url : `${url}?${changes.query}`, headers: { ...baseHeaders(), ...changes.headers }, body: 'body' in changes ? changes.body : body };
  };
  const op = `${method.toUpperCase()} ${path}`;
  const cases: Case[] = [];
  for (const parameter of parameters) {
    const { name, schema } = parameter;
    if (schema['type'] !== 'string' || name === 'X-Correlation-Id') continue;
    const at = (value: string): Partial<Parameters<typeof request>[0]> =>
      parameter.in === 'path' ? { path: { [name]: value } } : parameter.in === 'query' ? { query: `${name}=${encodeURIComponent(value)}` } : { headers: { [name]: value } };
    const loc: Loc = [parameter.in, name];
    const overLong = [limitOf(schema) + 1, BTREE_BREAKER].filter((length) => Number.isFinite(length));
    if (parameter.in !== 'header') cases.push({ name: `${op}: NUL in ${parameter.in} ${name}`, request: request(at('a\u0000b')), status: 422, loc });
    if (name === 'cursor') {
      for (const forged of forgedCursors()) {
        cases.push({ name: `${op}: a forged cursor, ${forged.name}`, request: request(at(forged.cursor)), status: forged.status, ...(forged.status === 422 ? { loc } : { code: 'INVALID_CURSOR' }) });
      }
    } else if (schema['format'] === 'instant') {
      for (const instant of ['0000-01-01T00:00:00Z', '2026-02-30T00:00:00Z', '2026-02-21T10:00:00+24:00', '2026-02-21T24:00:00Z']) {
        cases.push({ name: `${op}: ${name}=${instant}`, request: request(at(instant)), status: 422, loc });
      }
    } else {
      for (const length of overLong) cases.push({ name: `${op}: ${length} characters in ${parameter.in} ${name}`, request: request(at('k'.repeat(length))), status: 422, loc });
    }
  }
  if (body !== undefined) {
    const leaf = firstStringPath(body);
    const target = leaf ?? ['note'];
    const loc: Loc = ['body', ...target];
    cases.push({ name: `${op}: NUL in a body string`, request: request({ body: withValueAt(body, target, 'a\u0000b') }), status: 422, loc });
    cases.push({ name: `${op}: NUL in a body key`, request: request({ body: { ...(body as Json), 'k\u0000': 1 } }), status: 422, loc: ['body', 'k\u0000'] });
    cases.push({ name: `${op}: a lone surrogate in a body string`, request: request({ body: withValueAt(body, target, 'a\ud800b') }), status: 422, loc });
    cases.push({ name: `${op}: 4,097 characters in a body string`, request: request({ body: withValueAt(body, target, 's'.repeat(4097)) }), status: 422, loc });
    for (const field of namedStringPaths(body, INDEXED_BODY_FIELDS)) {
      for (const length of [257, BTREE_BREAKER]) {
        cases.push({ name: `${op}: ${length} characters in body ${field.join('.')}`, request: request({ body: withValueAt(body, field, 'p'.repeat(length)) }), status: 422, loc: ['body', ...field] });
      }
    }
  }
  return cases;
}

/**
 * Controls: a path parameter at its limit, in four-byte characters, passes validation and is
 * answered by the stores (404, or an empty lineage) — alike on every backend.
 */
function controlsOf(method: string, path: string, operation: Operation): Case[] {
  if (method !== 'get') return [];
  return (operation.parameters ?? [])
    .filter((p) => p.in === 'path' && p.schema['type'] === 'string' && !('pattern' in p.schema))
    .map((p) => {
      const values = (name: string): string => (name === p.name ? '😀'.repeat(limitOf(p.schema)) : (PATH_DEFAULTS[name] ?? 'x1'));
      return {
        name: `${method.toUpperCase()} ${path}: ${limitOf(p.schema)} four-byte characters in path ${p.name}`,
        request: { method: 'GET', url: path.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(values(name))) },
        status: path.startsWith('/rebalance/lineage/') ? 200 : 404,
      };
    });
}

describe('bad input answers the same 4xx on every backend', () => {
  const services = new Map<Backend, ServiceOnBackend>();
  const proposals = new Map<Backend, string>();
  let cases: Case[] = [];

  beforeAll(async () => {
    for (const backend of BACKENDS) services.set(backend, await serveOn(backend));
    const first = services.get('IN_MEMORY') as ServiceOnBackend;
    // A pack, so policy-pack routes reach validation with an id that exists.
    expect((await send(first, { method: 'PUT', url: '/rebalance/policies/catalog/pack_a', headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, body: { version: '1' } })).status).toBe(200);
    const doc = (await (await fetch(`${first.baseUrl}/openapi.json`)).json()) as { paths: Record<string, Record<string, Operation>> };
    const create = doc.paths['/rebalance/proposals']?.['post']?.requestBody?.content['application/json']?.examples;
    for (const [backend, service] of services) {
      const created = await send(service, { method: 'POST', url: '/rebalance/proposals', headers: { 'idempotency-key': 'bad-input-proposal' }, body: Object.values(create ?? {})[0]?.value });
      expect(created.status, created.body).toBe(200);
      proposals.set(backend, String((JSON.parse(created.body) as { proposal: { proposal_id: string } }).proposal.proposal_id));
    }
    cases = Object.entries(doc.paths).flatMap(([path, operations]) =>
      Object.entries(operations).flatMap(([method, operation]) => [...casesOf(method, path, operation), ...controlsOf(method, path, operation)]),
    );
  }, 120_000);

  afterAll(async () => {
    for (const service of services.values()) await service.close();
  });

  it('covers every class on every route that takes it', () => {
    const names = cases.map((c) => c.name);
    const count = (pattern: RegExp): number => names.filter((n) => pattern.test(n)).length;
    expect(count(/NUL in path/)).toBeGreaterThanOrEqual(25);
    expect(count(/NUL in query/)).toBeGreaterThanOrEqual(20);
    expect(count(/characters in header Idempotency-Key/)).toBeGreaterThanOrEqual(10);
    expect(count(/=0000-01-01/)).toBeGreaterThanOrEqual(10);
    expect(count(/forged cursor, a year-0000/)).toBe(5);
    expect(count(/lone surrogate in a body/)).toBeGreaterThanOrEqual(15);
    expect(count(/characters in body (.*\.)?portfolio_id/)).toBeGreaterThanOrEqual(10);
    expect(count(/characters in body created_by/)).toBeGreaterThanOrEqual(6);
    expect(count(/characters in body actor_id/)).toBeGreaterThanOrEqual(6);
    expect(names.some((n) => n.startsWith('GET /rebalance/proposals: created_from=2026-02-30'))).toBe(true);
  });

  it('each answers its 4xx, naming the field, and every backend answers it identically', async () => {
    const failures: string[] = [];
    for (const testCase of cases) {
      const answers = new Map<Backend, Answer>();
      for (const [backend, service] of services) {
        answers.set(backend, await send(service, { ...testCase.request, url: testCase.request.url.replace(EXISTING_PROPOSAL, proposals.get(backend) ?? '') }));
      }
      const reference = answers.get('IN_MEMORY') as Answer;
      const describe = [...answers].map(([backend, a]) => `${backend} ${a.status} ${a.body.slice(0, 200)}`).join('\n    ');
      if ([...answers.values()].some((a) => a.status !== reference.status || (a.status >= 400 && a.body !== reference.body))) {
        failures.push(`${testCase.name}: backends differ\n    ${describe}`);
        continue;
      }
      if (reference.status !== testCase.status) {
        failures.push(`${testCase.name}: expected ${testCase.status}\n    ${describe}`);
        continue;
      }
      const body = JSON.parse(reference.body) as { code?: string; detail?: { loc: Loc }[] };
      if (testCase.loc && !(body.code === 'VALIDATION_ERROR' && body.detail?.some((item) => JSON.stringify(item.loc) === JSON.stringify(testCase.loc)))) {
        failures.push(`${testCase.name}: no item at ${JSON.stringify(testCase.loc)}\n    ${describe}`);
      }
      if (testCase.code && !body.code?.endsWith(testCase.code)) failures.push(`${testCase.name}: expected *${testCase.code}\n    ${describe}`);
    }
    expect(cases.length).toBeGreaterThan(300);
    expect(failures).toEqual([]);
  }, 600_000);
});
