/**
 * Access control as the server applies it (docs/security.md): the mode, the token verifier, the
 * role → permission table in force, and which routes stay open. Built once at startup from the
 * settings; a role map that does not parse is a startup violation (exit 78), like every other
 * configuration problem.
 */
import type { AuthMode, AuthSettings } from '../../config/auth.ts';
import type { Violation } from '../../config/variables.ts';
import { parseRoleMap, type RolePermissions } from '../../domain/access/permissions.ts';
import { createTokenVerifier, type TokenVerifier } from './token-verifier.ts';

export interface AccessControl {
  readonly mode: AuthMode;
  /** Present when mode is JWT. */
  readonly verifier: TokenVerifier | null;
  readonly table: RolePermissions;
  /** Whether a route (by its path pattern, e.g. `/health/live`) is served without a token. */
  isOpen(routePath: string): boolean;
  /** Whether token keys come from a JWKS URL (its outage is a documented 503). */
  readonly remoteKeys: boolean;
}

/** `/prefix/*` matches the prefix and everything below it; anything else matches exactly. */
export function openPathMatcher(paths: readonly string[]): (routePath: string) => boolean {
  const exact = new Set(paths.filter((path) => !path.endsWith('/*')));
  const prefixes = paths.filter((path) => path.endsWith('/*')).map((path) => path.slice(0, -2));
  return (routePath) => exact.has(routePath) || prefixes.some((prefix) => routePath === prefix || routePath.startsWith(`${prefix}/`));
}

export type AccessControlResult = { readonly ok: true; readonly access: AccessControl } | { readonly ok: false; readonly violations: readonly Violation[] };

export function createAccessControl(settings: AuthSettings): AccessControlResult {
  const roleMap = parseRoleMap(settings.roleMapJson);
  if (!roleMap.ok) {
    return {
      ok: false,
      violations: [{ code: 'API_AUTH_ROLE_MAP_INVALID', variable: 'API_AUTH_ROLE_MAP', message: `API_AUTH_ROLE_MAP: ${roleMap.problems.join('; ')}.` }],
    };
  }
  const jwt = settings.mode === 'JWT';
  return {
    ok: true,
    access: {
      mode: settings.mode,
      verifier: jwt ? createTokenVerifier(settings) : null,
      table: roleMap.table,
      isOpen: openPathMatcher(settings.openPaths),
      remoteKeys: jwt && settings.jwksUrl !== '',
    },
  };
}

/** No authentication: API_AUTH_MODE=NONE, and bare test servers. */
export const NO_ACCESS_CONTROL: AccessControl = { mode: 'NONE', verifier: null, table: {}, isOpen: () => true, remoteKeys: false };
