/**
 * Status and workflow gate (docs/engine.md#status-and-gate): what the run's outcome means for the
 * next step — fix the input, send to risk or compliance review, ask the client, or execute.
 * Shared by both engines: the advisory engine adds its NEW suitability issues and asks for client
 * consent by default (`GateExtras`); a DPM run passes none.
 */
import { compareCodePoints } from '../canonical-json.ts';
import { GATE_REASONS, hardRuleFail, softRuleFail } from './codes.ts';
import type {
  Diagnostics,
  EngineOptions,
  GateDecision,
  GateReason,
  RuleResult,
  RunStatus,
} from './model.ts';

/** Any HARD failure blocks, else any SOFT failure needs review, else ready. */
export function statusFromRules(rules: readonly RuleResult[]): RunStatus {
  const failed = rules.filter((r) => r.status === 'FAIL');
  if (failed.some((r) => r.severity === 'HARD')) return 'BLOCKED';
  return failed.some((r) => r.severity === 'SOFT') ? 'PENDING_REVIEW' : 'READY';
}

const SEVERITY_RANK = { HIGH: 0, MEDIUM: 1, LOW: 2 } as const;

function reasonOrder(a: GateReason, b: GateReason): number {
  const detailKey = (r: GateReason): string => r.details.issue_key ?? r.details.reason_code ?? '';
  return (
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    compareCodePoints(a.source, b.source) ||
    compareCodePoints(a.reasonCode, b.reasonCode) ||
    compareCodePoints(detailKey(a), detailKey(b))
  );
}

/** A suitability issue as the gate sees it (advisory scanner output). */
export interface GateSuitabilityIssue {
  readonly issueId: string;
  readonly issueKey: string;
  readonly severity: 'HIGH' | 'MEDIUM' | 'LOW';
  readonly statusChange: 'NEW' | 'PERSISTENT' | 'RESOLVED';
}

export interface GateExtras {
  /** NEW HIGH → compliance review, NEW MEDIUM → risk review; others ignored. */
  readonly suitabilityIssues?: readonly GateSuitabilityIssue[];
  /** The advisory engine passes true: a proposal always needs the client's consent. */
  readonly defaultRequiresClientConsent?: boolean;
}

function gateReasons(
  rules: readonly RuleResult[],
  diagnostics: Diagnostics,
  newIssues: readonly GateSuitabilityIssue[],
): GateReason[] {
  const reasons: GateReason[] = [];
  for (const r of rules) {
    if (r.status !== 'FAIL') continue;
    if (r.severity === 'HARD') {
      reasons.push({
        reasonCode: hardRuleFail(r.ruleId),
        severity: 'HIGH',
        source: 'RULE_ENGINE',
        details: { reason_code: r.reasonCode },
      });
    } else if (r.severity === 'SOFT') {
      reasons.push({
        reasonCode: softRuleFail(r.ruleId),
        severity: 'MEDIUM',
        source: 'RULE_ENGINE',
        details: { reason_code: r.reasonCode },
      });
    }
  }
  for (const issue of newIssues) {
    if (issue.severity === 'LOW') continue;
    reasons.push({
      reasonCode: issue.severity === 'HIGH' ? GATE_REASONS.NEW_HIGH_SUITABILITY_ISSUE : GATE_REASONS.NEW_MEDIUM_SUITABILITY_ISSUE,
      severity: issue.severity,
      source: 'SUITABILITY',
      details: { issue_id: issue.issueId, issue_key: issue.issueKey },
    });
  }
  // Reported whether or not the missing data blocked the run.
  const { priceMissing, fxMissing } = diagnostics.dataQuality;
  if (priceMissing.length > 0) {
    reasons.push({
      reasonCode: GATE_REASONS.DATA_QUALITY_MISSING_PRICE,
      severity: 'HIGH',
      source: 'DATA_QUALITY',
      details: { count: String(priceMissing.length) },
    });
  }
  if (fxMissing.length > 0) {
    reasons.push({
      reasonCode: GATE_REASONS.DATA_QUALITY_MISSING_FX,
      severity: 'HIGH',
      source: 'DATA_QUALITY',
      details: { count: String(fxMissing.length) },
    });
  }
  return reasons.sort(reasonOrder);
}

/** The decision, whatever `enable_workflow_gates` says (the advisory artifact needs one). */
export function decideGate(
  status: RunStatus,
  rules: readonly RuleResult[],
  diagnostics: Diagnostics,
  options: Pick<EngineOptions, 'clientConsentAlreadyObtained' | 'workflowRequiresClientConsent'>,
  extras: GateExtras = {},
): GateDecision {
  const hardFailCount = rules.filter((r) => r.status === 'FAIL' && r.severity === 'HARD').length;
  const softFailCount = rules.filter((r) => r.status === 'FAIL' && r.severity === 'SOFT').length;
  const newIssues = (extras.suitabilityIssues ?? []).filter((i) => i.statusChange === 'NEW');
  const newHighSuitabilityCount = newIssues.filter((i) => i.severity === 'HIGH').length;
  const newMediumSuitabilityCount = newIssues.filter((i) => i.severity === 'MEDIUM').length;
  const decide = (): Pick<GateDecision, 'gate' | 'recommendedNextStep'> => {
    if (status === 'BLOCKED' || hardFailCount > 0) return { gate: 'BLOCKED', recommendedNextStep: 'FIX_INPUT' };
    if (newHighSuitabilityCount > 0) {
      return { gate: 'COMPLIANCE_REVIEW_REQUIRED', recommendedNextStep: 'COMPLIANCE_REVIEW' };
    }
    if (softFailCount > 0 || newMediumSuitabilityCount > 0) {
      return { gate: 'RISK_REVIEW_REQUIRED', recommendedNextStep: 'RISK_REVIEW' };
    }
    if (options.clientConsentAlreadyObtained) return { gate: 'EXECUTION_READY', recommendedNextStep: 'EXECUTE' };
    if (options.workflowRequiresClientConsent || extras.defaultRequiresClientConsent === true) {
      return { gate: 'CLIENT_CONSENT_REQUIRED', recommendedNextStep: 'REQUEST_CLIENT_CONSENT' };
    }
    return { gate: 'EXECUTION_READY', recommendedNextStep: 'EXECUTE' };
  };
  return {
    ...decide(),
    reasons: gateReasons(rules, diagnostics, newIssues),
    hardFailCount,
    softFailCount,
    newHighSuitabilityCount,
    newMediumSuitabilityCount,
  };
}

/** Null when workflow gates are off. */
export function evaluateGate(
  status: RunStatus,
  rules: readonly RuleResult[],
  diagnostics: Diagnostics,
  options: Pick<EngineOptions, 'enableWorkflowGates' | 'clientConsentAlreadyObtained' | 'workflowRequiresClientConsent'>,
  extras: GateExtras = {},
): GateDecision | null {
  return options.enableWorkflowGates ? decideGate(status, rules, diagnostics, options, extras) : null;
}
