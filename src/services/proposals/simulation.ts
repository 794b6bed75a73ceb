/**
 * POST /rebalance/proposals/simulate and /artifact (docs/advisory.md#http-api) with durable
 * idempotency. Order, as the reference: the body is validated, then the feature gate
 * `options.enable_proposal_simulation` is checked (before anything is hashed or stored), then the
 * Idempotency-Key decides. A response is acknowledged only after the proposal store holds it, so
 * every replica sharing the store replays the same body for the same key and request, and answers a
 * reuse of the key for another request with a conflict.
 *
 * Keys are scoped per endpoint (the reference shared one in-process cache between both): each
 * stored response is replayed exactly as first sent, which one cache entry cannot do for two
 * different bodies.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  proposalRequestHash,
  proposalRunIdFor,
  validateProposalSimulateRequest,
  type ProposalContext,
  type ProposalSimulateRequest,
  type ValidationProblem,
} from '../../domain/advisory/index.ts';
import type { ProposalStore, SimulationEndpoint, SimulationResponseRecord } from '../../stores/proposals/port.ts';
import { INLINE_ENGINE, type Engine } from '../engine/engine-pool.ts';
import { tracedEngine } from '../engine/tracing.ts';
import { referenceTimestamp } from '../reference-time.ts';

export type ProposalSimulationOutcome =
  | { readonly outcome: 'invalid'; readonly problems: readonly ValidationProblem[] }
  | { readonly outcome: 'disabled' }
  | { readonly outcome: 'conflict' }
  | { readonly outcome: 'ok'; readonly replayed: boolean; readonly response: unknown };

export interface ProposalSimulationCommand {
  readonly body: unknown;
  readonly idempotencyKey: string;
  readonly correlationId: string;
}

export interface ProposalSimulationService {
  simulate(command: ProposalSimulationCommand): Promise<ProposalSimulationOutcome>;
  artifact(command: ProposalSimulationCommand): Promise<ProposalSimulationOutcome>;
}

export interface ProposalSimulationDeps {
  readonly store: Pick<ProposalStore, 'recordSimulationResponse' | 'getSimulationResponse'>;
  readonly now?: () => Date;
  /** Where the engine runs (the app's worker pool). */
  readonly engine?: Engine;
}

function decided(stored: SimulationResponseRecord, requestHash: string, replayed: boolean): ProposalSimulationOutcome {
  return stored.request_hash === requestHash ? { outcome: 'ok', replayed, response: stored.response_json } : { outcome: 'conflict' };
}

export function createProposalSimulationService(deps: ProposalSimulationDeps): ProposalSimulationService {
  const now = deps.now ?? (() => new Date());
  const engine = deps.engine ?? INLINE_ENGINE;

  /** The shared flow; `respond` computes the endpoint's body from the validated request. */
  async function handle(
    endpoint: SimulationEndpoint,
    command: ProposalSimulationCommand,
    respond: (request: ProposalSimulateRequest, context: ProposalContext, at: Date) => Promise<unknown>,
  ): Promise<ProposalSimulationOutcome> {
    const validated = validateProposalSimulateRequest(command.body);
    if (!validated.ok) return { outcome: 'invalid', problems: validated.problems };
    const request = validated.value;
    if (request.options.enable_proposal_simulation !== true) return { outcome: 'disabled' };

    const requestHash = proposalRequestHash(request);
    // A retry need not be simulated again; the atomic record below still decides any race.
    const earlier = await deps.store.getSimulationResponse(endpoint, command.idempotencyKey);
    if (earlier) return decided(earlier, requestHash, true);

    const at = now();
    const context = { runId: proposalRunIdFor(requestHash), correlationId: command.correlationId, requestHash, idempotencyKey: command.idempotencyKey };
    const response = await respond(request, context, at);
    const recorded = await deps.store.recordSimulationResponse({
      endpoint,
      idempotency_key: command.idempotencyKey,
      request_hash: requestHash,
      response_json: response,
      created_at: at.toISOString(),
    });
    // A large response (an artifact of thousands of positions is megabytes) was just serialised for
    // the store; sending it serialises it again — in a turn of its own (docs/operations.md#engine-worker-pool).
    await nextTurn();
    return decided(recorded.record, requestHash, recorded.outcome !== 'recorded');
  }

  return {
    simulate: (command) =>
      handle('SIMULATE', command, (request, context) => tracedEngine('advisory.simulate', {}, () => engine.run('proposal', { request, context }))),
    artifact: (command) =>
      handle('ARTIFACT', command, (request, context, at) =>
        tracedEngine('advisory.artifact', {}, () => engine.run('proposalArtifact', { request, context, createdAt: referenceTimestamp(at) })),
      ),
  };
}
