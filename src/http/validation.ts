/**
 * Request validation with two rule sets. A JSON body is checked exactly as sent — no coercion,
 * no silently dropped properties — so `"limit": "5"` in a body is a 422, not a 5. Query strings,
 * path parameters and headers are text by nature, so there `?limit=5` is coerced to the schema's
 * integer (and `?limit=abc` is still a 422).
 */
import ajvCompiler from '@fastify/ajv-compiler';
import type { FastifySchemaCompiler, FastifyServerOptions } from 'fastify';

type ValidatorFactory = NonNullable<NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>['buildValidator']>;

/**
 * The package's declarations give its pool's result Ajv's `compile` signature; at runtime (and
 * to Fastify) it is a compiler taking the route definition, which is what this type says.
 */
type RouteCompilerPool = (externalSchemas: unknown, options: { readonly customOptions: object }) => FastifySchemaCompiler<unknown>;

// Every bad field is named in one 422; defaults from the schema are filled in. `verbose` gives
// each error the offending value and schema, which FastAPI's `input` and literal lists need.
const COMMON = { allErrors: true, removeAdditional: false, useDefaults: true, verbose: true } as const;

function partAwareValidator(externalSchemas: unknown): FastifySchemaCompiler<unknown> {
  const pool = ajvCompiler() as unknown as RouteCompilerPool;
  const exact = pool(externalSchemas, { customOptions: { ...COMMON, coerceTypes: false } });
  const textual = pool(externalSchemas, { customOptions: { ...COMMON, coerceTypes: 'array' } });
  return (route) => (route.httpPart === 'body' ? exact(route) : textual(route));
}

export const buildPartAwareValidator = partAwareValidator as unknown as ValidatorFactory;

const passThrough: FastifySchemaCompiler<unknown> = () => (data) => ({ value: data });
const textualOnly = (ajvCompiler() as unknown as RouteCompilerPool)({}, { customOptions: { ...COMMON, coerceTypes: 'array' } });

/**
 * For routes whose body the engine's own validator judges (the reference's lax coercions and
 * messages): the body schema only documents it, while path, query and headers are checked here
 * like everywhere else.
 */
export const engineValidatedBody: FastifySchemaCompiler<unknown> = (route) => (route.httpPart === 'body' ? passThrough(route) : textualOnly(route));
