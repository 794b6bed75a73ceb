/**
 * The migration that keeps a small run in its row (src/stores/postgres/migrations/dpm/0004): on a
 * real PostgreSQL, a run of an everyday request writes nothing to the TOAST table and reads back
 * byte for byte; a large result is still compressed and moved out of line and reads back intact;
 * and the previous release's INSERT works on the migrated table.
 */
import type pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { validateRebalanceRequest, simulateRebalance } from '../../src/domain/dpm/index.ts';
import { createSqlDpmRunStore } from '../../src/stores/dpm-runs/sql-store.ts';
import type { RunRecord } from '../../src/stores/dpm-runs/port.ts';
import { migratePostgres } from '../../src/stores/postgres/migrator.ts';
import { postgresExecutor } from '../../src/stores/sql/postgres-executor.ts';
import { conformanceVector } from '../support/conformance.ts';
import { freshDatabase, testPool } from '../support/postgres.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function migrated(): Promise<pg.Pool> {
  const database = await freshDatabase();
  const pool = testPool({ connectionString: database.dsn, max: 2 });
  cleanups.push(() => database.drop(), () => pool.end());
  await migratePostgres(pool, 'dpm');
  return pool;
}

const toastBytes = async (pool: pg.Pool): Promise<number> =>
  Number((await pool.query<{ size: string }>("SELECT pg_relation_size(reltoastrelid) AS size FROM pg_class WHERE relname = 'dpm_runs'")).rows[0]?.size);

function runOf(id: string, result: unknown): RunRecord {
  return { rebalance_run_id: id, correlation_id: `corr_${id}`, request_hash: `sha256:${id}`, idempotency_key: `key_${id}`, portfolio_id: 'pf_1', status: 'READY', created_at: '2026-03-01T09:00:00.000Z', result_json: result };
}

describe('dpm migration 0004: runs of everyday requests stay in their row', () => {
  it('a conformance run is stored without the TOAST table and reads back as written', async () => {
    const pool = await migrated();
    const store = createSqlDpmRunStore(postgresExecutor(pool));
    const vector = conformanceVector<{ request: unknown }>('dpm', 'scenario_01_cash_inflow');
    const validated = validateRebalanceRequest(vector.request);
    if (!validated.ok) throw new Error('the conformance request does not validate');
    const result = simulateRebalance(validated.value, { runId: 'rr_small', correlationId: 'corr_small', requestHash: 'sha256:small' });
    const resultText = JSON.stringify(result);
    // The request text of a run is ~1 KB and its result ~4 KB: together past PostgreSQL's default ~2 KB row target.
    expect(resultText.length).toBeGreaterThan(3_000);
    const inputs = { request_canonical: JSON.stringify(vector.request), effective_options_json: {}, policy_pack_id: null, policy_pack_version: null, engine_version: 'test' };
    const recorded = await store.recordRun({ run: runOf('rr_small', result), lineage: [], replay: true, resultText, inputs });
    expect(recorded.outcome).toBe('recorded');

    expect(await toastBytes(pool)).toBe(0);
    const retry = { ...runOf('rr_again', result), idempotency_key: 'key_rr_small', request_hash: 'sha256:rr_small' };
    const replayed = await store.recordRun({ run: retry, lineage: [], replay: true });
    expect(replayed.outcome === 'replayed' ? replayed.resultText : replayed.outcome).toBe(resultText);
  });

  it('a large result is still moved out of line and reads back intact', async () => {
    const pool = await migrated();
    const store = createSqlDpmRunStore(postgresExecutor(pool));
    // Random-looking text does not compress: 40 KB of it cannot stay in an 8 KB page.
    const rows = Array.from({ length: 1_000 }, (_, i) => ({ instrument_id: `EQ_${i}`, note: (i * 7_919).toString(36).repeat(4) }));
    const result = { status: 'READY', rows };
    await store.recordRun({ run: runOf('rr_large', result), lineage: [], replay: true });
    expect(await toastBytes(pool)).toBeGreaterThan(0);
    expect((await store.getRun('rr_large'))?.result_json).toEqual(result);
  });

  it('the previous release still inserts runs the way it did', async () => {
    const pool = await migrated();
    await pool.query(
      `INSERT INTO dpm_runs (rebalance_run_id, correlation_id, request_hash, idempotency_key, portfolio_id, status, created_at, result_json)
       VALUES ('rr_old', 'corr_old', 'sha256:old', NULL, 'pf_old', 'READY', '2026-01-02T03:04:05.000Z', '{"status":"READY"}')`,
    );
    const store = createSqlDpmRunStore(postgresExecutor(pool));
    expect(await store.getRun('rr_old')).toMatchObject({ rebalance_run_id: 'rr_old', result_json: { status: 'READY' } });
  });
});
