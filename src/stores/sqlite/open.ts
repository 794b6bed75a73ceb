import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

const BUSY_TIMEOUT_MS = 5_000;

/**
 * Opens a SQLite database for a store: the parent folder is created, WAL lets readers run
 * beside the writer, a busy timeout absorbs another process's short write, and foreign keys
 * are enforced. `:memory:` is the IN_MEMORY backend.
 */
export function openSqliteDatabase(path: string): Database.Database {
  const inMemory = path === ':memory:';
  if (!inMemory) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  if (!inMemory) db.pragma('journal_mode = WAL');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  return db;
}
