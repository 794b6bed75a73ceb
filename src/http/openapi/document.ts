/**
 * The OpenAPI 3.1 document, built from the routes the server registered (docs/dpm-api.md
 * "OpenAPI"). Route schemas are JSON Schema already (OAS 3.1 uses 2020-12), so they are copied
 * as they are; what the builder adds is what a client needs beyond validation:
 *
 * - every subschema with a PascalCase `title` becomes `components/schemas/<title>` and a `$ref`
 *   (the reference's model names: `RebalanceRequest`, `DpmRunLookupResponse`, …);
 * - parameters with `required` as the schema says, headers under their canonical names;
 * - every response the route can give: its success, the 422 validation list when it validates
 *   anything, 415 when it takes a body, each catalogued code it declares (with the body the
 *   server renders for it), and the 500 problem document — each with examples.
 */
import type { FastifySchema } from 'fastify';
import { REASON_CODES, ReasonError, type ReasonCode } from '../../config/reason-codes.ts';
import { errorBody, PROBLEM_JSON, problemBody, validationBody } from '../errors.ts';
import type { RegisteredRoute } from '../route-registry.ts';
import { requiredPermissions } from '../../domain/access/permissions.ts';
import type { AccessControl } from '../auth/access-control.ts';
import { headerName, type Location, type ValidationItem } from '../validation-errors.ts';
import { ERROR_SCHEMAS } from './error-schemas.ts';
import './route-docs.ts';

type Json = Record<string, unknown>;

export interface DocumentInfo {
  readonly title: string;
  readonly version: string;
  readonly description: string;
}

export interface TagDoc {
  readonly name: string;
  readonly description: string;
}

export const ADMIN_SECURITY_SCHEME = 'policyPackAdminToken';
const BEARER_SECURITY_SCHEME = 'bearerAuth';
const COMPONENT_NAME = /^[A-Z][A-Za-z0-9]*$/;
const JSON_MEDIA = 'application/json';

/** A path value every patterned parameter refuses (a leading zero and a space). */
export const INVALID_PATH_VALUE = '0 0';

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Hoists titled subschemas into `components.schemas`; two different schemas may not share a title. */
class Components {
  readonly schemas: Record<string, Json> = {};
  readonly #seen = new Map<string, string>();

  constructor() {
    for (const [name, schema] of Object.entries(ERROR_SCHEMAS)) this.schemas[name] = this.inline(JSON.parse(JSON.stringify(schema)) as Json);
  }

  /** A route schema as OpenAPI: symbols dropped (JSON copy), titled parts replaced by `$ref`s. */
  schema(schema: unknown): Json {
    return this.walk(JSON.parse(JSON.stringify(schema ?? {})) as unknown) as Json;
  }

  private walk(node: unknown): unknown {
    if (Array.isArray(node)) return node.map((item) => this.walk(item));
    if (!isObject(node)) return node;
    const title = node['title'];
    if (typeof title === 'string' && COMPONENT_NAME.test(title)) {
      // The same model may be used with and without examples or a description: one component.
      const { examples, example: _example, description: _description, ...shape } = node;
      const text = JSON.stringify(shape);
      const known = this.#seen.get(title);
      if (known === undefined) {
        this.#seen.set(title, text);
        this.schemas[title] = this.inline(node);
      } else if (known !== text) {
        throw new Error(`OpenAPI component ${title} is defined twice, differently.`);
      } else if (examples !== undefined && this.schemas[title]?.['examples'] === undefined) {
        this.schemas[title] = { ...this.schemas[title], examples };
      }
      return ref(title);
    }
    return this.inline(node);
  }

  /** The node itself (not hoisted), with its children walked. Example values are data, never walked. */
  private inline(node: Json): Json {
    const out: Json = {};
    for (const [key, value] of Object.entries(node)) out[key] = key === 'examples' || key === 'example' || key === 'default' || key === 'const' || key === 'enum' ? value : this.walk(value);
    return out;
  }
}

function parameters(components: Components, schema: FastifySchema): Json[] {
  const out: Json[] = [];
  const parts: [string, unknown][] = [
    ['path', schema.params],
    ['query', schema.querystring],
    ['header', schema.headers],
  ];
  for (const [where, part] of parts) {
    if (!isObject(part) || !isObject(part['properties'])) continue;
    const required = new Set(Array.isArray(part['required']) ? (part['required'] as string[]) : []);
    for (const [name, property] of Object.entries(part['properties'])) {
      // Bearer tokens are a security scheme, not a parameter (OpenAPI ignores an Authorization parameter).
      if (where === 'header' && name.toLowerCase() === 'authorization') continue;
      const { description, examples, ...rest } = property as Json;
      const parameter: Json = {
        name: where === 'header' ? headerName(name) : name,
        in: where,
        required: where === 'path' || required.has(name),
        schema: components.schema(rest),
      };
      if (typeof description === 'string') parameter['description'] = description;
      if (Array.isArray(examples) && examples.length > 0) parameter['example'] = examples[0];
      out.push(parameter);
    }
  }
  return out;
}

const headerRef = (name: string): Json => ({ $ref: `#/components/headers/${name}` });
const CORRELATION = { 'X-Correlation-Id': headerRef('XCorrelationId') };

function namedExamples(examples: Readonly<Record<string, { summary: string; value: unknown }>>): Json {
  return Object.fromEntries(Object.entries(examples).map(([name, example]) => [name, { summary: example.summary, value: example.value }]));
}

function successResponses(components: Components, schema: FastifySchema): Json {
  const responses: Json = {};
  const declared = isObject(schema.response) ? schema.response : {};
  const idempotent = isObject(schema.headers) && isObject(schema.headers['properties']) && 'idempotency-key' in schema.headers['properties'];
  for (const [status, body] of Object.entries(declared)) {
    const { description, ...bodySchema } = (body ?? {}) as Json;
    const response: Json = { description: typeof description === 'string' ? description : 'Success.', headers: { ...CORRELATION } };
    if (idempotent && status.startsWith('2')) (response['headers'] as Json)['Idempotent-Replay'] = headerRef('IdempotentReplay');
    if (bodySchema['type'] !== 'null') {
      const media: Json = { schema: components.schema(bodySchema) };
      if (schema.responseExamples && status.startsWith('2')) media['examples'] = namedExamples(schema.responseExamples);
      responses[status] = { ...response, content: { [JSON_MEDIA]: media } };
    } else {
      responses[status] = response;
    }
  }
  if (Object.keys(responses).length === 0) {
    const media = schema.produces?.[0] ?? JSON_MEDIA;
    responses['200'] = { description: 'Success.', headers: { ...CORRELATION }, content: { [media]: { schema: { type: 'string' } } } };
  }
  return responses;
}

/** Examples of the 422 list this route can answer, derived from its schemas. */
function validationExamples(schema: FastifySchema, takesBody: boolean): Json {
  const examples: Record<string, { summary: string; value: unknown }> = {};
  const add = (name: string, summary: string, item: ValidationItem) => {
    examples[name] = { summary, value: validationBody([item]) };
  };
  const headers = isObject(schema.headers) && Array.isArray(schema.headers['required']) ? (schema.headers['required'] as string[]) : [];
  for (const header of headers) {
    if (header === 'authorization') continue;
    add(`missing_${header.replace(/-/g, '_')}`, `${headerName(header)} header missing`, { type: 'missing', loc: ['header', headerName(header)], msg: 'Field required', input: null });
  }
  const body = schema.body;
  if (isObject(body) && Array.isArray(body['required']) && body['required'].length > 0) {
    const field = String(body['required'][0]);
    add('missing_field', `${field} missing from the body`, { type: 'missing', loc: ['body', field], msg: 'Field required', input: {} });
  }
  if (takesBody) {
    add('malformed_json', 'The body is not JSON', { type: 'json_invalid', loc: ['body', 1], msg: 'JSON decode error', input: {}, ctx: { error: "Expected property name or '}'" } });
  }
  const query = schema.querystring;
  const queryProperties = isObject(query) && isObject(query['properties']) ? (query['properties'] as Record<string, Json>) : {};
  if (isObject(queryProperties['limit'])) {
    const minimum = queryProperties['limit']['minimum'];
    add('limit_too_small', 'limit below its minimum', { type: 'greater_than_equal', loc: ['query', 'limit'], msg: `Input should be greater than or equal to ${String(minimum)}`, input: '0', ctx: { ge: minimum } });
  }
  const flag = Object.entries(queryProperties).find(([, property]) => property['type'] === 'boolean');
  if (flag) add(`${flag[0]}_not_boolean`, `${flag[0]} is not a boolean`, { type: 'bool_parsing', loc: ['query', flag[0]], msg: 'Input should be a valid boolean, unable to interpret input', input: 'maybe' });
  const params = isObject(schema.params) && isObject(schema.params['properties']) ? (schema.params['properties'] as Record<string, Json>) : {};
  boundaryExamples(schema, add);
  const patterned = Object.entries(params).find(([, property]) => typeof property['pattern'] === 'string');
  if (patterned) {
    const pattern = String(patterned[1]['pattern']);
    add(`${patterned[0]}_malformed`, `${patterned[0]} does not match its pattern`, {
      type: 'string_pattern_mismatch',
      loc: ['path', patterned[0]],
      msg: `String should match pattern '${pattern}'`,
      input: INVALID_PATH_VALUE,
      ctx: { pattern },
    });
  }
  return namedExamples(examples);
}

/** The declared string parameters of a route, path first, as `[location, name, schema]`. */
function stringParameters(schema: FastifySchema): [Location, string, Json][] {
  const parts: [Location, unknown][] = [
    ['path', schema.params],
    ['query', schema.querystring],
    ['header', schema.headers],
  ];
  return parts.flatMap(([where, part]) =>
    isObject(part) && isObject(part['properties'])
      ? Object.entries(part['properties'] as Record<string, Json>)
          .filter(([, property]) => property['type'] === 'string')
          .map(([name, property]): [Location, string, Json] => [where, where === 'header' ? headerName(name) : name, property])
      : [],
  );
}

/**
 * The input boundary's refusals (docs/errors.md#field-limits), one example each where the route
 * can give it: a parameter over its length limit, NUL in a path or query value, a date that does
 * not exist.
 */
function boundaryExamples(schema: FastifySchema, add: (name: string, summary: string, item: ValidationItem) => void): void {
  const parameters = stringParameters(schema);
  const bounded = parameters.find(([, , property]) => typeof property['maxLength'] === 'number');
  if (bounded) {
    const [where, name, property] = bounded;
    const limit = Number(property['maxLength']);
    add(`${name.replace(/-/g, '_').toLowerCase()}_too_long`, `${name} longer than ${limit} characters`, {
      type: 'string_too_long',
      loc: [where, name],
      msg: `String should have at most ${limit} characters`,
      input: 'x'.repeat(limit + 1),
      ctx: { max_length: limit },
    });
  }
  const text = parameters.find(([where, , property]) => where !== 'header' && property['pattern'] === undefined);
  if (text) {
    const [where, name] = text;
    add(`${name}_nul`, `${name} holds NUL`, { type: 'string_nul_character', loc: [where, name], msg: 'String should not contain the NUL character (U+0000)', input: 'a\u0000b' });
  }
  const instant = parameters.find(([, , property]) => property['format'] === 'instant');
  if (instant) {
    const [where, name] = instant;
    add(`${name}_no_such_date`, `${name} is a date that does not exist`, {
      type: 'datetime_from_date_parsing',
      loc: [where, name],
      msg: 'Input should be a valid datetime or date, with a UTC offset',
      input: '2026-02-30T00:00:00Z',
      ctx: { error: 'no such date' },
    });
  }
}

function errorExample(code: ReasonCode, detail: string): unknown {
  return errorBody(new ReasonError(code, REASON_CODES[code].meaning, { detail: detail as never }));
}

/** The body of each catalogued error, once, in `components.examples` (routes refer to it). */
const exampleRef = (name: string): Json => ({ $ref: `#/components/examples/${name}` });

function errorResponses(schema: FastifySchema, url: string, sharedExamples: Record<string, Json>): Json {
  const responses: Json = {};
  const byStatus = new Map<number, ReasonCode[]>();
  for (const code of schema.errors ?? []) {
    const status = REASON_CODES[code].status;
    if (status === undefined) throw new Error(`${url} declares ${code}, which has no HTTP status.`);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const takesBody = schema.body !== undefined;
  const validation = validationExamples(schema, takesBody);
  if (takesBody) byStatus.set(415, [...(byStatus.get(415) ?? []), 'UNSUPPORTED_MEDIA_TYPE']);
  for (const [status, codes] of [...byStatus.entries()].sort(([a], [b]) => a - b)) {
    const examples: Json = {};
    for (const code of codes) {
      const details = REASON_CODES[code].detail ?? [code];
      details.forEach((detail, i) => {
        const name = i === 0 ? code : `${code}_${i + 1}`;
        sharedExamples[name] = { summary: detail, value: errorExample(code, detail) };
        examples[name] = exampleRef(name);
      });
    }
    const headers: Json = { ...CORRELATION };
    if (codes.some((code) => REASON_CODES[code].retryAfter !== undefined)) headers['Retry-After'] = headerRef('RetryAfter');
    if (codes.some((code) => REASON_CODES[code].challenge !== undefined)) headers['WWW-Authenticate'] = headerRef('WwwAuthenticate');
    responses[String(status)] = { description: codes.join(', '), headers, content: { [JSON_MEDIA]: { schema: ref('ErrorResponse'), examples } } };
  }
  // A route documents the validation 422 when something it takes can be refused (each way with an example).
  if (Object.keys(validation).length > 0) responses['422'] = mergeValidation(responses['422'] as Json | undefined, validation);
  responses['500'] = {
    description: 'INTERNAL_ERROR: an unexpected error (details in the log under the X-Correlation-Id).',
    headers: { ...CORRELATION },
    content: { [PROBLEM_JSON]: { schema: ref('ProblemDetails'), example: problemBody(url) } },
  };
  return responses;
}

/** A 422 can be the validation list or a catalogued code (e.g. PROPOSAL_SIMULATION_DISABLED): both are documented. */
function mergeValidation(catalogued: Json | undefined, examples: Json): Json {
  const media = (catalogued?.['content'] as Json | undefined)?.[JSON_MEDIA] as Json | undefined;
  return {
    description: ['VALIDATION_ERROR', catalogued?.['description']].filter(Boolean).join(', '),
    headers: { ...CORRELATION },
    content: {
      [JSON_MEDIA]: {
        schema: media ? { anyOf: [ref('HTTPValidationError'), ref('ErrorResponse')] } : ref('HTTPValidationError'),
        examples: { ...examples, ...((media?.['examples'] as Json | undefined) ?? {}) },
      },
    },
  };
}

/** What authentication adds to a route it protects: the codes it can then answer and the permission it needs. */
function protectedBy(access: AccessControl | undefined, route: RegisteredRoute, schema: FastifySchema): { codes: ReasonCode[]; permissions: readonly string[] } | null {
  if (!access || access.mode === 'NONE' || schema.permission === undefined || access.isOpen(route.url)) return null;
  const codes: ReasonCode[] = ['AUTH_TOKEN_MISSING', 'AUTH_TOKEN_INVALID', 'AUTH_TOKEN_EXPIRED', 'AUTH_PERMISSION_DENIED'];
  if (access.remoteKeys) codes.push('AUTH_JWKS_UNAVAILABLE');
  if (schema.actor) codes.push('AUTH_ACTOR_MISMATCH');
  return { codes: [...codes, ...(schema.authErrors ?? [])], permissions: requiredPermissions(schema.permission) };
}

function operation(components: Components, route: RegisteredRoute, schema: FastifySchema, sharedExamples: Record<string, Json>, access: AccessControl | undefined): Json {
  const auth = protectedBy(access, route, schema);
  const op: Json = {};
  if (schema.tags) op['tags'] = [...schema.tags];
  if (schema.summary) op['summary'] = schema.summary;
  const permissionNote = auth ? `Requires the permission ${auth.permissions.map((p) => `\`${p}\``).join(' or ')} (docs/security.md).` : undefined;
  const description = [schema.description, permissionNote].filter(Boolean).join('\n\n');
  if (description !== '') op['description'] = description;
  if (auth) op['x-permissions'] = [...auth.permissions];
  if (!schema.operationId) throw new Error(`${route.method} ${route.url} has no operationId.`);
  op['operationId'] = schema.operationId;
  const params = parameters(components, schema);
  if (params.length > 0) op['parameters'] = params;
  if (schema.body !== undefined) {
    const { description, examples: _examples, ...body } = schema.body as Json;
    const media: Json = { schema: components.schema(body) };
    if (schema.bodyExamples) media['examples'] = namedExamples(schema.bodyExamples);
    op['requestBody'] = { required: true, ...(typeof description === 'string' ? { description } : {}), content: { [JSON_MEDIA]: media } };
  }
  // A status the route declares itself (e.g. readiness 503) is documented as declared.
  const errors = { ...schema, errors: [...(schema.errors ?? []), ...(auth?.codes ?? [])] };
  op['responses'] = { ...errorResponses(errors, route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}'), sharedExamples), ...successResponses(components, schema) };
  // Explicitly none where no credential is needed (without authentication, only the policy-pack admin calls need one).
  op['security'] = auth ? [{ [BEARER_SECURITY_SCHEME]: [] }] : (schema.security ?? []).map((requirement) => ({ ...requirement }));
  return op;
}

function securitySchemes(access: AccessControl | undefined): Json {
  if (access && access.mode === 'JWT') {
    return {
      [BEARER_SECURITY_SCHEME]: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: "An OAuth2/OIDC access token from the configured identity provider; its roles must grant the route's permission (docs/security.md).",
      },
    };
  }
  return {
    [ADMIN_SECURITY_SCHEME]: {
      type: 'http',
      scheme: 'bearer',
      description: 'DPM_POLICY_PACK_ADMIN_TOKEN, required by PUT and DELETE on the policy-pack catalog.',
    },
  };
}

export function buildOpenApiDocument(routes: readonly RegisteredRoute[], options: { info: DocumentInfo; tags: readonly TagDoc[]; access?: AccessControl }): Json {
  const components = new Components();
  const sharedExamples: Record<string, Json> = {};
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    const schema = route.schema;
    if (!schema || schema.hide) continue;
    const path = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation(components, route, schema, sharedExamples, options.access) };
  }
  return {
    openapi: '3.1.0',
    info: { ...options.info, license: { name: 'Apache-2.0', identifier: 'Apache-2.0' } },
    servers: [{ url: '/', description: 'The host serving this document.' }],
    tags: options.tags.map((tag) => ({ ...tag })),
    paths,
    components: {
      schemas: components.schemas,
      examples: Object.fromEntries(Object.entries(sharedExamples).sort(([a], [b]) => a.localeCompare(b))),
      headers: {
        XCorrelationId: { description: "The caller's X-Correlation-Id, or a generated `corr_<hex>`; every response carries it.", schema: { type: 'string' } },
        IdempotentReplay: { description: '`true` when the response is a stored one answered again for the same Idempotency-Key and request.', schema: { type: 'string', enum: ['true'] } },
        RetryAfter: { description: 'Seconds to wait before retrying (the dependency is expected back by itself).', schema: { type: 'integer' } },
        WwwAuthenticate: {
          description: 'The Bearer challenge (RFC 6750): `error="invalid_token"` for a missing, invalid or expired token, `error="insufficient_scope"` for a missing permission.',
          schema: { type: 'string' },
        },
      },
      securitySchemes: securitySchemes(options.access),
    },
  };
}
