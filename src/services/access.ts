/**
 * The checks services make about who acts (docs/security.md): the permission a particular move
 * needs, known only once the record is read, and the four-eyes refusal, which is recorded in the
 * audit trail before it is answered. The route-level permission and the actor name are checked
 * earlier, at the edge (src/http/auth/guard.ts).
 */
import type { Static } from '@sinclair/typebox';
import { ReasonError } from '../config/reason-codes.ts';
import type { Actor } from '../domain/access/actor.ts';
import type { Permission } from '../domain/access/permissions.ts';
import type { RefusedAttempt } from '../stores/proposals/port.ts';
import { newId } from './ids.ts';
import type { RefusedAttemptSchema } from './refused-attempt-schema.ts';

/** Who acts and under which request, as a write needs it for its checks and records. */
export interface ActingContext {
  readonly actor: Actor;
  readonly correlationId: string;
}

export function requirePermission(actor: Actor, permission: Permission | null): void {
  if (permission === null || actor.permissions.has(permission)) return;
  throw new ReasonError('AUTH_PERMISSION_DENIED', `The token's roles do not grant ${permission}, which this move needs.`, { details: [permission] });
}

/** The name recorded as the actor: the verified subject, or the name the request gave without authentication. */
export const recordedActor = (actor: Actor, named: string): string => actor.subject ?? named;

/**
 * Four-eyes: when the verified subject is one of `authors`, the attempt is recorded through
 * `record` and refused with SEGREGATION_OF_DUTIES_VIOLATION. Without authentication there is no
 * verified subject, so nothing is refused (the names in bodies prove nothing).
 */
export async function refuseOwnApproval(options: {
  readonly context: ActingContext;
  readonly authors: readonly string[];
  readonly entityId: string;
  readonly action: string;
  readonly details: Record<string, unknown>;
  readonly now: () => Date;
  readonly record: (attempt: RefusedAttempt) => Promise<void>;
}): Promise<void> {
  const subject = options.context.actor.subject;
  if (subject === null || !options.authors.includes(subject)) return;
  await options.record({
    attempt_id: newId('rfa'),
    entity_id: options.entityId,
    action: options.action,
    actor_id: subject,
    reason_code: 'SEGREGATION_OF_DUTIES_VIOLATION',
    attempted_at: options.now().toISOString(),
    correlation_id: options.context.correlationId,
    details_json: { ...options.details, authors: [...new Set(options.authors)] },
  });
  throw new ReasonError('SEGREGATION_OF_DUTIES_VIOLATION', `${subject} authored what they are trying to approve (${options.action}); another person must decide.`);
}

/** A refused attempt as the API shows it (the entity is the one it is listed under). */
export function refusedAttemptView(attempt: RefusedAttempt): Static<typeof RefusedAttemptSchema> {
  return {
    attempt_id: attempt.attempt_id,
    action: attempt.action,
    actor_id: attempt.actor_id,
    reason_code: attempt.reason_code,
    attempted_at: attempt.attempted_at,
    correlation_id: attempt.correlation_id,
    details: attempt.details_json,
  };
}
