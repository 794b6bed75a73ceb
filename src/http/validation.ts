/**
 * Request validation with two rule sets. A JSON body is checked exactly as sent — no coercion,
 * no silently dropped properties — so `"limit": "5"` in a body is a 422, not a 5. Query strings,
 * path parameters and headers are text by nature, so there `?limit=5` is coerced to the schema's
 * integer (and `?limit=abc` is still a 422).
 *
 * Both share the input boundary (docs/errors.md#field-limits): the `instant` format is the strict
 * timestamp parser of instants.ts, and every path parameter, query value and header a route
 * declares is refused when it holds NUL or an unpaired surrogate (bodies are checked when parsed,
 * json-body.ts), together with the part's other problems.
 */
import ajvCompiler from '@fastify/ajv-compiler';
import type { FastifySchemaCompiler, FastifySchemaValidationError, FastifyServerOptions } from 'fastify';
import { isInstant } from './instants.ts';
import { pointer, textErrors, type TextError } from './unsafe-text.ts';

type ValidatorFactory = NonNullable<NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>['buildValidator']>;

/**
 * The package's declarations give its pool's result Ajv's `compile` signature; at runtime (and
 * to Fastify) it is a compiler taking the route definition, which is what this type says.
 */
type RouteCompilerPool = (externalSchemas: unknown, options: { readonly customOptions: object }) => FastifySchemaCompiler<unknown>;

/** What Fastify calls: a boolean verdict, with ajv's errors on the function when false. */
type ValidateFunction = ((data: unknown) => boolean) & { errors?: FastifySchemaValidationError[] | null };

// Every bad field is named in one 422; defaults from the schema are filled in. `verbose` gives
// each error the offending value and schema, which FastAPI's `input` and literal lists need.
const COMMON = { allErrors: true, removeAdditional: false, useDefaults: true, verbose: true, formats: { instant: isInstant } } as const;

const compilers = (externalSchemas: unknown = {}): { exact: FastifySchemaCompiler<unknown>; textual: FastifySchemaCompiler<unknown> } => {
  const pool = ajvCompiler() as unknown as RouteCompilerPool;
  return {
    exact: pool(externalSchemas, { customOptions: { ...COMMON, coerceTypes: false } }),
    textual: pool(externalSchemas, { customOptions: { ...COMMON, coerceTypes: 'array' } }),
  };
};

/** The declared values of a path, query or header part that hold NUL or an unpaired surrogate. */
function unsafeDeclaredValues(data: unknown, declared: readonly string[]): TextError[] {
  if (data === null || typeof data !== 'object') return [];
  const values = data as Record<string, unknown>;
  return declared.flatMap((name) => (name in values ? textErrors(values[name], { path: pointer(name) }) : []));
}

/** A textual part's validator that also refuses unsafe text in the properties its schema declares. */
const guardingText =
  (compile: FastifySchemaCompiler<unknown>): FastifySchemaCompiler<unknown> =>
  (route) => {
    const validate = compile(route) as ValidateFunction;
    const properties = (route.schema as { properties?: Record<string, unknown> }).properties;
    const declared = Object.keys(properties ?? {});
    const guarded: ValidateFunction = (data) => {
      const unsafe = unsafeDeclaredValues(data, declared);
      const valid = validate(data);
      guarded.errors = unsafe.length === 0 ? validate.errors : [...unsafe, ...(validate.errors ?? [])];
      return valid && unsafe.length === 0;
    };
    return guarded;
  };

function partAwareValidator(externalSchemas: unknown): FastifySchemaCompiler<unknown> {
  const { exact, textual } = compilers(externalSchemas);
  const text = guardingText(textual);
  return (route) => (route.httpPart === 'body' ? exact(route) : text(route));
}

export const buildPartAwareValidator = partAwareValidator as unknown as ValidatorFactory;

const passThrough: FastifySchemaCompiler<unknown> = () => (data) => ({ value: data });
const textualOnly = guardingText(compilers().textual);

/**
 * For routes whose body the engine's own validator judges (the reference's lax coercions and
 * messages): the body schema only documents it, while path, query and headers are checked here
 * like everywhere else.
 */
export const engineValidatedBody: FastifySchemaCompiler<unknown> = (route) => (route.httpPart === 'body' ? passThrough(route) : textualOnly(route));
