/**
 * The whole service (createApp) on each DPM backend, driven with `server.inject`: IN_MEMORY,
 * SQL (a SQLite temp file) and POSTGRES (a fresh database on the run's real server).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { expect } from 'vitest';
import { createApp, type App } from '../../src/app/app.ts';
import { assessStartup } from '../../src/config/startup-assessment.ts';
import type { DpmStoreBackend } from '../../src/config/dpm-settings.ts';
import { freshDatabase, type TestDatabase } from './postgres.ts';
import { conformanceVector } from './conformance.ts';
import { DocumentedResponses } from './openapi-contract.ts';

export const BACKENDS: readonly DpmStoreBackend[] = ['IN_MEMORY', 'SQL', 'POSTGRES'];

type Request = Record<string, unknown> & { portfolio_snapshot: Record<string, unknown> };

function conformanceRequest(name: string): Request {
  return conformanceVector<{ request: Request }>('dpm', name).request;
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

/** Every optional DPM feature on, so each test states only what it turns off. */
export const ALL_FEATURES_ON = {
  DPM_WORKFLOW_ENABLED: 'true',
  DPM_LINEAGE_APIS_ENABLED: 'true',
  DPM_IDEMPOTENCY_HISTORY_APIS_ENABLED: 'true',
};

export async function startApi(backend: DpmStoreBackend, env: Record<string, string> = {}, database?: TestDatabase): Promise<ApiHarness> {
  const cleanups: (() => Promise<void> | void)[] = [];
  const backendEnv: Record<string, string> = { DPM_SUPPORTABILITY_STORE_BACKEND: backend };
  if (backend === 'SQL') {
    const dir = mkdtempSync(join(tmpdir(), 'dpm-api-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    backendEnv['DPM_SUPPORTABILITY_SQL_PATH'] = join(dir, 'dpm.db');
  }
  if (backend === 'POSTGRES') {
    const db = database ?? (await freshDatabase());
    if (!database) cleanups.push(() => db.drop());
    backendEnv['DPM_SUPPORTABILITY_POSTGRES_DSN'] = db.dsn;
  }
  const assessment = assessStartup({ ...backendEnv, ...ALL_FEATURES_ON, ...env });
  expect(assessment.violations).toEqual([]);
  const created = await createApp(assessment, pino({ level: 'silent' }));
  if (!created.ok) throw new Error(`createApp refused: ${JSON.stringify(created.violations)}`);
  const { app } = created;
  const contract = new DocumentedResponses().attach(app.server);
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
      for (const cleanup of cleanups.reverse()) await cleanup();
      contract.assertAllMatched();
    },
  };
}
