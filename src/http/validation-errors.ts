/**
 * Request validation failures in FastAPI's shape (docs/errors.md "Validation errors"): a 422
 * whose `detail` is a list of `{type, loc, msg, input, ctx?}` with pydantic v2's error types and
 * messages, so a client written against the reference reads ours unchanged. Three sources end
 * up here: ajv (route schemas of query strings, path parameters, headers and lifecycle bodies),
 * the engines' own validators (DPM and advisory request bodies, reported as `FieldProblem`s),
 * and the JSON body parser.
 */
import type { FastifySchemaValidationError } from 'fastify';
import { ReasonError, type FieldProblem } from '../config/reason-codes.ts';
import { parseInstant } from './instants.ts';
import { UNSAFE_TEXT_KEYWORD } from './unsafe-text.ts';

export type Location = 'body' | 'query' | 'path' | 'header';
export type LocSegment = string | number;

export interface ValidationItem {
  readonly type: string;
  readonly loc: readonly LocSegment[];
  readonly msg: string;
  readonly input: unknown;
  readonly ctx?: Readonly<Record<string, unknown>>;
}

const MESSAGE = 'The request is invalid; see detail.';

/** A validation failure found by the HTTP layer itself (parser, query bounds), already in FastAPI's shape. */
export class RequestValidationError extends ReasonError<'VALIDATION_ERROR'> {
  constructor(readonly items: readonly ValidationItem[]) {
    super('VALIDATION_ERROR', MESSAGE);
  }
}

/** Fastify's names of the request parts → FastAPI's. */
const PARTS: Readonly<Record<string, Location>> = { body: 'body', querystring: 'query', params: 'path', headers: 'header' };

/** `idempotency-key` → `Idempotency-Key`, as FastAPI names a header by its alias. */
export function headerName(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase());
}

/** `a.b[0]["x y"]` (a domain problem's field) → `['a', 'b', 0, 'x y']`. */
export function fieldSegments(field: string): LocSegment[] {
  const out: LocSegment[] = [];
  const pattern = /\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|\.?([^.[\]]+)/g;
  for (const match of field.matchAll(pattern)) {
    if (match[1] !== undefined) out.push(Number(match[1]));
    else if (match[2] !== undefined) out.push(JSON.parse(match[2]) as string);
    else if (match[3] !== undefined) out.push(match[3]);
  }
  return out;
}

/** The value at `path` in `root`, or `undefined` when the path leaves it. */
function valueAt(root: unknown, path: readonly LocSegment[]): unknown {
  let node = root;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

/**
 * Domain validation problems of a request body. `input` is what pydantic reports: the value at
 * the field, or for a missing field the object it is missing from.
 */
export function itemsFromProblems(problems: readonly FieldProblem[], body: unknown): ValidationItem[] {
  return problems.map((problem) => {
    const path = fieldSegments(problem.field);
    const input = problem.code === 'missing' ? valueAt(body, path.slice(0, -1)) : valueAt(body, path);
    return { type: problem.code, loc: ['body', ...path], msg: problem.message, input: input ?? null };
  });
}

const quoted = (value: unknown): string => (typeof value === 'string' ? `'${value}'` : JSON.stringify(value));

/** `'A', 'B' or 'C'`, pydantic's list of expected literals. */
function expected(values: readonly unknown[]): string {
  const texts = values.map(quoted);
  return texts.length <= 1 ? (texts[0] ?? '') : `${texts.slice(0, -1).join(', ')} or ${texts.at(-1) ?? ''}`;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Literal values a schema admits, when it is nothing but literals (TypeBox unions of `Type.Literal`). */
function literalsOf(schema: unknown): unknown[] | undefined {
  if (schema === null || typeof schema !== 'object') return undefined;
  const s = schema as { const?: unknown; enum?: unknown[]; anyOf?: unknown[] };
  if ('const' in s) return [s.const];
  if (Array.isArray(s.enum)) return s.enum;
  if (Array.isArray(s.anyOf)) {
    const parts = s.anyOf.map(literalsOf);
    return parts.every((p) => p !== undefined) ? parts.flat() : undefined;
  }
  return undefined;
}

type AjvError = FastifySchemaValidationError & { data?: unknown; parentSchema?: Record<string, unknown>; schemaPath: string };

function typeProblem(expectedType: string, textual: boolean, parentSchema: Record<string, unknown> | undefined, atRoot: boolean): { type: string; msg: string } {
  switch (expectedType) {
    case 'integer':
      return textual ? { type: 'int_parsing', msg: 'Input should be a valid integer, unable to parse string as an integer' } : { type: 'int_type', msg: 'Input should be a valid integer' };
    case 'number':
      return textual ? { type: 'float_parsing', msg: 'Input should be a valid number, unable to parse string as a number' } : { type: 'float_type', msg: 'Input should be a valid number' };
    case 'boolean':
      return textual ? { type: 'bool_parsing', msg: 'Input should be a valid boolean, unable to interpret input' } : { type: 'bool_type', msg: 'Input should be a valid boolean' };
    case 'string':
      return { type: 'string_type', msg: 'Input should be a valid string' };
    case 'array':
      return { type: 'list_type', msg: 'Input should be a valid list' };
    case 'object':
      return atRoot || parentSchema?.['properties'] !== undefined
        ? { type: 'model_attributes_type', msg: 'Input should be a valid dictionary or object to extract fields from' }
        : { type: 'dict_type', msg: 'Input should be a valid dictionary' };
    default:
      return { type: `${expectedType}_type`, msg: `Input should be a valid ${expectedType}` };
  }
}

/** One ajv error → one FastAPI item (or none, for errors another item already explains). */
function itemOf(error: AjvError, location: Location, textual: boolean): ValidationItem | undefined {
  const path: LocSegment[] = error.instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
  const name = (segment: string): string => (location === 'header' ? headerName(segment) : segment);
  const loc = (...more: LocSegment[]): LocSegment[] => [location, ...[...path, ...more].map((s) => (typeof s === 'string' ? name(s) : s))];
  const params = error.params as Record<string, unknown>;
  const data = error.data;
  const limit = params['limit'];
  switch (error.keyword) {
    case 'required':
      return {
        type: 'missing',
        loc: loc(String(params['missingProperty'])),
        msg: 'Field required',
        input: location === 'body' ? (data ?? null) : null,
      };
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      return { type: 'extra_forbidden', loc: loc(key), msg: 'Extra inputs are not permitted', input: (data as Record<string, unknown> | undefined)?.[key] ?? null };
    }
    case 'type': {
      const t = Array.isArray(params['type']) ? String((params['type'] as unknown[])[0]) : String(params['type']);
      if (t === 'null') return undefined;
      const { type, msg } = typeProblem(t, textual, error.parentSchema, path.length === 0);
      return { type, loc: loc(), msg, input: data ?? null };
    }
    case 'minimum':
      return { type: 'greater_than_equal', loc: loc(), msg: `Input should be greater than or equal to ${String(limit)}`, input: data, ctx: { ge: limit } };
    case 'maximum':
      return { type: 'less_than_equal', loc: loc(), msg: `Input should be less than or equal to ${String(limit)}`, input: data, ctx: { le: limit } };
    case 'exclusiveMinimum':
      return { type: 'greater_than', loc: loc(), msg: `Input should be greater than ${String(limit)}`, input: data, ctx: { gt: limit } };
    case 'exclusiveMaximum':
      return { type: 'less_than', loc: loc(), msg: `Input should be less than ${String(limit)}`, input: data, ctx: { lt: limit } };
    case 'minLength':
      return { type: 'string_too_short', loc: loc(), msg: `String should have at least ${plural(Number(limit), 'character')}`, input: data, ctx: { min_length: limit } };
    case 'maxLength':
      return { type: 'string_too_long', loc: loc(), msg: `String should have at most ${plural(Number(limit), 'character')}`, input: data, ctx: { max_length: limit } };
    case 'minItems':
      return { type: 'too_short', loc: loc(), msg: `List should have at least ${plural(Number(limit), 'item')} after validation, not ${(data as unknown[]).length}`, input: data, ctx: { field_type: 'List', min_length: limit, actual_length: (data as unknown[]).length } };
    case 'maxItems':
      return { type: 'too_long', loc: loc(), msg: `List should have at most ${plural(Number(limit), 'item')} after validation, not ${(data as unknown[]).length}`, input: data, ctx: { field_type: 'List', max_length: limit, actual_length: (data as unknown[]).length } };
    case 'pattern':
      return { type: 'string_pattern_mismatch', loc: loc(), msg: `String should match pattern '${String(params['pattern'])}'`, input: data, ctx: { pattern: params['pattern'] } };
    case 'format': {
      const parsed = params['format'] === 'instant' && typeof data === 'string' ? parseInstant(data) : undefined;
      return {
        type: 'datetime_from_date_parsing',
        loc: loc(),
        msg: 'Input should be a valid datetime or date, with a UTC offset',
        input: data,
        ctx: { error: parsed && !parsed.ok ? parsed.reason : `not a ${String(params['format'])}` },
      };
    }
    case UNSAFE_TEXT_KEYWORD:
      return params['character'] === 'nul'
        ? { type: 'string_nul_character', loc: loc(), msg: 'String should not contain the NUL character (U+0000)', input: data }
        : { type: 'string_unicode', loc: loc(), msg: 'Input should be a valid string, unable to parse raw data as a unicode string', input: data, ctx: { error: 'unpaired UTF-16 surrogate' } };
    case 'const':
    case 'enum':
    case 'anyOf': {
      const literals = literalsOf(error.parentSchema);
      if (literals !== undefined) return { type: 'literal_error', loc: loc(), msg: `Input should be ${expected(literals)}`, input: data, ctx: { expected: expected(literals) } };
      // A union that is not all literals (e.g. a nullable value): its branches' errors say it.
      return error.keyword === 'anyOf' ? undefined : { type: 'value_error', loc: loc(), msg: `Value error, ${error.message ?? 'is invalid'}`, input: data };
    }
    default:
      return { type: 'value_error', loc: loc(), msg: `Value error, ${error.message ?? 'is invalid'}`, input: data ?? null };
  }
}

/**
 * Ajv's errors of one request part. Errors inside a union whose branches are all literals are
 * reported once, as pydantic reports a Literal; a nullable value's `null` branch says nothing.
 */
export function itemsFromAjv(errors: readonly FastifySchemaValidationError[], part: string): ValidationItem[] {
  const location = PARTS[part] ?? 'body';
  const textual = location !== 'body';
  const all = errors as readonly AjvError[];
  const literalUnions = all.filter((e) => e.keyword === 'anyOf' && literalsOf(e.parentSchema) !== undefined).map((e) => e.schemaPath);
  const items: ValidationItem[] = [];
  const seen = new Set<string>();
  for (const error of all) {
    if (error.keyword !== 'anyOf' && literalUnions.some((union) => error.schemaPath.startsWith(`${union}/`))) continue;
    const item = itemOf(error, location, textual);
    if (!item) continue;
    const key = JSON.stringify([item.type, item.loc]);
    if (seen.has(key)) continue;
    seen.add(key);
    items.push(item);
  }
  return items;
}

/** `errors`, our own flat list kept beside `detail`: `body.positions[0].quantity`. */
export function fieldList(items: readonly ValidationItem[]): { field: string; code: string; message: string }[] {
  return items.map((item) => ({
    field: item.loc.reduce<string>((path, s, i) => (i === 0 ? String(s) : typeof s === 'number' ? `${path}[${s}]` : `${path}.${s}`), ''),
    code: item.type,
    message: item.msg,
  }));
}
