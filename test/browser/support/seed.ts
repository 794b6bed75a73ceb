/**
 * Test data, written through the public API as a client would: runs from the conformance
 * vectors (and enough repeats to need a second page), a replayed key, a run that needs a review,
 * an async what-if analysis, the 1,000-position case, and proposals in several states.
 */
import { conformanceVector, loadConformanceCases } from '../../support/conformance.ts';

export interface Seeded {
  /** Scenario 02: two instruments, so the instrument chart has 2 rows × 3 bars. */
  readonly twoInstrumentRun: { runId: string; correlationId: string };
  /** A PENDING_REVIEW run waiting for a decision. */
  readonly reviewRun: string;
  readonly largeRun: string;
  readonly operationId: string;
  readonly draftProposal: string;
  readonly runCount: number;
}

export interface Api {
  call(method: 'GET' | 'POST', path: string, body?: unknown, headers?: Record<string, string>): Promise<Record<string, unknown>>;
}

export function apiAt(baseUrl: string): Api {
  return {
    async call(method, path, body, headers = {}) {
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = (await response.json()) as Record<string, unknown>;
      if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(json).slice(0, 400)}`);
      return json;
    },
  };
}

/** More than one page of the runs list (50 a page). */
export const SEEDED_RUNS_AT_LEAST = 60;

export async function seed(api: Api): Promise<Seeded> {
  const simulate = async (request: unknown, key: string, correlationId: string) =>
    (await api.call('POST', '/rebalance/simulate', request, { 'idempotency-key': key, 'x-correlation-id': correlationId }))['rebalance_run_id'] as string;

  const runIds = new Map<string, string>();
  const cases = loadConformanceCases('dpm');
  for (const c of cases) runIds.set(c.name, await simulate(c.request, `seed-${c.name}`, `corr-seed-${c.name}`));
  const first = cases[0];
  if (!first) throw new Error('no DPM conformance vectors');
  // The same key and request again: a replay, listed in the idempotency history.
  await simulate(first.request, `seed-${first.name}`, `corr-seed-replay`);
  let count = cases.length;
  for (let i = 0; count < SEEDED_RUNS_AT_LEAST; i += 1, count += 1) await simulate(first.request, `seed-extra-${i}`, `corr-seed-extra-${i}`);

  const large = conformanceVector<{ request: unknown }>('dpm-large', 'large_1000');
  const largeRun = await simulate(large.request, 'seed-large-1000', 'corr-seed-large');
  count += 1;

  const batch = conformanceVector<{ batch_request: unknown }>('dpm', 'scenario_13_what_if_analysis');
  const operation = await api.call('POST', '/rebalance/analyze/async', batch.batch_request, { 'x-correlation-id': 'corr-seed-async' });

  const advisory = (name: string) => conformanceVector<{ request: unknown }>('advisory', name).request;
  const create = async (name: string, title: string, key: string) =>
    ((await api.call('POST', '/rebalance/proposals', { created_by: 'adviser_amy', simulate_request: advisory(name), metadata: { title } }, { 'idempotency-key': key }))['proposal'] as { proposal_id: string })
      .proposal_id;
  const draftProposal = await create('scenario_14C_drift_asset_class', 'Rebalance towards the model', 'seed-proposal-drift');
  const inReview = await create('scenario_14A_advisory_manual_trade_cashflow', 'Top-up and trade', 'seed-proposal-review');
  await create('scenario_14D_sell_only_violation', 'Sell-only check', 'seed-proposal-blocked');
  await api.call('POST', `/rebalance/proposals/${inReview}/transitions`, { event_type: 'SUBMITTED_FOR_RISK_REVIEW', actor_id: 'adviser_amy', expected_state: 'DRAFT' });

  const twoInstrumentRunId = runIds.get('scenario_02_constraint_cap');
  const reviewRun = runIds.get('scenario_05_constraint_fail');
  if (!twoInstrumentRunId || !reviewRun) throw new Error('the seeded scenarios changed');
  return {
    twoInstrumentRun: { runId: twoInstrumentRunId, correlationId: 'corr-seed-scenario_02_constraint_cap' },
    reviewRun,
    largeRun,
    operationId: operation['operation_id'] as string,
    draftProposal,
    runCount: count,
  };
}
