/**
 * Validates and normalises a JSON value against one of the request schemas, with the reference's
 * (pydantic, lax mode) semantics: unknown keys dropped, defaults filled in, `"true"` → true,
 * `"5"` → 5, decimals → normalised decimal text, literals exact. Every problem is collected;
 * nothing throws on malformed input.
 *
 * Each schema is compiled once into a checking function (cached per schema object): requests
 * with thousands of positions are validated on every call, so the per-field work is kept to a
 * type test and, for decimals, a text check — paths are only spelled out when a problem is found.
 *
 * Only the schema shapes the request schemas use are understood (Object, Array, Record, Union of
 * null/literals, Literal, String (with `maxLength`), Integer, Boolean, Unknown, and `DecimalValue`); anything else
 * is a programming error in the schemas and does throw (at compile time).
 */
import { Kind, type TSchema } from '@sinclair/typebox';
import { Decimal, decimalText } from '../../decimal.ts';
import {
  DECIMAL_ANNOTATION,
  KEY_MESSAGE_ANNOTATION,
  RANGE_MESSAGE_ANNOTATION,
  REFINE_ANNOTATION,
  type DecimalRange,
} from '../schema-kit.ts';
import { ProblemList, type PathSegment, type ValidationResult } from './problems.ts';

/**
 * Cross-field checks named by a schema's `x-dpm-refine` annotation (e.g. lots summing to the
 * position quantity). They run on the normalised value and report through `problems`; a
 * refinement returning false marks the value invalid.
 */
export type Refinement = (value: never, path: readonly PathSegment[], problems: ProblemList) => boolean;

interface WalkContext {
  readonly problems: ProblemList;
  readonly refinements: Readonly<Record<string, Refinement>>;
}

/** A path as a chain of parents, turned into an array only when a problem is reported. */
interface PathNode {
  readonly parent: PathNode | undefined;
  readonly segment: PathSegment;
}

function pathOf(parent: PathNode | undefined, segment?: PathSegment): PathSegment[] {
  const out: PathSegment[] = segment === undefined ? [] : [segment];
  for (let node = parent; node !== undefined; node = node.parent) out.push(node.segment);
  return out.reverse();
}

/** Returned for a value that failed; the parent keeps collecting other problems. */
const INVALID = Symbol('invalid');

/** Checks the value found under `segment` of `parent` (segment undefined at the root). */
type Check = (value: unknown, parent: PathNode | undefined, segment: PathSegment | undefined, ctx: WalkContext) => unknown;

function report(
  ctx: WalkContext,
  parent: PathNode | undefined,
  segment: PathSegment | undefined,
  code: string,
  message: string,
): typeof INVALID {
  ctx.problems.add(pathOf(parent, segment), code, message);
  return INVALID;
}

function childPath(parent: PathNode | undefined, segment: PathSegment | undefined): PathNode | undefined {
  return segment === undefined ? parent : { parent, segment };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const TRUE_WORDS = new Set(['1', 'on', 't', 'true', 'y', 'yes']);
const FALSE_WORDS = new Set(['0', 'off', 'f', 'false', 'n', 'no']);

const checkBoolean: Check = (value, parent, segment, ctx) => {
  if (typeof value === 'boolean') return value;
  if (value === 0 || value === 1) return value === 1;
  if (typeof value === 'string') {
    const word = value.trim().toLowerCase();
    if (TRUE_WORDS.has(word)) return true;
    if (FALSE_WORDS.has(word)) return false;
    return report(ctx, parent, segment, 'bool_parsing', 'Input should be a valid boolean, unable to interpret input');
  }
  return report(ctx, parent, segment, 'bool_type', 'Input should be a valid boolean');
};

const checkString: Check = (value, parent, segment, ctx) =>
  typeof value === 'string' ? value : report(ctx, parent, segment, 'string_type', 'Input should be a valid string');

/** A string with `maxLength` (an identifier that is stored and indexed): pydantic's `max_length`. */
function compileString(schema: TSchema): Check {
  const { maxLength } = schema as { maxLength?: number };
  if (maxLength === undefined) return checkString;
  const tooLong = `String should have at most ${maxLength} characters`;
  return (value, parent, segment, ctx) => {
    if (typeof value !== 'string') return checkString(value, parent, segment, ctx);
    // Characters are code points, as JSON Schema counts them; UTF-16 units only ever count more.
    return value.length > maxLength && [...value].length > maxLength ? report(ctx, parent, segment, 'string_too_long', tooLong) : value;
  };
}

function compileInteger(schema: TSchema): Check {
  const { minimum, maximum } = schema as { minimum?: number; maximum?: number };
  return (value, parent, segment, ctx) => {
    let result: number;
    if (typeof value === 'number' && Number.isFinite(value)) {
      if (!Number.isInteger(value)) {
        const message = 'Input should be a valid integer, got a number with a fractional part';
        return report(ctx, parent, segment, 'int_from_float', message);
      }
      result = value;
    } else if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) {
      result = Number(value.trim());
    } else if (typeof value === 'string') {
      const message = 'Input should be a valid integer, unable to parse string as an integer';
      return report(ctx, parent, segment, 'int_parsing', message);
    } else return report(ctx, parent, segment, 'int_type', 'Input should be a valid integer');
    if (minimum !== undefined && result < minimum) {
      return report(ctx, parent, segment, 'greater_than_equal', `Input should be greater than or equal to ${minimum}`);
    }
    if (maximum !== undefined && result > maximum) {
      return report(ctx, parent, segment, 'less_than_equal', `Input should be less than or equal to ${maximum}`);
    }
    return result;
  };
}

/** Decimal text Python prints unchanged: no exponent, no redundant zeros, not tiny, not past the input bound (INPUT_EXPONENT_LIMIT). */
const ALREADY_NORMAL = /^-?(?:[1-9]\d{0,99}(?:\.\d+)?|0\.0{0,5}[1-9]\d*)$/;

interface Bound {
  readonly bound: Decimal;
  /** Given the value compared to the bound (-1, 0, 1): is it out of range? */
  readonly fails: (comparison: number) => boolean;
  readonly code: string;
  readonly wording: string;
}

function boundsOf(range: DecimalRange): Bound[] {
  const bounds: Bound[] = [];
  const add = (text: string | undefined, fails: Bound['fails'], code: string, wording: string): void => {
    if (text !== undefined) bounds.push({ bound: Decimal.from(text), fails, code, wording: `${wording} ${text}` });
  };
  add(range.ge, (c) => c < 0, 'greater_than_equal', 'greater than or equal to');
  add(range.gt, (c) => c <= 0, 'greater_than', 'greater than');
  add(range.le, (c) => c > 0, 'less_than_equal', 'less than or equal to');
  return bounds;
}

function compileDecimal(schema: TSchema): Check {
  const bounds = boundsOf(schema[DECIMAL_ANNOTATION] as DecimalRange);
  const customMessage = schema[RANGE_MESSAGE_ANNOTATION] as string | undefined;
  return (value, parent, segment, ctx) => {
    let text: string;
    if (typeof value === 'string' && ALREADY_NORMAL.test(value)) text = value;
    else {
      const parsed = decimalText(value);
      if (!parsed.ok) return report(ctx, parent, segment, parsed.code, parsed.message);
      text = parsed.text;
    }
    if (bounds.length > 0) {
      const number = Decimal.from(text);
      for (const { bound, fails, code, wording } of bounds) {
        if (!fails(number.comparedTo(bound))) continue;
        return customMessage === undefined
          ? report(ctx, parent, segment, code, `Input should be ${wording}`)
          : report(ctx, parent, segment, 'value_error', customMessage);
      }
    }
    return text;
  };
}

function literalMessage(values: readonly unknown[]): string {
  const quoted = values.map((v) => `'${String(v)}'`);
  if (quoted.length === 1) return `Input should be ${quoted[0]}`;
  return `Input should be ${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}

function compileLiterals(literals: readonly TSchema[]): Check {
  const allowed = literals.map((literal) => literal.const as unknown);
  const message = literalMessage(allowed);
  return (value, parent, segment, ctx) =>
    allowed.includes(value) ? value : report(ctx, parent, segment, 'literal_error', message);
}

/** Unions in the schemas are `X | null` and enums (unions of literals), possibly both. */
function compileUnion(schema: TSchema): Check {
  const members = schema.anyOf as TSchema[];
  const nonNull = members.filter((member) => member[Kind] !== 'Null');
  const nullable = nonNull.length < members.length;
  let inner: Check;
  if (nonNull.every((member) => member[Kind] === 'Literal')) inner = compileLiterals(nonNull);
  else if (nonNull.length === 1) inner = compile(nonNull[0] as TSchema);
  else throw new Error('schema-walker: unsupported union');
  if (!nullable) return inner;
  return (value, parent, segment, ctx) => (value === null ? null : inner(value, parent, segment, ctx));
}

/** Defaults are copied per request: primitives as they are, objects through JSON. */
function defaultFactory(value: unknown): () => unknown {
  if (typeof value !== 'object' || value === null) return () => value;
  const json = JSON.stringify(value);
  return () => JSON.parse(json) as unknown;
}

function compileObject(schema: TSchema): Check {
  const required = new Set<string>((schema.required as string[] | undefined) ?? []);
  const properties = Object.entries(schema.properties as Record<string, TSchema>).map(([key, property]) => ({
    key,
    check: compile(property),
    makeDefault: 'default' in property ? defaultFactory(property.default) : undefined,
    required: required.has(key),
  }));
  return (value, parent, segment, ctx) => {
    if (!isPlainObject(value)) {
      const message = 'Input should be a valid dictionary or object to extract fields from';
      return report(ctx, parent, segment, 'model_type', message);
    }
    const here = childPath(parent, segment);
    const out: Record<string, unknown> = {};
    let valid = true;
    for (const { key, check, makeDefault, required: isRequired } of properties) {
      const given = value[key];
      let result: unknown;
      if (given !== undefined) result = check(given, here, key, ctx);
      else if (makeDefault !== undefined) result = makeDefault();
      else if (isRequired) result = report(ctx, here, key, 'missing', 'Field required');
      else continue;
      if (result === INVALID) valid = false;
      else out[key] = result;
    }
    return valid ? out : INVALID;
  };
}

function compileRecord(schema: TSchema): Check {
  const check = compile(Object.values(schema.patternProperties as Record<string, TSchema>)[0] as TSchema);
  const keyPattern = (schema.propertyNames as { pattern?: string } | undefined)?.pattern;
  const keyRegex = keyPattern === undefined ? null : new RegExp(keyPattern);
  const keyMessage = (schema[KEY_MESSAGE_ANNOTATION] as string | undefined) ?? `Key should match ${keyPattern}`;
  return (value, parent, segment, ctx) => {
    if (!isPlainObject(value)) return report(ctx, parent, segment, 'dict_type', 'Input should be a valid dictionary');
    const here = childPath(parent, segment);
    const out: Record<string, unknown> = {};
    let valid = true;
    for (const [key, item] of Object.entries(value)) {
      const result =
        keyRegex !== null && !keyRegex.test(key)
          ? report(ctx, here, key, 'value_error', keyMessage)
          : check(item, here, key, ctx);
      if (result === INVALID) valid = false;
      else out[key] = result;
    }
    return valid ? out : INVALID;
  };
}

function compileArray(schema: TSchema): Check {
  const check = compile(schema.items as TSchema);
  return (value, parent, segment, ctx) => {
    if (!Array.isArray(value)) return report(ctx, parent, segment, 'list_type', 'Input should be a valid list');
    const here = childPath(parent, segment);
    const out: unknown[] = new Array(value.length);
    let valid = true;
    for (let i = 0; i < value.length; i += 1) {
      const result = check(value[i], here, i, ctx);
      if (result === INVALID) valid = false;
      else out[i] = result;
    }
    return valid ? out : INVALID;
  };
}

function compileShape(schema: TSchema): Check {
  if (DECIMAL_ANNOTATION in schema) return compileDecimal(schema);
  switch (schema[Kind]) {
    case 'Object':
      return compileObject(schema);
    case 'Array':
      return compileArray(schema);
    case 'Record':
      return compileRecord(schema);
    case 'Union':
      return compileUnion(schema);
    case 'Literal':
      return compileLiterals([schema]);
    case 'String':
      return compileString(schema);
    case 'Integer':
      return compileInteger(schema);
    case 'Boolean':
      return checkBoolean;
    case 'Unknown':
      return (value) => value;
    default:
      throw new Error(`schema-walker: unsupported schema kind ${String(schema[Kind])}`);
  }
}

/** Adds the schema's refinement, if it names one, after its shape check. */
function withRefinement(schema: TSchema, shape: Check): Check {
  const name = schema[REFINE_ANNOTATION] as string | undefined;
  if (name === undefined) return shape;
  return (value, parent, segment, ctx) => {
    const result = shape(value, parent, segment, ctx);
    if (result === INVALID) return result;
    const refinement = ctx.refinements[name];
    if (refinement === undefined) throw new Error(`schema-walker: no refinement named ${name}`);
    return refinement(result as never, pathOf(parent, segment), ctx.problems) ? result : INVALID;
  };
}

const compiled = new WeakMap<TSchema, Check>();

function compile(schema: TSchema): Check {
  let check = compiled.get(schema);
  if (check === undefined) {
    check = withRefinement(schema, compileShape(schema));
    compiled.set(schema, check);
  }
  return check;
}

/**
 * Validates `value` against `schema`, reporting fields under `path`; the normalised value is
 * returned only when no problem was found.
 */
export function normalise<T>(
  schema: TSchema,
  value: unknown,
  path: PathSegment[],
  problems: ProblemList,
  refinements: Readonly<Record<string, Refinement>> = {},
): { ok: true; value: T } | { ok: false } {
  let parent: PathNode | undefined;
  for (const segment of path.slice(0, -1)) parent = { parent, segment };
  const result = compile(schema)(value, parent, path.at(-1), { problems, refinements });
  return result === INVALID ? { ok: false } : { ok: true, value: result as T };
}

/**
 * A whole body checked against `schema`: every problem (with those already in `problems`, e.g.
 * checks on the raw body), or the normalised value when there are none.
 */
export function validate<T>(
  schema: TSchema,
  body: unknown,
  path: PathSegment[],
  refinements: Readonly<Record<string, Refinement>>,
  problems: ProblemList = new ProblemList(),
): ValidationResult<T> {
  const result = normalise<T>(schema, body, path, problems, refinements);
  return result.ok && problems.empty ? { ok: true, value: result.value } : { ok: false, problems: problems.items };
}
