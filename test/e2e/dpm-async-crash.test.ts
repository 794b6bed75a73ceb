/**
 * An accepted async operation survives a kill -9 of the process running it: process A claims
 * it (manual execute) and is killed mid-run; process B's worker takes it over once A's lease has
 * expired and finishes it exactly once, with each scenario run recorded once.
 *
 * "Mid-run" is made certain, not hoped for: the test holds a lock on dpm_runs, so A has claimed
 * the operation and computed the batch but cannot record a single scenario run, and it is
 * killed while PostgreSQL shows it waiting on that lock.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../support/postgres.ts';
import { startService, type RunningService } from '../support/service-process.ts';
import { WHAT_IF_BATCH } from '../support/dpm-api.ts';

type Json = Record<string, unknown>;

describe('DPM async operation survives kill -9 of the process running it (PostgreSQL)', () => {
  let database: TestDatabase;
  let client: pg.Client;
  const services: RunningService[] = [];

  beforeAll(async () => {
    database = await freshDatabase();
    client = new pg.Client({ connectionString: database.dsn });
    await client.connect();
  });

  afterAll(async () => {
    await Promise.all(services.map((service) => service.stop('SIGKILL')));
    await client.end();
    await database.drop();
  });

  const scalar = async (sql: string, params: unknown[] = []): Promise<unknown> => Object.values((await client.query(sql, params)).rows[0] ?? {})[0];

  it('B takes the operation over after A dies and completes it once; every scenario run exists once', async () => {
    const store = { DPM_SUPPORTABILITY_STORE_BACKEND: 'POSTGRES', DPM_SUPPORTABILITY_POSTGRES_DSN: database.dsn };
    const a = await startService({ ...store, DPM_ASYNC_EXECUTION_MODE: 'ACCEPT_ONLY', DPM_ASYNC_LEASE_MS: '1000' });
    services.push(a);

    const accepted = await fetch(`${a.baseUrl}/rebalance/analyze/async`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-correlation-id': 'corr-crash' },
      body: JSON.stringify(WHAT_IF_BATCH),
    });
    expect(accepted.status).toBe(202);
    const operationId = String(((await accepted.json()) as Json)['operation_id']);

    // Hold dpm_runs so A cannot record anything, then let A claim and run the operation.
    const blocker = new pg.Client({ connectionString: database.dsn });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE dpm_runs IN EXCLUSIVE MODE');
    const execute = fetch(`${a.baseUrl}/rebalance/operations/${operationId}/execute`, { method: 'POST' }).catch((error: unknown) => error);
    await expect
      .poll(() => scalar("SELECT count(*)::int FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"), { timeout: 60_000 })
      .toBe(1);
    expect(await scalar('SELECT status FROM dpm_async_operations WHERE operation_id = $1', [operationId])).toBe('RUNNING');

    await a.stop('SIGKILL');
    expect(await execute).toBeInstanceOf(Error);
    await blocker.query('ROLLBACK');
    await blocker.end();
    expect(await scalar("SELECT count(*)::int FROM dpm_runs WHERE correlation_id LIKE 'corr-crash:%'")).toBe(0);

    const b = await startService({ ...store, DPM_ASYNC_EXECUTION_MODE: 'INLINE', DPM_ASYNC_LEASE_MS: '1000', DPM_ASYNC_WORKER_POLL_MS: '100' });
    services.push(b);
    const status = async (): Promise<Json> => (await (await fetch(`${b.baseUrl}/rebalance/operations/${operationId}`)).json()) as Json;
    await expect.poll(async () => (await status())['status'], { timeout: 20_000, interval: 100 }).toBe('SUCCEEDED');

    const finished = await status();
    const results = (finished['result'] as Json)['results'] as Record<string, Json>;
    expect(Object.keys(results)).toEqual(['ignore_checks']);
    const runs = (await client.query("SELECT rebalance_run_id, correlation_id FROM dpm_runs WHERE correlation_id LIKE 'corr-crash:%'")).rows;
    expect(runs).toEqual([{ rebalance_run_id: results['ignore_checks']?.['rebalance_run_id'], correlation_id: 'corr-crash:ignore_checks' }]);
    const edges = (await client.query("SELECT target_entity_id FROM dpm_lineage_edges WHERE source_entity_id = $1 AND edge_type = 'OPERATION_TO_RUN'", [operationId])).rows;
    expect(edges).toEqual([{ target_entity_id: results['ignore_checks']?.['rebalance_run_id'] }]);

    // Finished once: no worker can claim it again, and an execute is refused.
    const again = await fetch(`${b.baseUrl}/rebalance/operations/${operationId}/execute`, { method: 'POST' });
    expect(again.status).toBe(409);
    expect(b.output()).not.toContain('"level":"error"');
  });
});
