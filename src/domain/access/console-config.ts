/**
 * What the console needs to know about access control, served by `/console/config.json`
 * (docs/console.md#signing-in): how to sign users in, where the token keeps the subject and the
 * roles, and the role → permission table in force. One type for the service that writes it and the
 * console that reads it.
 */
import type { RolePermissions } from './permissions.ts';

export interface ConsoleAccessConfig {
  readonly mode: 'NONE' | 'JWT';
  /** Set when the console signs users in itself (authorization code + PKCE). */
  readonly oidc: { readonly issuer: string; readonly client_id: string; readonly scopes: string } | null;
  readonly subject_claim: string;
  readonly roles_claims: readonly string[];
  readonly role_permissions: RolePermissions;
}

export interface ConsoleConfig {
  readonly auth: ConsoleAccessConfig;
}
