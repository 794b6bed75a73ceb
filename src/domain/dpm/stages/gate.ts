/**
 * Status and workflow gate (spec §3.13): what the run's outcome means for the next step —
 * fix the input, send to risk review, ask the client, or execute.
 */
import { compareCodePoints } from '../../canonical-json.ts';
import { GATE_REASONS, hardRuleFail, softRuleFail } from '../codes.ts';
import type {
  Diagnostics,
  EngineOptions,
  GateDecision,
  GateReason,
  RuleResult,
  RunStatus,
} from '../model/engine-model.ts';

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

function gateReasons(rules: readonly RuleResult[], diagnostics: Diagnostics): GateReason[] {
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

/** Null when workflow gates are off. */
export function evaluateGate(
  status: RunStatus,
  rules: readonly RuleResult[],
  diagnostics: Diagnostics,
  options: EngineOptions,
): GateDecision | null {
  if (!options.enableWorkflowGates) return null;
  const hardFailCount = rules.filter((r) => r.status === 'FAIL' && r.severity === 'HARD').length;
  const softFailCount = rules.filter((r) => r.status === 'FAIL' && r.severity === 'SOFT').length;
  const decide = (): Pick<GateDecision, 'gate' | 'recommendedNextStep'> => {
    if (status === 'BLOCKED' || hardFailCount > 0) return { gate: 'BLOCKED', recommendedNextStep: 'FIX_INPUT' };
    if (softFailCount > 0) return { gate: 'RISK_REVIEW_REQUIRED', recommendedNextStep: 'RISK_REVIEW' };
    if (options.clientConsentAlreadyObtained) return { gate: 'EXECUTION_READY', recommendedNextStep: 'EXECUTE' };
    if (options.workflowRequiresClientConsent) {
      return { gate: 'CLIENT_CONSENT_REQUIRED', recommendedNextStep: 'REQUEST_CLIENT_CONSENT' };
    }
    return { gate: 'EXECUTION_READY', recommendedNextStep: 'EXECUTE' };
  };
  return { ...decide(), reasons: gateReasons(rules, diagnostics), hardFailCount, softFailCount };
}
