/**
 * Who may do what (docs/security.md#permissions), as data: the permissions routes and workflow
 * moves require, and the default role → permission table. An operator replaces the table with
 * API_AUTH_ROLE_MAP (parsed by `parseRoleMap`). Pure, so the service and the console read the same
 * table: a button is offered exactly when the API would accept the call.
 */

/** Every permission, with what it allows (the documentation table is generated from this). */
export const PERMISSIONS = {
  'runs.read': 'Read DPM runs and everything recorded about them: lookups, listing, artifacts, lineage, idempotency history, support bundles, the summary, review status and decisions, async analyses; reproduce a run.',
  simulate: 'Compute: DPM simulate and analyze (sync and async), advisory proposal simulate and artifact.',
  'runs.review': 'Decide in the run review workflow (APPROVE, REJECT, REQUEST_CHANGES).',
  'operations.execute': 'Execute an accepted async DPM operation (POST /rebalance/operations/{id}/execute).',
  'proposals.read': 'Read proposals, versions, events, approvals, lineage, async proposal operations and refused attempts; reproduce a version.',
  'proposals.write': 'Create a proposal, add a version (sync and async), cancel a proposal.',
  'proposals.submit': 'Submit a draft for risk or compliance review.',
  'proposals.approve_risk': 'Give or refuse the RISK approval.',
  'proposals.approve_compliance': 'Give or refuse the COMPLIANCE approval.',
  'proposals.record_consent': "Record the client's consent (or refusal).",
  'proposals.execute': 'Mark a proposal EXECUTED (or EXPIRED).',
  'policy_packs.read': 'Read the policy-pack catalog and the effective pack.',
  'policy_packs.admin': 'Create, replace and delete policy packs.',
  'monitoring.read': 'Read /health/* and /metrics when they are not left open (API_AUTH_OPEN_PATHS).',
} as const;

export type Permission = keyof typeof PERMISSIONS;
export const PERMISSION_NAMES = Object.keys(PERMISSIONS) as Permission[];

export const isPermission = (value: string): value is Permission => Object.prototype.hasOwnProperty.call(PERMISSIONS, value);

/** The default roles, in the order the documentation lists them. */
export const DEFAULT_ROLES = ['adviser', 'portfolio_manager', 'risk_officer', 'compliance_officer', 'operations', 'admin'] as const;

/** Role name (as the token carries it) → the permissions it grants. */
export type RolePermissions = Readonly<Record<string, readonly Permission[]>>;

/**
 * The default table. No role holds everything: the administrator manages policy packs but decides
 * nothing, and the roles that approve do not create what they approve.
 */
export const DEFAULT_ROLE_PERMISSIONS: RolePermissions = {
  adviser: ['runs.read', 'simulate', 'proposals.read', 'proposals.write', 'proposals.submit', 'proposals.record_consent', 'policy_packs.read'],
  portfolio_manager: ['runs.read', 'simulate', 'runs.review', 'proposals.read', 'policy_packs.read'],
  risk_officer: ['runs.read', 'runs.review', 'proposals.read', 'proposals.approve_risk', 'policy_packs.read'],
  compliance_officer: ['runs.read', 'runs.review', 'proposals.read', 'proposals.approve_compliance', 'policy_packs.read'],
  operations: ['runs.read', 'operations.execute', 'proposals.read', 'proposals.execute', 'policy_packs.read', 'monitoring.read'],
  admin: ['runs.read', 'proposals.read', 'policy_packs.read', 'policy_packs.admin', 'monitoring.read'],
};

/** The permissions a set of roles grants (roles the table does not name grant nothing). */
export function permissionsOf(roles: readonly string[], table: RolePermissions): ReadonlySet<Permission> {
  const granted = new Set<Permission>();
  for (const role of roles) {
    if (!Object.prototype.hasOwnProperty.call(table, role)) continue;
    for (const permission of table[role] ?? []) granted.add(permission);
  }
  return granted;
}

/** What a route requires: one permission, or any one of several (the move decides which; see moves.ts). */
export type PermissionRequirement = Permission | readonly Permission[];

export const requiredPermissions = (requirement: PermissionRequirement): readonly Permission[] =>
  typeof requirement === 'string' ? [requirement] : requirement;

/** True when `granted` satisfies the requirement. */
export function satisfies(granted: ReadonlySet<Permission>, requirement: PermissionRequirement): boolean {
  return requiredPermissions(requirement).some((permission) => granted.has(permission));
}

export type RoleMapParseResult = { readonly ok: true; readonly table: RolePermissions } | { readonly ok: false; readonly problems: readonly string[] };

/**
 * API_AUTH_ROLE_MAP: a JSON object `{"<role>": ["<permission>", …]}` that replaces the default
 * table as a whole (a role it does not name grants nothing). Every problem is reported.
 */
export function parseRoleMap(raw: string): RoleMapParseResult {
  if (raw.trim() === '') return { ok: true, table: DEFAULT_ROLE_PERMISSIONS };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { ok: false, problems: ['not valid JSON'] };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, problems: ['not a JSON object of role → [permission, …]'] };
  const table: Record<string, Permission[]> = {};
  const problems: string[] = [];
  for (const [role, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (role.trim() === '') problems.push('a role name is empty');
    if (!Array.isArray(value)) {
      problems.push(`role ${JSON.stringify(role)}: not a list of permissions`);
      continue;
    }
    const unknown = value.filter((item) => typeof item !== 'string' || !isPermission(item));
    if (unknown.length > 0) problems.push(`role ${JSON.stringify(role)}: unknown permission ${unknown.map((item) => JSON.stringify(item)).join(', ')}`);
    else table[role] = [...new Set(value as Permission[])];
  }
  if (problems.length === 0 && Object.keys(table).length === 0) problems.push('no role is mapped');
  return problems.length > 0 ? { ok: false, problems } : { ok: true, table };
}
