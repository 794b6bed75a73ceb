/**
 * Small request builders for the stage tests: an SGD portfolio with 10,000 cash by default, and
 * helpers for the rows each test adds. `run` validates and simulates like the HTTP layer will.
 */
import { Decimal } from 'decimal.js';
import { expect } from 'vitest';
import {
  simulateRebalance,
  validateRebalanceRequest,
  type RebalanceResult,
} from '../../../src/domain/dpm/index.ts';

export interface RequestParts {
  base?: string;
  positions?: unknown[];
  cash?: unknown[];
  prices?: unknown[];
  fx?: unknown[];
  targets?: unknown[];
  shelf?: unknown[];
  options?: Record<string, unknown>;
}

export function request(parts: RequestParts = {}): Record<string, unknown> {
  return {
    portfolio_snapshot: {
      portfolio_id: 'pf_test',
      base_currency: parts.base ?? 'SGD',
      positions: parts.positions ?? [],
      cash_balances: parts.cash ?? [{ currency: parts.base ?? 'SGD', amount: '10000' }],
    },
    market_data_snapshot: { prices: parts.prices ?? [], fx_rates: parts.fx ?? [] },
    model_portfolio: { targets: parts.targets ?? [] },
    shelf_entries: parts.shelf ?? [],
    options: parts.options ?? {},
  };
}

export const position = (instrument_id: string, quantity: string, extra: Record<string, unknown> = {}) => ({
  instrument_id,
  quantity,
  ...extra,
});
export const price = (instrument_id: string, value: string, currency = 'SGD') => ({
  instrument_id,
  price: value,
  currency,
});
export const target = (instrument_id: string, weight: string) => ({ instrument_id, weight });
export const shelf = (instrument_id: string, status = 'APPROVED', extra: Record<string, unknown> = {}) => ({
  instrument_id,
  status,
  ...extra,
});
export const cash = (currency: string, amount: string, extra: Record<string, unknown> = {}) => ({
  currency,
  amount,
  ...extra,
});

export function run(body: unknown, runId = 'rr_test0001'): RebalanceResult {
  const validated = validateRebalanceRequest(body);
  if (!validated.ok) throw new Error(JSON.stringify(validated.problems));
  return simulateRebalance(validated.value, { runId });
}

export const num = (text: string | undefined): Decimal => new Decimal(text ?? 'NaN');

/** Numeric equality of decimal strings, with a readable failure. */
export function expectDecimal(actual: string | undefined, expected: Decimal.Value): void {
  expect(actual, `${actual} = ${String(expected)}`).toBeDefined();
  expect(num(actual).eq(expected), `${actual} = ${String(expected)}`).toBe(true);
}

export type Intent = RebalanceResult['intents'][number];
export type SecurityIntent = Extract<Intent, { intent_type: 'SECURITY_TRADE' }>;
export type FxIntent = Extract<Intent, { intent_type: 'FX_SPOT' }>;

export const trades = (result: RebalanceResult): SecurityIntent[] =>
  result.intents.filter((i): i is SecurityIntent => i.intent_type === 'SECURITY_TRADE');
export const fxTrades = (result: RebalanceResult): FxIntent[] =>
  result.intents.filter((i): i is FxIntent => i.intent_type === 'FX_SPOT');

export function targetRow(result: RebalanceResult, id: string) {
  const row = result.target.targets.find((t) => t.instrument_id === id);
  if (row === undefined) throw new Error(`no target row ${id}`);
  return row;
}
