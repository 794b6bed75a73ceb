/**
 * The whole service with every store on one backend — IN_MEMORY, SQLITE (temp files) or POSTGRES
 * (a fresh database on the run's real server) — every feature on, listening on a real port: for
 * tests that send the same request to each and compare the answers. Responses are checked against
 * the OpenAPI document (startApp).
 */
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from '../../src/app/app.ts';
import { startApp } from './dpm-api.ts';
import { freshDatabase } from './postgres.ts';

export const BACKENDS = ['IN_MEMORY', 'SQLITE', 'POSTGRES'] as const;
export type Backend = (typeof BACKENDS)[number];

export const ADMIN_TOKEN = 'all-backends-admin-token';

const ALL_FEATURES = {
  DPM_WORKFLOW_ENABLED: 'true',
  DPM_LINEAGE_APIS_ENABLED: 'true',
  DPM_IDEMPOTENCY_HISTORY_APIS_ENABLED: 'true',
  DPM_POLICY_PACKS_ENABLED: 'true',
  DPM_POLICY_PACK_ADMIN_APIS_ENABLED: 'true',
  DPM_POLICY_PACK_ADMIN_TOKEN: ADMIN_TOKEN,
  DPM_POLICY_PACK_CACHE_TTL_MS: '0',
};

async function storesOn(backend: Backend): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'all-backends-'));
  // The policy-pack catalog has no in-memory backend; a SQLite file stands in for it.
  const catalog = { DPM_POLICY_PACK_CATALOG_BACKEND: 'SQLITE', DPM_POLICY_PACK_SQLITE_PATH: join(dir, 'packs.db') };
  switch (backend) {
    case 'IN_MEMORY':
      return { env: { DPM_SUPPORTABILITY_STORE_BACKEND: 'IN_MEMORY', PROPOSAL_STORE_BACKEND: 'IN_MEMORY', ...catalog }, drop: async () => undefined };
    case 'SQLITE':
      return {
        env: { DPM_SUPPORTABILITY_STORE_BACKEND: 'SQLITE', DPM_SUPPORTABILITY_SQLITE_PATH: join(dir, 'dpm.db'), PROPOSAL_STORE_BACKEND: 'SQLITE', PROPOSAL_SQLITE_PATH: join(dir, 'proposals.db'), ...catalog },
        drop: async () => undefined,
      };
    case 'POSTGRES': {
      const database = await freshDatabase();
      const dsn = database.dsn;
      return {
        env: { DPM_SUPPORTABILITY_STORE_BACKEND: 'POSTGRES', DPM_SUPPORTABILITY_POSTGRES_DSN: dsn, PROPOSAL_STORE_BACKEND: 'POSTGRES', PROPOSAL_POSTGRES_DSN: dsn, DPM_POLICY_PACK_CATALOG_BACKEND: 'POSTGRES' },
        drop: () => database.drop(),
      };
    }
  }
}

export interface ServiceOnBackend {
  readonly backend: Backend;
  readonly app: App;
  readonly baseUrl: string;
  close(): Promise<void>;
}

export async function serveOn(backend: Backend, extraEnv: Record<string, string> = {}): Promise<ServiceOnBackend> {
  const stores = await storesOn(backend);
  const app = await startApp({ ...stores.env, ...ALL_FEATURES, ...extraEnv });
  await app.server.listen({ host: '127.0.0.1', port: 0 });
  return {
    backend,
    app,
    baseUrl: `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`,
    async close() {
      await app.close();
      await stores.drop();
    },
  };
}

export interface Sent {
  readonly method: string;
  /** Path and query, already encoded. */
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

export interface Answer {
  readonly status: number;
  readonly body: string;
}

/** One request over a real connection; the body is sent as JSON text (lone surrogates as `\u` escapes). */
export async function send(service: ServiceOnBackend, request: Sent): Promise<Answer> {
  const response = await fetch(`${service.baseUrl}${request.url}`, {
    method: request.method,
    headers: { ...(request.body === undefined ? {} : { 'content-type': 'application/json' }), ...request.headers },
    ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
  });
  return { status: response.status, body: await response.text() };
}
