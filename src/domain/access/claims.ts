/**
 * Reading the subject and the roles out of a token's claims (docs/security.md#connecting-an-identity-provider).
 * Identity providers put roles in different places: Keycloak in `realm_access.roles` (or
 * `resource_access.<client>.roles`), Entra ID in `roles`, Okta and Entra scopes in `scp` (a list,
 * or one space-separated string), Auth0 under a namespaced claim such as `https://example.com/roles`.
 * Pure, so the console reads a token the same way the service does.
 */

/**
 * The value at a claim path. A claim whose whole name matches wins (names may contain dots, as
 * URL-namespaced claims do); otherwise the path is followed one dotted segment at a time.
 */
export function claimAt(claims: unknown, path: string): unknown {
  if (typeof claims !== 'object' || claims === null) return undefined;
  const record = claims as Record<string, unknown>;
  if (Object.prototype.hasOwnProperty.call(record, path)) return record[path];
  const dot = path.indexOf('.');
  if (dot <= 0) return undefined;
  const head = path.slice(0, dot);
  return Object.prototype.hasOwnProperty.call(record, head) ? claimAt(record[head], path.slice(dot + 1)) : undefined;
}

/** A list of strings, or one space-separated string (OAuth `scope`/`scp`); anything else holds no roles. */
function rolesIn(value: unknown): string[] {
  if (typeof value === 'string') return value.split(' ').filter((role) => role !== '');
  if (Array.isArray(value)) return value.filter((role): role is string => typeof role === 'string' && role !== '');
  return [];
}

/** The roles found at any of the claim paths (API_AUTH_ROLES_CLAIM), without duplicates. */
export function rolesFromClaims(claims: unknown, paths: readonly string[]): string[] {
  return [...new Set(paths.flatMap((path) => rolesIn(claimAt(claims, path))))];
}

/** The subject at the claim path (API_AUTH_SUBJECT_CLAIM): a non-empty string, or null. */
export function subjectFromClaims(claims: unknown, path: string): string | null {
  const value = claimAt(claims, path);
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}
