/**
 * Stage 1, cash flows (docs/advisory.md#pipeline): each flow moves cash in input order and becomes
 * an intent `oi_cf_<i>`. The negative-cash guard looks at each currency once, after all flows
 * (docs/advisory.md#d5-negative-cash-judged-after-all-flows).
 */
import { Decimal, isNegative } from '../../decimal.ts';
import type { Book } from '../../portfolio/after-state.ts';
import { HARD_FAILURES, WARNINGS } from '../codes.ts';
import type { CashFlowIntent } from '../intents.ts';
import type { ProposalSimulateRequest } from '../model/request-schema.ts';
import type { RunState } from './run-state.ts';

export function applyCashFlows(request: ProposalSimulateRequest, book: Book, run: RunState): CashFlowIntent[] {
  const touched: string[] = [];
  const intents = request.proposed_cash_flows.map((flow, i): CashFlowIntent => {
    const amount = Decimal.from(flow.amount);
    book.moveCash(flow.currency, amount);
    if (!touched.includes(flow.currency)) touched.push(flow.currency);
    return { intentType: 'CASH_FLOW', intentId: `oi_cf_${i + 1}`, currency: flow.currency, amount, description: flow.description };
  });
  if (request.options.proposal_block_negative_cash) {
    for (const currency of touched) {
      if (!isNegative(book.cash.get(currency).amount)) continue;
      run.diagnostics.warnings.push(WARNINGS.PROPOSAL_WITHDRAWAL_NEGATIVE_CASH);
      run.hard.push(HARD_FAILURES.PROPOSAL_WITHDRAWAL_NEGATIVE_CASH);
    }
  }
  return intents;
}
