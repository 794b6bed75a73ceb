/**
 * RFC-0025 persistence-profile guardrails
 * (docs/runbook-cutover.md#the-persistence-contract-rfc-0025).
 *
 * Returns every violation, in the RFC's order (the first one is the primary code;
 * docs/configuration.md#production-guardrails), instead of stopping at the first as the reference
 * did. `evaluateGuardrails(settings, 'PRODUCTION')` is also how LOCAL runs its shadow validation
 * (docs/runbook-cutover.md#the-four-rollout-gates) and how the cutover check evaluates with
 * `--as-production`.
 *
 * Warnings are a second table of the same shape: what PRODUCTION allows (the RFC promises no API
 * change, so a service without authentication still starts) but reports — in the startup log,
 * `/health/ready` `production_readiness.warnings` and `cutover-check`, whose `--strict` fails on them.
 */
import type { ReasonCode } from './reason-codes.ts';
import { REASON_CODES } from './reason-codes.ts';
import type { PersistenceProfile, Settings } from './settings.ts';
import type { Violation } from './variables.ts';

interface Guardrail {
  readonly code: ReasonCode;
  readonly variable: string;
  /** True when the rule is broken. */
  readonly violated: (s: Settings) => boolean;
}

/** The RFC's order. A backend check and its DSN check are separate rules: both may fire. */
const GUARDRAILS: readonly Guardrail[] = [
  {
    code: 'PERSISTENCE_PROFILE_REQUIRES_DPM_POSTGRES',
    variable: 'DPM_SUPPORTABILITY_STORE_BACKEND',
    violated: (s) => s.dpm.backend !== 'POSTGRES',
  },
  {
    code: 'PERSISTENCE_PROFILE_REQUIRES_DPM_POSTGRES_DSN',
    variable: 'DPM_SUPPORTABILITY_POSTGRES_DSN',
    violated: (s) => s.dpm.postgresDsn === '',
  },
  {
    code: 'PERSISTENCE_PROFILE_REQUIRES_ADVISORY_POSTGRES',
    variable: 'PROPOSAL_STORE_BACKEND',
    violated: (s) => s.proposals.backend !== 'POSTGRES',
  },
  {
    code: 'PERSISTENCE_PROFILE_REQUIRES_ADVISORY_POSTGRES_DSN',
    variable: 'PROPOSAL_POSTGRES_DSN',
    violated: (s) => s.proposals.postgresDsn === '',
  },
  {
    code: 'PERSISTENCE_PROFILE_REQUIRES_POLICY_PACK_POSTGRES',
    variable: 'DPM_POLICY_PACK_CATALOG_BACKEND',
    violated: (s) => s.policyPacks.catalogRequired && s.policyPacks.catalogBackend !== 'POSTGRES',
  },
  {
    // Deliberately the explicit variable only: a production catalog must name its database.
    code: 'PERSISTENCE_PROFILE_REQUIRES_POLICY_PACK_POSTGRES_DSN',
    variable: 'DPM_POLICY_PACK_POSTGRES_DSN',
    violated: (s) => s.policyPacks.catalogRequired && s.policyPacks.explicitPostgresDsn === '',
  },
  {
    // With JWT the admin calls are authorised by the policy_packs.admin permission, not this token.
    code: 'PERSISTENCE_PROFILE_REQUIRES_POLICY_PACK_ADMIN_TOKEN',
    variable: 'DPM_POLICY_PACK_ADMIN_TOKEN',
    violated: (s) => s.auth.mode === 'NONE' && s.policyPacks.adminApisEnabled && s.policyPacks.adminToken === '',
  },
];

const WARNINGS: readonly Guardrail[] = [
  {
    code: 'PRODUCTION_AUTHENTICATION_DISABLED',
    variable: 'API_AUTH_MODE',
    violated: (s) => s.auth.mode === 'NONE',
  },
];

/** The guardrail codes in the RFC's order, each with the variable that breaks it, for docs and tests. */
export const GUARDRAIL_RULES: readonly { readonly code: ReasonCode; readonly variable: string }[] = GUARDRAILS.map(
  ({ code, variable }) => ({ code, variable }),
);
export const GUARDRAIL_CODES: readonly ReasonCode[] = GUARDRAILS.map((g) => g.code);
export const WARNING_RULES: readonly { readonly code: ReasonCode; readonly variable: string }[] = WARNINGS.map(({ code, variable }) => ({ code, variable }));

function broken(rules: readonly Guardrail[], settings: Settings): Violation[] {
  return rules.filter((g) => g.violated(settings)).map((g) => ({ code: g.code, variable: g.variable, message: REASON_CODES[g.code].meaning }));
}

/**
 * Evaluates the guardrails of `asProfile` (default: the configured profile) against the settings.
 * LOCAL has no guardrails, so it returns nothing.
 */
export function evaluateGuardrails(settings: Settings, asProfile: PersistenceProfile = settings.profile): Violation[] {
  return asProfile === 'PRODUCTION' ? broken(GUARDRAILS, settings) : [];
}

/** The warnings PRODUCTION would report for these settings (LOCAL has none of its own). */
export function evaluateWarnings(settings: Settings, asProfile: PersistenceProfile = settings.profile): Violation[] {
  return asProfile === 'PRODUCTION' ? broken(WARNINGS, settings) : [];
}
