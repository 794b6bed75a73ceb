/**
 * The real service process under an operator's worst day on PostgreSQL: its sessions killed
 * again and again under concurrent writes (what a failover or a PgBouncer restart does), the
 * server shut down fast and started again, the server frozen (SIGSTOP), a table locked past the
 * limits. Throughout, the process stays up, every write it acknowledged is there afterwards,
 * every request that could not be served is a 503 with its store's code and Retry-After (never
 * a 500, never a hang), and the service recovers by itself.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformanceVector } from '../support/conformance.ts';
import { startEmbeddedPostgres, type ControllablePostgres } from '../support/embedded-postgres.ts';
import { freshDatabase, type TestDatabase } from '../support/postgres.ts';
import { productionEnv, runCli, startService, type RunningService, type TestEnv } from '../support/service-process.ts';

const dpmRequest = (conformanceVector('dpm', 'scenario_01_cash_inflow') as { request: unknown }).request;
const proposalRequest = (conformanceVector('advisory', 'scenario_14A_advisory_manual_trade_cashflow') as { request: unknown }).request;

const OUTAGE_CODES = new Set([
  'DPM_SUPPORTABILITY_POSTGRES_UNAVAILABLE',
  'DPM_SUPPORTABILITY_POSTGRES_TIMEOUT',
  'PROPOSAL_POSTGRES_UNAVAILABLE',
  'PROPOSAL_POSTGRES_TIMEOUT',
]);
// A request that neither succeeds nor gets a 503 within this is a hang (generous: a loaded 2-core machine).
const REQUEST_BOUND_MS = 30_000;

type Kind = 'simulate' | 'proposal';

interface Outcome {
  readonly kind: Kind;
  readonly status: number;
  readonly ms: number;
  /** The record a 2xx acknowledged. */
  readonly id?: string;
  readonly code?: string;
  readonly retryAfter?: string | null;
}

const unique = (prefix: string): string => `${prefix}-${randomBytes(6).toString('hex')}`;

async function write(service: RunningService, kind: Kind): Promise<Outcome> {
  const started = Date.now();
  const [path, body] =
    kind === 'simulate'
      ? ['/rebalance/simulate', dpmRequest]
      : ['/rebalance/proposals', { created_by: 'advisor_chaos', simulate_request: proposalRequest, metadata: { title: 'chaos' } }];
  const response = await fetch(`${service.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': unique(kind) },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_BOUND_MS),
  });
  const json = (await response.json()) as Record<string, unknown>;
  const ms = Date.now() - started;
  if (response.ok) {
    const id = kind === 'simulate' ? (json['rebalance_run_id'] as string) : ((json['proposal'] as Record<string, string>)['proposal_id'] as string);
    return { kind, status: response.status, ms, id };
  }
  return { kind, status: response.status, ms, code: json['code'] as string, retryAfter: response.headers.get('retry-after') };
}

/** Concurrent writers, alternating DPM simulates and proposal creates, until stopped. */
function startWriters(service: RunningService, concurrency: number) {
  const outcomes: Outcome[] = [];
  let running = true;
  const loops = Array.from({ length: concurrency }, async (_, n) => {
    for (let i = n; running; i += 1) {
      const kind: Kind = i % 2 === 0 ? 'simulate' : 'proposal';
      // A process that died (or a request that hung past the bound) is an outcome the assertions name.
      const outcome = await write(service, kind).catch((error: unknown): Outcome => ({ kind, status: 0, ms: 0, code: String(error) }));
      outcomes.push(outcome);
      // A well-behaved client does not hammer a service that refused.
      if (outcome.status >= 300 || outcome.status === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
  return {
    outcomes,
    acknowledged: () => outcomes.filter((o) => o.status > 0 && o.status < 300).length,
    failed: () => outcomes.filter((o) => o.status === 0 || o.status >= 300).length,
    async stop(): Promise<Outcome[]> {
      running = false;
      await Promise.all(loops);
      return outcomes;
    },
  };
}

/** Every outcome is a success or a 503 with a store code and Retry-After; every acknowledged write can be read back. */
async function expectOnlyAcknowledgedOr503(service: RunningService, outcomes: readonly Outcome[]): Promise<void> {
  const refused = outcomes.filter((o) => o.status === 0 || o.status >= 300);
  expect(refused.filter((o) => o.status !== 503 || !OUTAGE_CODES.has(o.code ?? '') || o.retryAfter !== '5')).toEqual([]);
  const missing: Outcome[] = [];
  for (const outcome of outcomes.filter((o) => o.status > 0 && o.status < 300)) {
    const path = outcome.kind === 'simulate' ? `/rebalance/runs/${outcome.id}` : `/rebalance/proposals/${outcome.id}`;
    if ((await fetch(`${service.baseUrl}${path}`)).status !== 200) missing.push(outcome);
  }
  expect(missing).toEqual([]);
}

const readiness = async (service: RunningService): Promise<number> => (await fetch(`${service.baseUrl}/health/ready`, { signal: AbortSignal.timeout(REQUEST_BOUND_MS) })).status;

/** The process is up, answered nothing with a 500 and logged nothing at error level or above. */
function expectCalmProcess(service: RunningService): void {
  expect(service.child.exitCode).toBeNull();
  expect(service.output()).not.toMatch(/"level":(50|60)/);
  expect(service.output()).not.toContain('"statusCode":500');
}

describe('the service while its PostgreSQL sessions are terminated under write load', () => {
  const application = unique('chaos');
  let database: TestDatabase;
  let admin: pg.Client;
  let service: RunningService;

  beforeAll(async () => {
    database = await freshDatabase();
    const env = productionEnv(database.dsn, { POSTGRES_APPLICATION_NAME: application, POSTGRES_LOCK_TIMEOUT_MS: '500' });
    expect((await runCli(['migrate'], env)).code).toBe(0);
    service = await startService(env);
    admin = new pg.Client({ connectionString: database.dsn });
    await admin.connect();
  });

  afterAll(async () => {
    await admin.end();
    await service.stop();
    await database.drop();
  });

  it('stays up, keeps every acknowledged write, answers the rest 503 with the code, and recovers by itself', async () => {
    const writers = startWriters(service, 6);
    let terminated = 0;
    for (let round = 0; round < 12; round += 1) {
      // Let some writes land between the kills, so sessions die in every phase of a request.
      const before = writers.outcomes.length;
      await expect.poll(() => writers.outcomes.length, { timeout: 20_000 }).toBeGreaterThan(before + 2);
      const { rows } = await admin.query<{ n: number }>(
        'SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = $1',
        [application],
      );
      terminated += rows[0]?.n ?? 0;
    }
    const outcomes = await writers.stop();
    expect(service.child.exitCode).toBeNull();
    await expectOnlyAcknowledgedOr503(service, outcomes);
    // The kills hit the service's own sessions (found by its application_name) while writes landed.
    expect(terminated).toBeGreaterThanOrEqual(12);
    expect(writers.acknowledged()).toBeGreaterThan(0);

    await expect.poll(() => readiness(service), { timeout: 20_000 }).toBe(200);
    expect((await write(service, 'proposal')).status).toBe(200);
    expectCalmProcess(service);
    // Twelve rounds of kills are one outage notice per store, not one (or two) per kill.
    const notices = service
      .output()
      .split('\n')
      .filter((line) => line.includes('PostgreSQL unavailable;') || line.includes('PostgreSQL available again'));
    for (const store of ['DPM_SUPPORTABILITY', 'PROPOSAL']) expect(notices.filter((line) => line.includes(`"store":"${store}"`)).length).toBeLessThanOrEqual(2);
  });

  it('a table locked by another session past the lock timeout: 503 with the TIMEOUT code and Retry-After, promptly', async () => {
    await admin.query('BEGIN');
    await admin.query('LOCK TABLE proposal_records IN ACCESS EXCLUSIVE MODE');
    try {
      const outcome = await write(service, 'proposal');
      expect(outcome).toMatchObject({ status: 503, code: 'PROPOSAL_POSTGRES_TIMEOUT', retryAfter: '5' });
      expect(outcome.ms).toBeLessThan(REQUEST_BOUND_MS);
    } finally {
      await admin.query('ROLLBACK');
    }
    expect((await write(service, 'proposal')).status).toBe(200);
    expectCalmProcess(service);
  });
});

describe('the service while its PostgreSQL server is stopped, started and frozen (a private server)', () => {
  let server: ControllablePostgres;
  let service: RunningService;

  beforeAll(async () => {
    server = await startEmbeddedPostgres();
    const env: TestEnv = productionEnv(server.adminUrl, {
      POSTGRES_CONNECT_TIMEOUT_MS: '1000',
      POSTGRES_STATEMENT_TIMEOUT_MS: '1000',
      POSTGRES_QUERY_TIMEOUT_MS: '2000',
      POSTGRES_TRANSACTION_TIMEOUT_MS: '4000',
    });
    expect((await runCli(['migrate'], env)).code).toBe(0);
    service = await startService(env);
  });

  afterAll(async () => {
    await service?.stop();
    await server?.stop();
  });

  it('a fast shutdown and restart under write load: 503 with the code while down, every acknowledged write kept, recovery by itself', async () => {
    const writers = startWriters(service, 4);
    await expect.poll(() => writers.acknowledged(), { timeout: 20_000 }).toBeGreaterThan(4);

    await server.halt();
    const failedBefore = writers.failed();
    await expect.poll(() => writers.failed(), { timeout: 20_000 }).toBeGreaterThan(failedBefore + 4);
    expect(await readiness(service)).toBe(503);

    await server.resume();
    await expect.poll(() => readiness(service), { timeout: 30_000 }).toBe(200);
    const acknowledgedAfter = writers.acknowledged();
    await expect.poll(() => writers.acknowledged(), { timeout: 20_000 }).toBeGreaterThan(acknowledgedAfter + 4);
    const outcomes = await writers.stop();

    expect(outcomes.some((o) => o.status === 503)).toBe(true);
    await expectOnlyAcknowledgedOr503(service, outcomes);
    expectCalmProcess(service);
  });

  it('a frozen server (SIGSTOP): requests answer 503 within the client-side limits instead of hanging, and the service recovers', async () => {
    // Warm the pool so some requests meet frozen sessions and others must open new connections.
    for (let i = 0; i < 4; i += 1) expect((await write(service, i % 2 === 0 ? 'simulate' : 'proposal')).status).toBe(200);
    const pids = server.processIds();
    // The postmaster first, so it cannot start anything new while its children are stopped.
    for (const pid of pids) process.kill(pid, 'SIGSTOP');
    let frozen: Outcome[];
    let ready: { status: number; ms: number };
    try {
      const probe = (async () => {
        const started = Date.now();
        return { status: await readiness(service), ms: Date.now() - started };
      })();
      frozen = await Promise.all(Array.from({ length: 8 }, (_, i) => write(service, i % 2 === 0 ? 'simulate' : 'proposal')));
      ready = await probe;
    } finally {
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGCONT');
        } catch {
          // Already gone.
        }
      }
    }
    expect(frozen.map((o) => [o.status, OUTAGE_CODES.has(o.code ?? ''), o.retryAfter])).toEqual(frozen.map(() => [503, true, '5']));
    // Bounded by the limits (query 2 s, transaction 4 s, connect 1 s), far below a hang; generous for a loaded machine.
    expect(Math.max(...frozen.map((o) => o.ms))).toBeLessThan(REQUEST_BOUND_MS);
    expect(ready).toMatchObject({ status: 503 });
    expect(ready.ms).toBeLessThan(REQUEST_BOUND_MS);

    await expect.poll(() => readiness(service), { timeout: 30_000 }).toBe(200);
    expect((await write(service, 'simulate')).status).toBe(200);
    expectCalmProcess(service);
  });
});
