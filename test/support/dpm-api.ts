/**
 * The DPM API test matrix: the same test file runs against IN_MEMORY, SQL (a SQLite temp file)
 * and POSTGRES (a fresh database on the run's real server), either as the whole app
 * (`createApp`, configured by environment like the real process) or as a store to compose
 * services around.
 */
import { mkdtempSync } from 'node:fs';
import { DPM_FEATURES, type DpmFeatureFlags } from '../../src/config/feature-flags.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createApp, type App } from '../../src/app/app.ts';
import { assessStartup } from '../../src/config/startup-assessment.ts';
import { openDpmRunStore } from '../../src/stores/dpm-runs/open.ts';
import type { DpmRunStore } from '../../src/stores/dpm-runs/port.ts';
import { PostgresPools } from '../../src/stores/postgres/pools.ts';
import { freshDatabase } from './postgres.ts';
import { conformanceVector } from './conformance.ts';
import { DocumentedResponses } from './openapi-contract.ts';

export type DpmBackend = 'IN_MEMORY' | 'SQL' | 'POSTGRES';
export const DPM_BACKENDS: readonly DpmBackend[] = ['IN_MEMORY', 'SQL', 'POSTGRES'];

export interface FreshStoreLocation {
  /** Environment selecting this (empty) store. */
  readonly env: Record<string, string>;
  drop(): Promise<void>;
}

export async function freshStoreLocation(backend: DpmBackend): Promise<FreshStoreLocation> {
  if (backend === 'IN_MEMORY') return { env: { DPM_SUPPORTABILITY_STORE_BACKEND: 'IN_MEMORY' }, drop: async () => {} };
  if (backend === 'SQL') {
    const path = join(mkdtempSync(join(tmpdir(), 'dpm-api-')), 'dpm.db');
    return { env: { DPM_SUPPORTABILITY_STORE_BACKEND: 'SQL', DPM_SUPPORTABILITY_SQLITE_PATH: path }, drop: async () => {} };
  }
  const database = await freshDatabase();
  return { env: { DPM_SUPPORTABILITY_STORE_BACKEND: 'POSTGRES', DPM_SUPPORTABILITY_POSTGRES_DSN: database.dsn }, drop: () => database.drop() };
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
    sqlitePath: env['DPM_SUPPORTABILITY_SQLITE_PATH'] ?? '',
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
