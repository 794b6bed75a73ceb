/**
 * What a route tells the OpenAPI document beyond its validation schemas (docs/dpm-api.md
 * "OpenAPI"): the catalogued codes it can answer with, and named examples. The document builder
 * (document.ts) reads these; Fastify ignores them.
 */
import type { ReasonCode } from '../../config/reason-codes.ts';

export interface NamedExample {
  readonly summary: string;
  readonly value: unknown;
}

export type NamedExamples = Readonly<Record<string, NamedExample>>;

declare module 'fastify' {
  interface FastifySchema {
    /**
     * The catalogued codes this route answers with besides success and request validation
     * (which the document adds from the schemas). Each is documented with the body the server
     * sends, and the error tests trigger each one.
     */
    errors?: readonly ReasonCode[];
    /** Named request bodies; a test sends each to the real app and expects the success status. */
    bodyExamples?: NamedExamples;
    /** Named success bodies. */
    responseExamples?: NamedExamples;
    /** Security requirement names (components.securitySchemes). */
    security?: ReadonlyArray<{ [scheme: string]: readonly string[] }>;
  }
}
