/**
 * Builders for the few schema shapes plain TypeBox does not say precisely enough for this
 * domain. Everything stays a JSON Schema (so the HTTP layer can publish it in OpenAPI); the
 * extra meaning lives in `x-dpm-*` annotations that `validation/schema-walker.ts` interprets.
 */
import {
  Type,
  type TLiteral,
  type TNull,
  type TOptional,
  type TSchema,
  type TString,
  type TUnion,
  type TUnsafe,
} from '@sinclair/typebox';

/** Marks a decimal field; value = optional range (bounds are decimal strings). */
export const DECIMAL_ANNOTATION = 'x-dpm-decimal';
/** Message used instead of the generic bound message when a range check fails. */
export const RANGE_MESSAGE_ANNOTATION = 'x-dpm-range-message';
/** Message for a map key that does not match `propertyNames.pattern`. */
export const KEY_MESSAGE_ANNOTATION = 'x-dpm-key-message';
/** Names a cross-field check run on the normalised value (see `validation/refinements.ts`). */
export const REFINE_ANNOTATION = 'x-dpm-refine';

export interface DecimalRange {
  /** inclusive lower bound */
  readonly ge?: string;
  /** exclusive lower bound */
  readonly gt?: string;
  /** inclusive upper bound */
  readonly le?: string;
}

export interface DecimalOptions {
  readonly range?: DecimalRange;
  /** Replaces "Input should be greater than or equal to …" with the reference's own wording. */
  readonly rangeMessage?: string;
  readonly description?: string;
}

/**
 * A decimal: JSON string (trimmed) or number on input, normalised to the reference's decimal
 * text (e.g. "1E+3") on output. Never a JS float inside the engine.
 */
export function DecimalValue(options: DecimalOptions = {}): TUnsafe<string> {
  return Type.Unsafe<string>({
    anyOf: [{ type: 'string' }, { type: 'number' }],
    [DECIMAL_ANNOTATION]: options.range ?? {},
    ...(options.rangeMessage === undefined ? {} : { [RANGE_MESSAGE_ANNOTATION]: options.rangeMessage }),
    ...(options.description === undefined ? {} : { description: options.description }),
  });
}

/** Exact, case-sensitive string literals (the reference's `Literal[...]` enums). */
export function StringEnum<const T extends readonly string[]>(
  values: T,
  options: { description?: string } = {},
): TUnion<TLiteral<T[number]>[]> {
  return Type.Union(
    values.map((value) => Type.Literal(value)),
    options,
  );
}

/**
 * The longest identifier a request may carry (a portfolio id, an advisor id, …): identifiers are
 * indexed, and a PostgreSQL btree entry breaks at ~2.7 KB, which 256 characters of four UTF-8
 * bytes each stay well below (docs/errors.md#field-limits).
 */
export const IDENTIFIER_MAX_LENGTH = 256;

/** A string identifier of at most IDENTIFIER_MAX_LENGTH characters. */
export function Identifier(options: { description?: string } = {}): TString {
  return Type.String({ maxLength: IDENTIFIER_MAX_LENGTH, ...options });
}

export function Nullable<T extends TSchema>(schema: T): TUnion<[T, TNull]> {
  return Type.Union([schema, Type.Null()]);
}

/** A field the caller may omit; the walker fills `value` in (so the hash sees it). */
export function WithDefault<T extends TSchema>(schema: T, value: unknown): TOptional<T> {
  return Type.Optional({ ...schema, default: value } as T) as TOptional<T>;
}

/**
 * The normalised form of a request: every defaulted field present. TypeBox's `Static` keeps
 * defaulted fields optional (right for input docs), this removes the `?` everywhere.
 */
export type Normalised<T> = T extends readonly (infer U)[]
  ? Normalised<U>[]
  : T extends object
    ? { -readonly [K in keyof T]-?: Normalised<T[K]> }
    : T;
