/**
 * Harness of the proposal lifecycle API tests: the real routes and services over a real proposal
 * store (IN_MEMORY, SQLITE, or POSTGRES on a fresh database of the run's server), driven with
 * `inject`, plus request builders and helpers for walking a proposal through the workflow.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { wireProposalLifecycle } from '../../src/app/proposals.ts';
import type { ProposalLifecycleSettings, ProposalStoreBackend } from '../../src/config/proposal-settings.ts';
import { buildServer } from '../../src/http/server.ts';
import { PostgresPools } from '../../src/stores/postgres/pools.ts';
import { openProposalStore } from '../../src/stores/proposals/open.ts';
import type { ProposalStore } from '../../src/stores/proposals/port.ts';
import { freshDatabase } from './postgres.ts';
import { conformanceVector } from './conformance.ts';
import { DocumentedResponses } from './openapi-contract.ts';

export type Json = Record<string, unknown>;

export const BACKENDS: readonly ProposalStoreBackend[] = ['IN_MEMORY', 'SQLITE', 'POSTGRES'];

export const DEFAULT_SETTINGS: ProposalLifecycleSettings = {
  lifecycleEnabled: true,
  supportApisEnabled: true,
  asyncOperationsEnabled: true,
  storeEvidenceBundle: true,
  requireExpectedState: true,
  allowPortfolioChangeOnNewVersion: false,
  requireSimulationFlag: true,
  asyncWorkerEnabled: true,
  asyncPollMs: 20,
  asyncLeaseMs: 30_000,
};

function vector(name: string): Json {
  return conformanceVector<{ request: Json }>('advisory', name).request;
}

/** The reference demo's lifecycle request: a READY proposal on `pf_demo_lifecycle_1`. */
export function readyRequest(portfolioId = 'pf_demo_lifecycle_1'): Json {
  const request = vector('scenario_14A_advisory_manual_trade_cashflow');
  return { ...request, portfolio_snapshot: { ...(request['portfolio_snapshot'] as Json), portfolio_id: portfolioId } };
}

/** A proposal whose gate is BLOCKED (missing FX). */
export function blockedRequest(): Json {
  return vector('scenario_14B_missing_fx_blocked');
}

export interface StoreCounter {
  calls: number;
}

/** Counts every store call, to prove the gates run before any store access. */
function counting(store: ProposalStore, counter: StoreCounter): ProposalStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        counter.calls += 1;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

export interface Harness {
  readonly app: FastifyInstance;
  readonly store: ProposalStore;
  readonly counter: StoreCounter;
  close(): Promise<void>;
}

export interface OpenedBackend {
  readonly store: ProposalStore;
  check(): Promise<{ ready: boolean; code?: string }>;
  close(): Promise<void>;
}

export async function openBackend(backend: ProposalStoreBackend): Promise<OpenedBackend> {
  // Enough connections for 20 racers to each hold their own: a real race on PostgreSQL.
  const pools = new PostgresPools({ poolMax: 25, statementTimeoutMs: 10_000, connectTimeoutMs: 5_000 });
  const database = backend === 'POSTGRES' ? await freshDatabase() : undefined;
  const opened = await openProposalStore({
    backend,
    sqlitePath: join(mkdtempSync(join(tmpdir(), 'proposal-api-')), 'proposals.db'),
    postgresDsn: database?.dsn ?? '',
    pools,
    migrate: true,
  });
  return {
    store: opened.store,
    check: opened.check,
    async close() {
      await opened.close();
      await pools.closeAll();
      await database?.drop();
    },
  };
}

export async function startHarness(opened: OpenedBackend, backend: ProposalStoreBackend, settings: Partial<ProposalLifecycleSettings> = {}): Promise<Harness> {
  const counter: StoreCounter = { calls: 0 };
  const store = counting(opened.store, counter);
  const logger = pino({ level: 'silent' });
  const wiring = wireProposalLifecycle({ store, backend, check: opened.check, settings: { ...DEFAULT_SETTINGS, ...settings }, logger });
  const app = await buildServer({ logger, routes: wiring.routes });
  const contract = new DocumentedResponses().attach(app);
  wiring.start();
  return {
    app,
    store: opened.store,
    counter,
    async close() {
      await app.close();
      await wiring.stop();
      contract.assertAllMatched();
    },
  };
}

export interface Reply {
  readonly status: number;
  readonly body: Json;
  readonly headers: Record<string, unknown>;
}

export async function call(app: FastifyInstance, method: 'GET' | 'POST', url: string, payload?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const response = await app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as Json }) });
  return { status: response.statusCode, body: response.json<Json>(), headers: response.headers };
}

export const createBody = (request: Json = readyRequest(), createdBy = 'advisor_1'): Json => ({
  created_by: createdBy,
  simulate_request: request,
  metadata: { title: 'Demo lifecycle', jurisdiction: 'SG', mandate_id: 'mandate_1' },
});

export async function createProposal(app: FastifyInstance, key: string, body: Json = createBody()): Promise<Json> {
  const reply = await call(app, 'POST', '/rebalance/proposals', body, { 'idempotency-key': key });
  if (reply.status !== 200) throw new Error(`create failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body;
}

export const idOf = (created: Json): string => (created['proposal'] as Json)['proposal_id'] as string;

/** Events that lead from DRAFT to each state through /transitions. */
export const PATHS: Readonly<Record<string, readonly string[]>> = {
  DRAFT: [],
  RISK_REVIEW: ['SUBMITTED_FOR_RISK_REVIEW'],
  COMPLIANCE_REVIEW: ['SUBMITTED_FOR_COMPLIANCE_REVIEW'],
  AWAITING_CLIENT_CONSENT: ['SUBMITTED_FOR_RISK_REVIEW', 'RISK_APPROVED'],
  EXECUTION_READY: ['SUBMITTED_FOR_RISK_REVIEW', 'RISK_APPROVED', 'CLIENT_CONSENT_RECORDED'],
  EXECUTED: ['SUBMITTED_FOR_RISK_REVIEW', 'RISK_APPROVED', 'CLIENT_CONSENT_RECORDED', 'EXECUTED'],
  REJECTED: ['SUBMITTED_FOR_RISK_REVIEW', 'REJECTED'],
  CANCELLED: ['CANCELLED'],
  EXPIRED: ['SUBMITTED_FOR_RISK_REVIEW', 'RISK_APPROVED', 'CLIENT_CONSENT_RECORDED', 'EXPIRED'],
};

export async function transition(app: FastifyInstance, id: string, eventType: string, expectedState: string | undefined, extra: Json = {}): Promise<Reply> {
  return call(app, 'POST', `/rebalance/proposals/${id}/transitions`, {
    event_type: eventType,
    actor_id: 'reviewer_1',
    ...(expectedState === undefined ? {} : { expected_state: expectedState }),
    ...extra,
  });
}

/** Walks a DRAFT proposal to `state`, each step with the right expected_state. */
export async function walkTo(app: FastifyInstance, id: string, state: string): Promise<void> {
  let current = 'DRAFT';
  for (const event of PATHS[state] ?? []) {
    const reply = await transition(app, id, event, current);
    if (reply.status !== 200) throw new Error(`${event} from ${current} failed: ${JSON.stringify(reply.body)}`);
    current = reply.body['current_state'] as string;
  }
}

/** Polls an operation until it is finished (bounded by the test timeout, never by a timing assertion). */
export async function finished(app: FastifyInstance, operationId: string): Promise<Json> {
  for (;;) {
    const reply = await call(app, 'GET', `/rebalance/proposals/operations/${operationId}`);
    if (reply.body['status'] === 'SUCCEEDED' || reply.body['status'] === 'FAILED') return reply.body;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
