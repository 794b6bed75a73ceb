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
import {
  buildProposalArtifact,
  proposalRequestHash,
  proposalRunIdFor,
  simulateProposal,
  validateProposalSimulateRequest,
  type ProposalSimulateRequest,
  type ValidationProblem,
} from '../domain/advisory/index.ts';
import type { ProposalStore, SimulationEndpoint, SimulationResponseRecord } from '../stores/proposals/port.ts';
import { tracedEngine } from './engine-tracing.ts';
import { referenceTimestamp } from './reference-time.ts';

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
}

function decided(stored: SimulationResponseRecord, requestHash: string, replayed: boolean): ProposalSimulationOutcome {
  return stored.request_hash === requestHash ? { outcome: 'ok', replayed, response: stored.response_json } : { outcome: 'conflict' };
}

export function createProposalSimulationService(deps: ProposalSimulationDeps): ProposalSimulationService {
  const now = deps.now ?? (() => new Date());

  /** The shared flow; `respond` builds the endpoint's body from the validated request and its result. */
  async function handle(
    endpoint: SimulationEndpoint,
    command: ProposalSimulationCommand,
    respond: (request: ProposalSimulateRequest, result: ReturnType<typeof simulateProposal>, at: Date) => unknown,
  ): Promise<ProposalSimulationOutcome> {
    const validated = validateProposalSimulateRequest(command.body);
    if (!validated.ok) return { outcome: 'invalid', problems: validated.problems };
    const request = validated.value;
    if (request.options.enable_proposal_simulation !== true) return { outcome: 'disabled' };

    const requestHash = proposalRequestHash(request);
    // A retry need not be simulated again; the atomic record below still decides any race.
    const earlier = await deps.store.getSimulationResponse(endpoint, command.idempotencyKey);
    if (earlier) return decided(earlier, requestHash, true);

    const result = tracedEngine('advisory.simulate', {}, () =>
      simulateProposal(request, {
        runId: proposalRunIdFor(requestHash),
        correlationId: command.correlationId,
        requestHash,
        idempotencyKey: command.idempotencyKey,
      }),
    );
    const at = now();
    const recorded = await deps.store.recordSimulationResponse({
      endpoint,
      idempotency_key: command.idempotencyKey,
      request_hash: requestHash,
      response_json: respond(request, result, at),
      created_at: at.toISOString(),
    });
    return decided(recorded.record, requestHash, recorded.outcome !== 'recorded');
  }

  return {
    simulate: (command) => handle('SIMULATE', command, (_request, result) => result),
    artifact: (command) =>
      handle('ARTIFACT', command, (request, result, at) =>
        tracedEngine('advisory.artifact', {}, () => buildProposalArtifact(request, result, { createdAt: referenceTimestamp(at) })),
      ),
  };
}
