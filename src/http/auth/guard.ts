/**
 * The one place requests are authenticated and authorised (docs/security.md), driven by what each
 * route declares next to its operationId: the `permission` its caller's roles must grant, and
 * where it takes the `actor` name.
 *
 * - At registration, every documented route must declare a permission, so a new route cannot be
 *   left open by forgetting it (hidden routes — the console's files, /docs — hold no client data).
 * - `onRequest`, before the body is read and before any feature gate: the bearer token is
 *   verified (401 AUTH_TOKEN_MISSING / _INVALID / _EXPIRED) and the route's permission checked
 *   (403 AUTH_PERMISSION_DENIED naming it). A caller without a valid token learns nothing, not even
 *   which features are switched on. Open routes (API_AUTH_OPEN_PATHS) skip both.
 * - `preHandler`, once the body is validated: an actor name that disagrees with the token's
 *   subject is refused (403 AUTH_ACTOR_MISMATCH) rather than silently replaced, so a reference
 *   client learns that its audit name is not what gets recorded.
 *
 * Every request carries `request.actor`, which routes hand to the services: the verified subject
 * and permissions, or — with API_AUTH_MODE=NONE and on open routes — no subject and every
 * permission, which is the reference's behaviour.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ReasonError } from '../../config/reason-codes.ts';
import { UNAUTHENTICATED, type Actor } from '../../domain/access/actor.ts';
import { permissionsOf, requiredPermissions, satisfies } from '../../domain/access/permissions.ts';
import type { ActorSource } from '../openapi/route-docs.ts';
import type { AccessControl } from './access-control.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling (docs/security.md#the-audit-trail); set for every request. */
    actor: Actor;
  }
}

/** `Bearer <token>` → token; anything else → null. */
export function bearerToken(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(value ?? '');
  return match?.[1] ?? null;
}

function namedActor(request: FastifyRequest, source: ActorSource): { field: string; name: string } {
  if ('header' in source) {
    const value = request.headers[source.header];
    return { field: source.header, name: (Array.isArray(value) ? value[0] : value)?.trim() ?? '' };
  }
  const body = request.body;
  const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[source.body] : undefined;
  return { field: source.body, name: typeof value === 'string' ? value.trim() : '' };
}

export function registerAccessControl(app: FastifyInstance, access: AccessControl, options: { readonly requireDeclarations: boolean }): void {
  app.decorateRequest('actor', null as unknown as Actor);

  if (options.requireDeclarations) {
    app.addHook('onRoute', (route) => {
      const schema = route.schema;
      if (schema && !schema.hide && schema.permission === undefined) {
        throw new Error(`${String(route.method)} ${route.url} declares no permission (docs/security.md#permissions).`);
      }
    });
  }

  app.addHook('onRequest', async (request) => {
    request.actor = UNAUTHENTICATED;
    const verifier = access.verifier;
    const schema = request.routeOptions.schema;
    if (verifier === null || schema?.permission === undefined || access.isOpen(request.routeOptions.url ?? '')) return;
    const token = bearerToken(request.headers.authorization);
    if (token === null) throw new ReasonError('AUTH_TOKEN_MISSING', 'Send "Authorization: Bearer <access token>".');
    const verified = await verifier.verify(token);
    const actor: Actor = { subject: verified.subject, permissions: permissionsOf(verified.roles, access.table) };
    request.actor = actor;
    if (!satisfies(actor.permissions, schema.permission)) {
      const needed = requiredPermissions(schema.permission);
      throw new ReasonError('AUTH_PERMISSION_DENIED', `The token's roles do not grant ${needed.join(' or ')}.`, { details: [needed.join('|')] });
    }
  });

  app.addHook('preHandler', async (request) => {
    const source = request.routeOptions.schema?.actor;
    const subject = request.actor.subject;
    if (source === undefined || subject === null) return;
    const { field, name } = namedActor(request, source);
    if (name !== '' && name !== subject) {
      throw new ReasonError('AUTH_ACTOR_MISMATCH', `${field} is ${JSON.stringify(name)}, but the token's subject is ${JSON.stringify(subject)}; the subject is what gets recorded.`, {
        details: [field],
      });
    }
  });
}
