/**
 * Which actions the console offers (docs/console.md#signing-in). With authentication on, it reads
 * the token's subject and roles the way the service does and maps the roles with the same table
 * (both imported from the service's own src/domain/access, the table as the service runs it from
 * /console/config.json), so a button is shown exactly when the API would let its caller in. The
 * token is only read here, never trusted: the API verifies it and stays the judge, and a refusal
 * is shown with its code. Without authentication every action is offered, as before.
 */
import { rolesFromClaims, subjectFromClaims } from '../../../src/domain/access/claims.ts';
import type { ConsoleAccessConfig, ConsoleConfig } from '../../../src/domain/access/console-config.ts';
import { DEFAULT_ROLE_PERMISSIONS, permissionsOf, PERMISSION_NAMES, type Permission } from '../../../src/domain/access/permissions.ts';
import { bearerToken } from './session.ts';
import { signal, useSignal } from './signal.ts';

export type { Permission } from '../../../src/domain/access/permissions.ts';

const NO_AUTHENTICATION: ConsoleAccessConfig = { mode: 'NONE', oidc: null, subject_claim: 'sub', roles_claims: ['roles'], role_permissions: DEFAULT_ROLE_PERMISSIONS };

/** How this service controls access; read once when the console starts. */
export const accessConfig = signal<ConsoleAccessConfig>(NO_AUTHENTICATION);

export async function loadAccessConfig(): Promise<void> {
  try {
    const response = await fetch('/console/config.json', { headers: { accept: 'application/json' } });
    if (response.ok) accessConfig.set(((await response.json()) as ConsoleConfig).auth);
  } catch {
    // A service that predates /console/config.json has no authentication.
  }
}

export interface Identity {
  /** The service wants a token (API_AUTH_MODE=JWT). */
  readonly required: boolean;
  /** The token's subject; null without a (readable) token. */
  readonly subject: string | null;
  readonly roles: readonly string[];
  readonly permissions: ReadonlySet<Permission>;
  /** The token's `exp` has passed: the API will answer 401 AUTH_TOKEN_EXPIRED. */
  readonly expired: boolean;
}

/** The claims of a JWT, read without checking its signature (the API checks it); null when it is not one. */
export function claimsOf(token: string): Record<string, unknown> | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const binary = atob(payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '='));
    const claims: unknown = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
    return typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function identityOf(config: ConsoleAccessConfig, token: string, nowMs: number = Date.now()): Identity {
  if (config.mode === 'NONE') return { required: false, subject: null, roles: [], permissions: new Set(PERMISSION_NAMES), expired: false };
  const claims = token === '' ? null : claimsOf(token);
  if (!claims) return { required: true, subject: null, roles: [], permissions: new Set(), expired: false };
  const roles = rolesFromClaims(claims, config.roles_claims);
  const exp = typeof claims['exp'] === 'number' ? claims['exp'] * 1000 : Number.POSITIVE_INFINITY;
  return { required: true, subject: subjectFromClaims(claims, config.subject_claim), roles, permissions: permissionsOf(roles, config.role_permissions), expired: exp <= nowMs };
}

export interface Access {
  readonly identity: Identity;
  /** Whether to offer an action needing `permission` (null: the workflow itself refuses the move). */
  can(permission: Permission | null): boolean;
}

/** The caller as the page sees it; re-renders when the token or the configuration changes. */
export function useAccess(): Access {
  const identity = identityOf(useSignal(accessConfig), useSignal(bearerToken));
  return { identity, can: (permission) => permission !== null && identity.permissions.has(permission) && !identity.expired };
}
