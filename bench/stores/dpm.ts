/**
 * DPM supportability store figures: atomic run records per second (run + idempotency mapping +
 * history + two lineage edges), point lookups, and list pages — at 10k runs, and at 1M runs
 * where the backend can be bulk-loaded (PostgreSQL).
 */
import pg from 'pg';
import type { DpmRunStore, RunRecord } from '../../src/stores/dpm-runs/port.ts';
import { latency, throughput, type Latency } from '../support/stats.ts';

export interface DpmFigures {
  readonly records_per_second: number;
  readonly runs: number;
  readonly lookup_by_id: Latency;
  readonly lookup_by_idempotency_key: Latency;
  readonly list_first_page: Latency;
  readonly list_filtered_page: Latency;
  readonly list_deep_page: Latency;
}

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const runId = (i: number): string => `rr_${i.toString(16).padStart(8, '0')}`;

function run(i: number): RunRecord {
  return {
    rebalance_run_id: runId(i),
    correlation_id: `corr_${i}`,
    request_hash: `sha256:${i.toString(16).padStart(64, '0')}`,
    idempotency_key: `key_${i}`,
    portfolio_id: `pf_${i % 500}`,
    status: i % 10 === 0 ? 'BLOCKED' : 'READY',
    created_at: new Date(T0 + i * 1000).toISOString(),
    result_json: { rebalance_run_id: runId(i), status: 'READY', before: { total_value: { amount: '100000.00', currency: 'SGD' } } },
  };
}

export async function writeRuns(store: DpmRunStore, from: number, count: number, concurrency: number): Promise<number> {
  return throughput(count, concurrency, (n) => {
    const i = from + n;
    const record = run(i);
    return store.recordRun({
      run: record,
      replay: true,
      lineage: [
        { edge_id: `e_c_${i}`, source_entity_id: record.correlation_id, edge_type: 'CORRELATION_TO_RUN', target_entity_id: record.rebalance_run_id, created_at: record.created_at, metadata_json: {} },
        { edge_id: `e_k_${i}`, source_entity_id: `key_${i}`, edge_type: 'IDEMPOTENCY_TO_RUN', target_entity_id: record.rebalance_run_id, created_at: record.created_at, metadata_json: {} },
      ],
    });
  });
}

/** Fills a PostgreSQL DPM database to `total` runs with one set-based INSERT per table. */
export async function bulkLoadPostgres(dsn: string, from: number, total: number): Promise<void> {
  const client = new pg.Client({ connectionString: dsn });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO dpm_runs (rebalance_run_id, correlation_id, request_hash, idempotency_key, portfolio_id, status, created_at, result_json)
       SELECT 'rr_' || lpad(to_hex(i), 8, '0'), 'corr_' || i, 'sha256:' || lpad(to_hex(i), 64, '0'), 'key_' || i, 'pf_' || (i % 500),
              CASE WHEN i % 10 = 0 THEN 'BLOCKED' ELSE 'READY' END, $3::timestamptz + i * interval '1 second',
              jsonb_build_object('rebalance_run_id', 'rr_' || lpad(to_hex(i), 8, '0'), 'status', 'READY')
       FROM generate_series($1::int, $2::int - 1) AS i`,
      [from, total, new Date(T0).toISOString()],
    );
    await client.query(
      `INSERT INTO dpm_run_idempotency (idempotency_key, request_hash, rebalance_run_id, created_at)
       SELECT idempotency_key, request_hash, rebalance_run_id, created_at FROM dpm_runs WHERE idempotency_key IS NOT NULL
       ON CONFLICT DO NOTHING`,
    );
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}

export async function measureReads(store: DpmRunStore, runs: number): Promise<Omit<DpmFigures, 'records_per_second'>> {
  const pick = (i: number): number => (i * 7919) % runs;
  const deepCursor = (await store.listRuns({ limit: 50, created_to: new Date(T0 + Math.floor(runs / 2) * 1000).toISOString() })).nextCursor ?? undefined;
  return {
    runs,
    lookup_by_id: await latency(2000, (i) => store.getRun(runId(pick(i)))),
    lookup_by_idempotency_key: await latency(2000, (i) => store.getRunByIdempotencyKey(`key_${pick(i)}`)),
    list_first_page: await latency(300, () => store.listRuns({ limit: 50 })),
    list_filtered_page: await latency(300, (i) => store.listRuns({ limit: 50, portfolio_id: `pf_${i % 500}` })),
    list_deep_page: await latency(300, () => store.listRuns({ limit: 50, cursor: deepCursor })),
  };
}
