/**
 * The codes of the rules and the gate decision both engines emit (docs/engine.md#codes), spelled
 * once. Each engine's own codes are `dpm/codes.ts` and `advisory/codes.ts`.
 */

export const RULE_IDS = {
  CASH_BAND: 'CASH_BAND',
  SINGLE_POSITION_MAX: 'SINGLE_POSITION_MAX',
  DATA_QUALITY: 'DATA_QUALITY',
  MIN_TRADE_SIZE: 'MIN_TRADE_SIZE',
  NO_SHORTING: 'NO_SHORTING',
  INSUFFICIENT_CASH: 'INSUFFICIENT_CASH',
  RECONCILIATION: 'RECONCILIATION',
  SETTLEMENT_CASH_LADDER: 'SETTLEMENT_CASH_LADDER',
} as const;

export const RULE_REASONS = {
  OK: 'OK',
  THRESHOLD_BREACH: 'THRESHOLD_BREACH',
  LIMIT_BREACH: 'LIMIT_BREACH',
  NO_LIMIT_SET: 'NO_LIMIT_SET',
  MISSING_DATA: 'MISSING_DATA',
  INTENTS_SUPPRESSED: 'INTENTS_SUPPRESSED',
  SELL_EXCEEDS_HOLDINGS: 'SELL_EXCEEDS_HOLDINGS',
  CASH_BALANCE_NEGATIVE: 'CASH_BALANCE_NEGATIVE',
  VALUE_MISMATCH: 'VALUE_MISMATCH',
} as const;

export const GATE_REASONS = {
  DATA_QUALITY_MISSING_PRICE: 'DATA_QUALITY_MISSING_PRICE',
  DATA_QUALITY_MISSING_FX: 'DATA_QUALITY_MISSING_FX',
  /** Advisory only: a NEW suitability issue of that severity. */
  NEW_HIGH_SUITABILITY_ISSUE: 'NEW_HIGH_SUITABILITY_ISSUE',
  NEW_MEDIUM_SUITABILITY_ISSUE: 'NEW_MEDIUM_SUITABILITY_ISSUE',
} as const;
export const hardRuleFail = (ruleId: string): string => `HARD_RULE_FAIL:${ruleId}`;
export const softRuleFail = (ruleId: string): string => `SOFT_RULE_FAIL:${ruleId}`;
