/**
 * Declarative environment variables: each one knows how to read itself, what it accepts,
 * its default and the reason code it produces. settings.ts assembles them; the
 * configuration reference (docs/configuration.md) is generated from the same objects, so
 * the docs cannot drift from the parser.
 *
 * Rules shared by every variable (and deliberately stricter than the reference):
 * - unset, empty or whitespace-only means "use the default" (compose passes `${VAR:-}`);
 * - values are trimmed; enum values are case-insensitive;
 * - an unknown value is an error with its own reason code, never a silent fallback.
 */
import { normalisePostgresDsn } from './dsn.ts';
import type { ReasonCode } from './reason-codes.ts';

export type Env = Readonly<Record<string, string | undefined>>;

export interface Violation {
  readonly code: string;
  readonly message: string;
  /** The variable at fault, when there is one. */
  readonly variable?: string;
}

export type ReadResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly violation: Violation };

export interface VariableDoc {
  readonly name: string;
  readonly description: string;
  readonly allowed: string;
  readonly defaultText: string;
  readonly codes: readonly ReasonCode[];
}

/** The variable is present with something other than blanks (a blank value means "unset"). */
export const isSet = (env: Env, name: string): boolean => (env[name]?.trim() ?? '') !== '';

/** What a table of variables reads to: each key's value type. */
export type ValuesOf<Table> = { readonly [K in keyof Table]: Table[K] extends Variable<infer T> ? T : never };

export interface Variable<T> extends VariableDoc {
  read(env: Env): ReadResult<T>;
}

function presentValue(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined) return undefined;
  const trimmed = raw.trim();
  return trimmed === '' ? undefined : trimmed;
}

function invalid(code: ReasonCode, name: string, message: string): ReadResult<never> {
  return { ok: false, violation: { code, message, variable: name } };
}

/** A fixed set of values, with aliases (e.g. SQLITE → SQL for the DPM store). */
export function enumVariable<const V extends string>(spec: {
  name: string;
  description: string;
  values: readonly V[];
  aliases?: Readonly<Record<string, V>>;
  defaultValue: V;
  invalidCode: ReasonCode;
}): Variable<V> {
  const aliases = spec.aliases ?? {};
  const aliasText = Object.entries(aliases).map(([alias, target]) => `${alias} (= ${target})`);
  return {
    name: spec.name,
    description: spec.description,
    allowed: [...spec.values, ...aliasText].join(', '),
    defaultText: spec.defaultValue,
    codes: [spec.invalidCode],
    read(env) {
      const raw = presentValue(env, spec.name);
      if (raw === undefined) return { ok: true, value: spec.defaultValue };
      const upper = raw.toUpperCase();
      const direct = spec.values.find((v) => v === upper);
      const resolved = direct ?? aliases[upper];
      if (resolved !== undefined) return { ok: true, value: resolved };
      return invalid(
        spec.invalidCode,
        spec.name,
        `${spec.name}=${JSON.stringify(raw)} is not one of ${spec.values.join(', ')}${aliasText.length ? ` (aliases: ${Object.keys(aliases).join(', ')})` : ''}.`,
      );
    },
  };
}

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'off']);

export function flagVariable(spec: {
  name: string;
  description: string;
  defaultValue: boolean;
  defaultText?: string;
}): Variable<boolean> {
  return {
    name: spec.name,
    description: spec.description,
    allowed: 'true/false (also 1/0, yes/no, on/off)',
    defaultText: spec.defaultText ?? String(spec.defaultValue),
    codes: ['CONFIG_FLAG_INVALID'],
    read(env) {
      const raw = presentValue(env, spec.name);
      if (raw === undefined) return { ok: true, value: spec.defaultValue };
      const lower = raw.toLowerCase();
      if (TRUE_WORDS.has(lower)) return { ok: true, value: true };
      if (FALSE_WORDS.has(lower)) return { ok: true, value: false };
      return invalid('CONFIG_FLAG_INVALID', spec.name, `${spec.name}=${JSON.stringify(raw)} is not a boolean (true/false).`);
    },
  };
}

export function integerVariable(spec: {
  name: string;
  description: string;
  defaultValue: number;
  /** When the default depends on the machine, how the docs name it. */
  defaultText?: string;
  min: number;
  max: number;
}): Variable<number> {
  return {
    name: spec.name,
    description: spec.description,
    allowed: `integer ${spec.min}–${spec.max}`,
    defaultText: spec.defaultText ?? String(spec.defaultValue),
    codes: ['CONFIG_INTEGER_INVALID'],
    read(env) {
      const raw = presentValue(env, spec.name);
      if (raw === undefined) return { ok: true, value: spec.defaultValue };
      const value = /^[+-]?\d+$/.test(raw) ? Number(raw) : Number.NaN;
      if (Number.isSafeInteger(value) && value >= spec.min && value <= spec.max) return { ok: true, value };
      return invalid(
        'CONFIG_INTEGER_INVALID',
        spec.name,
        `${spec.name}=${JSON.stringify(raw)} is not an integer between ${spec.min} and ${spec.max}.`,
      );
    },
  };
}

/** A number within bounds (a ratio, say); integers have `integerVariable`. */
export function numberVariable(spec: { name: string; description: string; defaultValue: number; min: number; max: number }): Variable<number> {
  return {
    name: spec.name,
    description: spec.description,
    allowed: `number ${spec.min}–${spec.max}`,
    defaultText: String(spec.defaultValue),
    codes: ['CONFIG_NUMBER_INVALID'],
    read(env) {
      const raw = presentValue(env, spec.name);
      if (raw === undefined) return { ok: true, value: spec.defaultValue };
      const value = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw) ? Number(raw) : Number.NaN;
      if (Number.isFinite(value) && value >= spec.min && value <= spec.max) return { ok: true, value };
      return invalid('CONFIG_NUMBER_INVALID', spec.name, `${spec.name}=${JSON.stringify(raw)} is not a number between ${spec.min} and ${spec.max}.`);
    },
  };
}

/** An absolute http(s) URL; empty means "not set". */
export function urlVariable(spec: { name: string; description: string; defaultText: string }): Variable<string> {
  return {
    name: spec.name,
    description: spec.description,
    allowed: 'http:// or https:// URL',
    defaultText: spec.defaultText,
    codes: ['CONFIG_URL_INVALID'],
    read(env) {
      const raw = presentValue(env, spec.name);
      if (raw === undefined) return { ok: true, value: '' };
      try {
        const url = new URL(raw);
        if (url.protocol === 'http:' || url.protocol === 'https:') return { ok: true, value: raw };
      } catch {
        // reported below
      }
      return invalid('CONFIG_URL_INVALID', spec.name, `${spec.name} is not an http:// or https:// URL.`);
    },
  };
}

/** Free text (paths, ids, JSON kept as text for its own parser). */
export function textVariable(spec: {
  name: string;
  description: string;
  defaultValue: string;
  allowed?: string;
  defaultText?: string;
  secret?: boolean;
}): Variable<string> {
  return {
    name: spec.name,
    description: spec.description,
    allowed: spec.allowed ?? 'text',
    defaultText: spec.defaultText ?? (spec.defaultValue === '' ? '(empty)' : spec.defaultValue),
    codes: [],
    read(env) {
      return { ok: true, value: presentValue(env, spec.name) ?? spec.defaultValue };
    },
  };
}

/**
 * A PostgreSQL DSN: a postgres:// / postgresql:// URL, or libpq key=value pairs, which are
 * turned into the URL they mean (src/config/dsn.ts) so the driver connects to exactly what was
 * checked. Empty is allowed here; the backend rules decide whether it is required.
 */
export function dsnVariable(spec: { name: string; description: string; invalidCode: ReasonCode; requiredCode: ReasonCode }): Variable<string> {
  return {
    name: spec.name,
    description: spec.description,
    allowed: 'postgres://user:password@host:port/db (or postgresql://), or libpq key=value (host, port, dbname, user, password, sslmode, …)',
    defaultText: '(empty)',
    // requiredCode is raised by missingDsnViolations (settings.ts) when the backend is POSTGRES.
    codes: [spec.invalidCode, spec.requiredCode],
    read(env) {
      const raw = presentValue(env, spec.name);
      if (raw === undefined) return { ok: true, value: '' };
      const parsed = normalisePostgresDsn(raw);
      // Never echo the value: it may hold a password even when malformed.
      return parsed.ok ? { ok: true, value: parsed.url } : invalid(spec.invalidCode, spec.name, `${spec.name} ${parsed.reason}.`);
    },
  };
}
