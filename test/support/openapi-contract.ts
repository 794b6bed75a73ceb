/**
 * Every response of the API test suites is checked against the OpenAPI document
 * (docs/dpm-api.md "OpenAPI"): its status must be documented for the route, its media type too,
 * and its body must match the documented schema. The inject-based harnesses attach this to the
 * server they build and fail when they close if any response did not match — so a response
 * schema is enforced even where bodies are sent verbatim.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type { FastifyInstance } from 'fastify';

type Json = Record<string, unknown>;
interface Media {
  schema?: Json;
}
interface Operation {
  responses: Record<string, { content?: Record<string, Media> }>;
}

const baseType = (type: string): string => type.split(';')[0]?.trim().toLowerCase() ?? '';

export class DocumentedResponses {
  readonly violations: string[] = [];
  #validators = new Map<string, ValidateFunction>();
  #ajv: Ajv2020 | undefined;
  #paths: Record<string, Record<string, Operation>> = {};
  #checked = 0;

  /** Adds the check to `server`; call before its first request. */
  attach(server: FastifyInstance): this {
    server.addHook('onSend', async (request, reply, payload) => {
      const pattern = request.routeOptions.url;
      if (pattern === undefined) return payload;
      this.#load(server);
      const path = pattern.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      const operation = this.#paths[path]?.[request.method.toLowerCase()];
      if (!operation) return payload;
      this.#check(`${request.method} ${path}`, operation, reply.statusCode, String(reply.getHeader('content-type') ?? ''), payload);
      return payload;
    });
    return this;
  }

  /** How many responses were checked (a harness that checked nothing is suspicious). */
  get checked(): number {
    return this.#checked;
  }

  #load(server: FastifyInstance): void {
    if (this.#ajv) return;
    const doc = server.swagger() as unknown as { paths: Record<string, Record<string, Operation>>; components: { schemas: Json } };
    this.#paths = doc.paths;
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
    ajv.addSchema({ $id: 'openapi.json', $defs: JSON.parse(JSON.stringify(doc.components.schemas).replaceAll('"#/components/schemas/', '"#/$defs/')) as Json });
    this.#ajv = ajv;
  }

  #check(route: string, operation: Operation, status: number, contentType: string, payload: unknown): void {
    this.#checked += 1;
    const response = operation.responses[String(status)];
    if (!response) {
      this.violations.push(`${route} answered ${status}, which is not documented`);
      return;
    }
    if (!response.content) {
      // HTTP sends no body with 204/304 whatever the handler passed on (Fastify drops it).
      const bodiless = status === 204 || status === 304;
      if (!bodiless && payload !== null && payload !== undefined && payload !== '') this.violations.push(`${route} ${status} has a body, documented as none`);
      return;
    }
    const mediaKey = Object.keys(response.content).find((key) => baseType(key) === baseType(contentType));
    if (mediaKey === undefined) {
      this.violations.push(`${route} ${status} sent ${contentType}, documented: ${Object.keys(response.content).join(', ')}`);
      return;
    }
    const schema = response.content[mediaKey]?.schema;
    if (!schema || !baseType(contentType).includes('json') || typeof payload !== 'string') return;
    const key = `${route} ${status} ${mediaKey}`;
    let validate = this.#validators.get(key);
    if (!validate) {
      validate = (this.#ajv as Ajv2020).compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', '"openapi.json#/$defs/')) as Json);
      this.#validators.set(key, validate);
    }
    if (!validate(JSON.parse(payload))) {
      this.violations.push(`${key}: ${(validate.errors ?? []).slice(0, 3).map((e) => `${e.instancePath} ${e.message ?? ''}`).join('; ')}`);
    }
  }

  /** Throws listing every response that did not match the document. */
  assertAllMatched(): void {
    if (this.violations.length > 0) throw new Error(`Responses not matching the OpenAPI document:\n${[...new Set(this.violations)].join('\n')}`);
  }
}
