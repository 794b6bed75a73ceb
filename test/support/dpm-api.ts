/**
 * The DPM API test matrix: the same test file runs against IN_MEMORY, SQL (a SQLite temp file)
 * and POSTGRES (a fresh database on the run's real server), either as the whole app
 * (`createApp`, configured by environment like the real process, driven with `server.inject`
 * through `startApi`) or as a store to compose services around.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { DPM_FEATURES, type DpmFeatureFlags } from '../../src/config/feature-flags.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { expect } from 'vitest';
import { createApp, type App } from '../../src/app/app.ts';
import { assessStartup } from '../../src/config/startup-assessment.ts';
import { openDpmRunStore } from '../../src/stores/dpm-runs/open.ts';
import type { DpmRunStore } from '../../src/stores/dpm-runs/port.ts';
import { PostgresPools } from '../../src/stores/postgres/pools.ts';
import { freshDatabase, type TestDatabase } from './postgres.ts';
import { conformanceVector } from './conformance.ts';
import { DocumentedResponses } from './openapi-contract.ts';

export type DpmBackend = 'IN_MEMORY' | 'SQL' | 'POSTGRES';
export const DPM_BACKENDS: readonly DpmBackend[] = ['IN_MEMORY', 'SQL', 'POSTGRES'];

export interface FreshStoreLocation {
  /** Environment selecting this (empty) store. */
  readonly env: Record<string, string>;
  drop(): Promise<void>;
}

/** An empty store on `backend`; on POSTGRES `database` when given (its owner drops it), else a fresh one. */
export async function freshStoreLocation(backend: DpmBackend, database?: TestDatabase): Promise<FreshStoreLocation> {
  if (backend === 'IN_MEMORY') return { env: { DPM_SUPPORTABILITY_STORE_BACKEND: 'IN_MEMORY' }, drop: async () => {} };
  if (backend === 'SQL') {
    const dir = mkdtempSync(join(tmpdir(), 'dpm-api-'));
    return { env: { DPM_SUPPORTABILITY_STORE_BACKEND: 'SQL', DPM_SUPPORTABILITY_SQL_PATH: join(dir, 'dpm.db') }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const db = database ?? (await freshDatabase());
  return { env: { DPM_SUPPORTABILITY_STORE_BACKEND: 'POSTGRES', DPM_SUPPORTABILITY_POSTGRES_DSN: db.dsn }, drop: database ? async () => {} : () => db.drop() };
}

const silent = pino({ level: 'silent' });

/** The whole service on `env` (no port bound; use `app.server.inject`). */
export async function startApp(env: Record<string, string>): Promise<App> {
  const assessment = assessStartup(env);
  if (assessment.violations.length > 0) throw new Error(`configuration refused: ${assessment.violations.map((v) => v.code).join(', ')}`);
  const created = await createApp(assessment, silent);
  if (!created.ok) throw new Error(`app refused: ${created.violations.map((v) => v.code).join(', ')}`);
  const { app } = created;
  const contract = new DocumentedResponses().attach(app.server);
  return {
    ...app,
    async close() {
      await app.close();
      contract.assertAllMatched();
    },
  };
}

/** The store of a location, to compose services around it directly. */
export async function openStoreAt(location: FreshStoreLocation): Promise<{ store: DpmRunStore; close(): Promise<void> }> {
  const pools = new PostgresPools({ poolMax: 8, statementTimeoutMs: 10_000, connectTimeoutMs: 5_000 });
  const env = location.env;
  const opened = await openDpmRunStore({
    backend: env['DPM_SUPPORTABILITY_STORE_BACKEND'] as DpmBackend,
    sqlitePath: env['DPM_SUPPORTABILITY_SQL_PATH'] ?? '',
    postgresDsn: env['DPM_SUPPORTABILITY_POSTGRES_DSN'] ?? '',
    pools,
    migrate: true,
  });
  return {
    store: opened.store,
    async close() {
      await opened.close();
      await pools.closeAll();
    },
  };
}

interface DpmVector {
  readonly request: Record<string, unknown>;
  readonly batch_request?: Record<string, unknown>;
}

export function dpmVector(name: string): DpmVector {
  return conformanceVector<DpmVector>('dpm', name);
}

/** Two scenarios: `ignore_checks` succeeds, `invalid_case` fails its option validation. */
export const WHAT_IF_BATCH = dpmVector('scenario_13_what_if_analysis').batch_request as Record<string, unknown>;

/** Every DPM feature gate open. */
export const ALL_ON = Object.fromEntries(Object.keys(DPM_FEATURES).map((key) => [key, true])) as DpmFeatureFlags;

type Request = Record<string, unknown> & { portfolio_snapshot: Record<string, unknown> };

function conformanceRequest(name: string): Request {
  return dpmVector(name).request as Request;
}

/** Requests whose results are READY, PENDING_REVIEW and BLOCKED. */
export const REQUESTS = {
  READY: conformanceRequest('scenario_01_cash_inflow'),
  PENDING_REVIEW: conformanceRequest('scenario_05_constraint_fail'),
  BLOCKED: conformanceRequest('scenario_04_dq_failure'),
} as const;

/** The same request for another portfolio (a different request hash too). */
export function forPortfolio(request: Request, portfolioId: string): Request {
  return { ...request, portfolio_snapshot: { ...request.portfolio_snapshot, portfolio_id: portfolioId } };
}

export interface ApiResponse {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

export interface ApiHarness {
  readonly app: App;
  get(url: string): Promise<ApiResponse>;
  post(url: string, body: unknown, headers?: Record<string, string>): Promise<ApiResponse>;
  /** Simulates and returns the recorded result (asserting 200). */
  simulate(request: unknown, headers: { key: string; correlation?: string }): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/** Every DPM switch on, as environment, so each test states only what it turns off. */
const ALL_FEATURES_ON = Object.fromEntries(Object.values(DPM_FEATURES).map((flag) => [flag.variable, 'true']));

/** The whole service on `backend` with every optional DPM feature on, then `env`. */
export async function startApi(backend: DpmBackend, env: Record<string, string> = {}, database?: TestDatabase): Promise<ApiHarness> {
  const location = await freshStoreLocation(backend, database);
  const app = await startApp({ ...location.env, ...ALL_FEATURES_ON, ...env });
  const send = async (method: 'GET' | 'POST', url: string, payload?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> => {
    const response = await app.server.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: response.statusCode, body: response.body === '' ? {} : (response.json() as Record<string, unknown>) };
  };
  return {
    app,
    get: (url) => send('GET', url),
    post: (url, body, headers) => send('POST', url, body, headers),
    async simulate(request, { key, correlation }) {
      const headers: Record<string, string> = { 'idempotency-key': key };
      if (correlation !== undefined) headers['x-correlation-id'] = correlation;
      const response = await send('POST', '/rebalance/simulate', request, headers);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response.body;
    },
    async close() {
      await app.close();
      await location.drop();
    },
  };
}
