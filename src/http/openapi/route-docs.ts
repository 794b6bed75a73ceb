/**
 * What a route tells the OpenAPI document beyond its validation schemas (docs/dpm-api.md
 * "OpenAPI"): the catalogued codes it can answer with, and named examples. The document builder
 * (document.ts) reads these; Fastify ignores them.
 */
import type { ReasonCode } from '../../config/reason-codes.ts';
import type { PermissionRequirement } from '../../domain/access/permissions.ts';

export interface NamedExample {
  readonly summary: string;
  readonly value: unknown;
}

export type NamedExamples = Readonly<Record<string, NamedExample>>;

/** A body field or a header naming the actor (`actor_id`, `created_by`, `X-Actor`). */
export type ActorSource = { readonly body: string } | { readonly header: string };

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
    /**
     * What the caller's roles must grant when API_AUTH_MODE=JWT (docs/security.md#permissions):
     * one permission, or any one of several when the request decides which (a workflow move).
     * Every documented route declares one; src/http/auth/guard.ts enforces it.
     */
    permission?: PermissionRequirement;
    /** Where the request names who acts; with authentication a name other than the token's subject is refused. */
    actor?: ActorSource;
    /** Codes the route answers only when authentication is on, besides the token and permission codes (e.g. four-eyes). */
    authErrors?: readonly ReasonCode[];
  }
}
