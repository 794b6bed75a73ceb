/**
 * Idempotent simulate/artifact responses (migration 0002). The claim is one
 * `INSERT … ON CONFLICT DO NOTHING`: on PostgreSQL a concurrent inserter of the same key waits for
 * the winner's commit and then inserts nothing; SQLite runs writers one at a time. Whoever inserted
 * nothing reads the winner's row in the same transaction and compares request hashes.
 */
import type { Row, SqlExecutor, SqlQueryable } from '../sql/executor.ts';
import { isoTimestamp } from '../sql/where.ts';
import { jsonParam } from '../sql/queries.ts';
import type { SimulationEndpoint, SimulationRecordOutcome, SimulationResponseRecord } from './port.ts';

const SELECT = 'SELECT * FROM proposal_simulation_idempotency WHERE endpoint = $1 AND idempotency_key = $2';

function toRecord(row: Row): SimulationResponseRecord {
  return {
    endpoint: String(row['endpoint']) as SimulationEndpoint,
    idempotency_key: String(row['idempotency_key']),
    request_hash: String(row['request_hash']),
    response_json: row['response_json'],
    created_at: String(row['created_at']),
  };
}

async function stored(db: SqlQueryable, endpoint: SimulationEndpoint, key: string): Promise<SimulationResponseRecord | null> {
  const [row] = await db.query(SELECT, [endpoint, key]);
  return row ? toRecord(row) : null;
}

export function recordSimulationResponse(db: SqlExecutor, record: SimulationResponseRecord): Promise<SimulationRecordOutcome> {
  return db.transaction(async (tx) => {
    const [inserted] = await tx.query(
      `INSERT INTO proposal_simulation_idempotency (endpoint, idempotency_key, request_hash, response_json, created_at)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (endpoint, idempotency_key) DO NOTHING RETURNING *`,
      [record.endpoint, record.idempotency_key, record.request_hash, jsonParam(record.response_json), isoTimestamp(record.created_at)],
    );
    if (inserted) return { outcome: 'recorded', record: toRecord(inserted) };
    // Rows are never deleted by the service, so the key that refused the insert is there to read.
    const winner = await stored(tx, record.endpoint, record.idempotency_key);
    if (!winner) throw new Error(`Idempotency key ${record.idempotency_key} refused the insert but cannot be read.`);
    return { outcome: winner.request_hash === record.request_hash ? 'replayed' : 'conflict', record: winner };
  });
}

export const getSimulationResponse = (db: SqlQueryable, endpoint: SimulationEndpoint, key: string): Promise<SimulationResponseRecord | null> =>
  stored(db, endpoint, key);
