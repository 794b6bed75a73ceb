/**
 * Validation of ProposalSimulateRequest bodies: every problem `{ field, code, message }` is
 * collected (never throws on any JSON input), else the request normalised — unknown keys dropped,
 * defaults filled in, decimals as the reference's text. Same walker and conventions as the DPM
 * request (`portfolio/validation`), plus the advisory checks (docs/advisory.md#request-and-validation):
 *
 * - `proposed_trades[i]`: exactly one of `quantity` / `notional`, `notional.amount > 0`
 *   (`value_error`, message `Value error, PROPOSAL_INVALID_TRADE_INPUT: …`);
 * - a JSON float (non-integer number) for a trade quantity, a notional amount or a cash-flow
 *   amount is refused (money and units must arrive as decimal strings; integers are accepted).
 */
import { ProblemList, type PathSegment, type ValidationResult } from '../portfolio/validation/problems.ts';
import { PORTFOLIO_REFINEMENTS } from '../portfolio/validation/refinements.ts';
import { validate, type Refinement } from '../portfolio/validation/schema-walker.ts';
import { Decimal, isPositive } from '../decimal.ts';
import { INVALID_TRADE_INPUT } from './codes.ts';
import {
  PROPOSAL_TRADE_REFINEMENT,
  ProposalSimulateRequestSchema,
  type ProposalSimulateRequest,
  type ProposedTrade,
} from './model/request-schema.ts';

const tradeMessage = (text: string): string => `Value error, ${INVALID_TRADE_INPUT}: ${text}`;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isFloat = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value) && !Number.isInteger(value);

/**
 * Floats where the reference wants decimal strings. Runs on the raw body (the walker accepts
 * numbers for every decimal, so the distinction is gone afterwards). Returns the indexes of the
 * trades concerned: their cross-field check does not run (pydantic skips the model validator
 * once a field failed).
 */
function refuseFloats(body: unknown, problems: ProblemList): Set<number> {
  const flagged = new Set<number>();
  if (!isRecord(body)) return flagged;
  const { proposed_trades: trades, proposed_cash_flows: flows } = body;
  if (Array.isArray(trades)) {
    trades.forEach((trade: unknown, i) => {
      if (!isRecord(trade)) return;
      if (isFloat(trade.quantity)) {
        problems.add(['proposed_trades', i, 'quantity'], 'value_error', tradeMessage('quantity must be a decimal string'));
        flagged.add(i);
      }
      if (isRecord(trade.notional) && isFloat(trade.notional.amount)) {
        const message = tradeMessage('notional.amount must be a decimal string');
        problems.add(['proposed_trades', i, 'notional', 'amount'], 'value_error', message);
        flagged.add(i);
      }
    });
  }
  if (Array.isArray(flows)) {
    flows.forEach((flow: unknown, i) => {
      if (isRecord(flow) && isFloat(flow.amount)) {
        problems.add(['proposed_cash_flows', i, 'amount'], 'value_error', tradeMessage('amount must be a decimal string'));
      }
    });
  }
  return flagged;
}

function tradeInputRefinement(flagged: ReadonlySet<number>): Refinement {
  const check = (trade: ProposedTrade, path: readonly PathSegment[], problems: ProblemList): boolean => {
    const index = path.at(-1);
    if (typeof index === 'number' && flagged.has(index)) return false;
    let message: string | null = null;
    if (trade.quantity === null && trade.notional === null) message = 'quantity or notional is required';
    else if (trade.quantity !== null && trade.notional !== null) {
      message = 'provide either quantity or notional, not both';
    } else if (trade.notional !== null && !isPositive(Decimal.from(trade.notional.amount))) {
      message = 'notional.amount must be greater than 0';
    }
    if (message === null) return true;
    problems.add(path, 'value_error', tradeMessage(message));
    return false;
  };
  return check as Refinement;
}

/** Body of `POST /rebalance/proposals/simulate` and `/artifact` (422 on problems). */
export function validateProposalSimulateRequest(body: unknown): ValidationResult<ProposalSimulateRequest> {
  const problems = new ProblemList();
  const flagged = refuseFloats(body, problems);
  const refinements = { ...PORTFOLIO_REFINEMENTS, [PROPOSAL_TRADE_REFINEMENT]: tradeInputRefinement(flagged) };
  return validate<ProposalSimulateRequest>(ProposalSimulateRequestSchema, body, [], refinements, problems);
}
