/**
 * Who is calling, as the services see it (docs/security.md#the-audit-trail). With authentication
 * on, the subject is the verified token's and the permissions come from its roles; with
 * API_AUTH_MODE=NONE there is no subject, every permission is granted, and the actor names in
 * request bodies are recorded as sent (the reference's behaviour).
 */
import { PERMISSION_NAMES, type Permission } from './permissions.ts';

export interface Actor {
  /** The verified subject; null when authentication is off. */
  readonly subject: string | null;
  readonly permissions: ReadonlySet<Permission>;
}

/** The caller when API_AUTH_MODE=NONE. */
export const UNAUTHENTICATED: Actor = { subject: null, permissions: new Set(PERMISSION_NAMES) };
