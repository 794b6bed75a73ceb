/**
 * What the process knows about its configuration before it opens anything: the settings,
 * every violation that must stop it (invalid values first, then guardrails in the RFC's
 * order), and — in LOCAL — the shadow violations a switch to PRODUCTION would raise.
 */
import { evaluateGuardrails, evaluateWarnings } from './profile.ts';
import { loadSettings, missingDsnViolations, type Settings } from './settings.ts';
import type { Env, Violation } from './variables.ts';

export interface StartupAssessment {
  readonly settings: Settings;
  /** Non-empty means: do not start. */
  readonly violations: readonly Violation[];
  /**
   * Shadow validation: what PRODUCTION would refuse, evaluated in LOCAL without enforcing it
   * (docs/runbook-cutover.md#the-four-rollout-gates).
   */
  readonly shadowViolations: readonly Violation[];
  /** What PRODUCTION reports but allows (docs/configuration.md#production-warnings), in either profile. */
  readonly productionWarnings: readonly Violation[];
}

export function assessStartup(env?: Env): StartupAssessment {
  const loaded = loadSettings(env);
  const { settings } = loaded;
  const guardrails = evaluateGuardrails(settings);
  // A DSN already reported (invalid, or missing under the PRODUCTION guardrails) is reported once.
  const reported = [...loaded.violations, ...guardrails];
  const missingDsns = missingDsnViolations(settings).filter((v) => !reported.some((r) => r.variable === v.variable));
  return {
    settings,
    violations: [...loaded.violations, ...guardrails, ...missingDsns],
    shadowViolations: settings.profile === 'PRODUCTION' ? [] : evaluateGuardrails(settings, 'PRODUCTION'),
    productionWarnings: evaluateWarnings(settings, 'PRODUCTION'),
  };
}

/** `CODE: one-line explanation`, the stderr format of a refused start. */
export function formatViolation(violation: Violation): string {
  return `${violation.code}: ${violation.message}`;
}
