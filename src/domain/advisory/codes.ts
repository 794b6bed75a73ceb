/** Every code string the advisory engine emits, spelled once (docs/advisory.md#pipeline). */

export const WARNINGS = {
  PROPOSAL_WITHDRAWAL_NEGATIVE_CASH: 'PROPOSAL_WITHDRAWAL_NEGATIVE_CASH',
  PROPOSAL_TRADE_NOT_SUPPORTED_BY_SHELF: 'PROPOSAL_TRADE_NOT_SUPPORTED_BY_SHELF',
  PROPOSAL_INVALID_TRADE_INPUT: 'PROPOSAL_INVALID_TRADE_INPUT',
  PROPOSAL_BUY_SKIPPED_UNFUNDED: 'PROPOSAL_BUY_SKIPPED_UNFUNDED',
  PROPOSAL_MISSING_FX_NON_BLOCKING: 'PROPOSAL_MISSING_FX_NON_BLOCKING',
  REFERENCE_MODEL_BASE_CURRENCY_MISMATCH: 'REFERENCE_MODEL_BASE_CURRENCY_MISMATCH',
  /**
   * Not in the reference (docs/advisory.md#d4-unpriced-trades-are-never-silent): a trade dropped
   * for a missing price.
   */
  PROPOSAL_TRADE_SKIPPED_MISSING_PRICE: 'PROPOSAL_TRADE_SKIPPED_MISSING_PRICE',
} as const;

export const INVALID_TRADE_INPUT = WARNINGS.PROPOSAL_INVALID_TRADE_INPUT;

/** Reason codes of the PROPOSAL_INPUT_GUARDS rule (the first hard failure is reported). */
export const HARD_FAILURES = {
  PROPOSAL_WITHDRAWAL_NEGATIVE_CASH: WARNINGS.PROPOSAL_WITHDRAWAL_NEGATIVE_CASH,
  PROPOSAL_TRADE_NOT_SUPPORTED_BY_SHELF: WARNINGS.PROPOSAL_TRADE_NOT_SUPPORTED_BY_SHELF,
  PROPOSAL_INVALID_TRADE_INPUT: WARNINGS.PROPOSAL_INVALID_TRADE_INPUT,
  PROPOSAL_MISSING_FX_FOR_FUNDING: 'PROPOSAL_MISSING_FX_FOR_FUNDING',
  PROPOSAL_INSUFFICIENT_FUNDING_CASH: 'PROPOSAL_INSUFFICIENT_FUNDING_CASH',
} as const;

export const RULES = {
  PROPOSAL_INPUT_GUARDS: 'PROPOSAL_INPUT_GUARDS',
  PROPOSAL_FUNDING_DQ: 'PROPOSAL_FUNDING_DQ',
  /**
   * Not in the reference (docs/advisory.md#d4-unpriced-trades-are-never-silent): soft, when trades
   * were dropped for missing prices.
   */
  PROPOSAL_TRADES_SKIPPED: 'PROPOSAL_TRADES_SKIPPED',
} as const;

export const RULE_REASONS = {
  MISSING_FX_FOR_FUNDING: 'MISSING_FX_FOR_FUNDING',
  TRADE_SKIPPED_MISSING_PRICE: 'TRADE_SKIPPED_MISSING_PRICE',
} as const;

export const HINTS = {
  INPUT_GUARDS: 'Adjust proposal cash flows, funding inputs, or shelf eligibility.',
  FUNDING_DQ: 'Provide required FX rates for advisory auto-funding.',
  RECONCILIATION: 'Check pricing/FX or proposal inputs.',
  TRADES_SKIPPED: 'Provide prices for every proposed instrument.',
} as const;

export const RATIONALE = {
  MANUAL_PROPOSAL: { code: 'MANUAL_PROPOSAL', message: 'Advisor proposed trade' },
  FUNDING: 'FUNDING',
} as const;

export const ENGINE_VERSION = '0.1.0';
