/**
 * The `schema_migrations` table on PostgreSQL: one row per applied file, shared by all
 * namespaces (stored version `<namespace>:<NNNN>`). Always addressed unqualified, so it lives
 * in — and is found through — the connection's search_path, like every table of the stores.
 */
import type pg from 'pg';
import type { MigrationFile } from '../migrations/files.ts';
import type { Namespace } from '../migrations/namespaces.ts';
import { storedVersion, type HistoryRow } from '../migrations/plan.ts';

const CREATE_HISTORY_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version text PRIMARY KEY,
  namespace text NOT NULL,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

// Namespaces lock separately, so two of them may create the table at the same moment. The
// loser of that race fails on a catalog unique index (23505) or sees the table or its row type
// already there (42P07, 42710); once the winner committed, the next attempt is a no-op.
const CREATION_RACE = new Set(['23505', '42P07', '42710']);
const CREATION_ATTEMPTS = 3;

export async function ensureHistoryTable(client: pg.ClientBase): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await client.query(CREATE_HISTORY_TABLE);
      return;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt === CREATION_ATTEMPTS || typeof code !== 'string' || !CREATION_RACE.has(code)) throw error;
    }
  }
}

export async function historyTableExists(client: pg.ClientBase | pg.Pool): Promise<boolean> {
  const { rows } = await client.query<{ found: boolean }>("SELECT to_regclass('schema_migrations') IS NOT NULL AS found");
  return rows[0]?.found === true;
}

export async function readHistory(client: pg.ClientBase | pg.Pool, namespace: Namespace): Promise<HistoryRow[]> {
  const { rows } = await client.query<HistoryRow>('SELECT version, checksum FROM schema_migrations WHERE namespace = $1', [namespace]);
  return rows;
}

export async function recordApplied(client: pg.ClientBase, file: MigrationFile): Promise<void> {
  await client.query('INSERT INTO schema_migrations (version, namespace, checksum) VALUES ($1, $2, $3)', [
    storedVersion(file.namespace, file.version),
    file.namespace,
    file.checksum,
  ]);
}
