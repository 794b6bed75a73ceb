/**
 * SQLite migrations with the PostgreSQL runner's semantics: same file layout, checksums,
 * history table and planning, codes prefixed `SQLITE_`. Each file runs in its own
 * `BEGIN IMMEDIATE` transaction, which takes SQLite's write lock and so also serialises two
 * processes migrating one file; the history is re-read inside it, so a file another process
 * just applied is skipped rather than applied twice.
 */
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import { ReasonError } from '../../config/reason-codes.ts';
import { loadMigrationFiles, type MigrationFile } from '../migrations/files.ts';
import type { Namespace } from '../migrations/namespaces.ts';
import { planMigrations, storedVersion, type HistoryRow, type MigrationReport, type MigrationStatus } from '../migrations/plan.ts';
import { assertMigratable } from '../migrations/verdict.ts';

export const SQLITE_MIGRATIONS_ROOT = fileURLToPath(new URL('./migrations', import.meta.url));

export interface SqliteMigrateOptions {
  /** Tests point this at fixture folders; the service uses the shipped files. */
  readonly migrationsRoot?: string;
}

const CREATE_HISTORY_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version TEXT PRIMARY KEY,
  namespace TEXT NOT NULL,
  checksum TEXT NOT NULL,
  applied_at TEXT NOT NULL
)`;

function historyTableExists(db: Database.Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get() !== undefined;
}

function readHistory(db: Database.Database, namespace: Namespace): HistoryRow[] {
  return db.prepare('SELECT version, checksum FROM schema_migrations WHERE namespace = ?').all(namespace) as HistoryRow[];
}

function isRecorded(db: Database.Database, file: MigrationFile): boolean {
  // The legacy un-prefixed version counts too, as it does in planning.
  return db.prepare('SELECT 1 FROM schema_migrations WHERE version IN (?, ?)').get(storedVersion(file.namespace, file.version), file.version) !== undefined;
}

function recordApplied(db: Database.Database, file: MigrationFile): void {
  db.prepare('INSERT INTO schema_migrations (version, namespace, checksum, applied_at) VALUES (?, ?, ?, ?)').run(
    storedVersion(file.namespace, file.version),
    file.namespace,
    file.checksum,
    new Date().toISOString(),
  );
}

/** Applies one file; false when another connection applied it first. */
function applyFile(db: Database.Database, file: MigrationFile): boolean {
  try {
    if (!file.transactional) {
      if (isRecorded(db, file)) return false;
      db.exec(file.sql);
      recordApplied(db, file);
      return true;
    }
    db.exec('BEGIN IMMEDIATE');
    if (isRecorded(db, file)) {
      db.exec('COMMIT');
      return false;
    }
    recordApplied(db, file);
    db.exec(file.sql);
    db.exec('COMMIT');
    return true;
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    const message = error instanceof Error ? error.message : String(error);
    throw new ReasonError('SQLITE_MIGRATION_FAILED', `${file.namespace}/${file.fileName}: ${message}`, {
      details: [file.namespace, file.version],
      cause: error,
    });
  }
}

/** Applies the pending files of one namespace; returns what this call applied. */
export function migrateSqlite(db: Database.Database, namespace: Namespace, options: SqliteMigrateOptions = {}): MigrationReport {
  const files = loadMigrationFiles(options.migrationsRoot ?? SQLITE_MIGRATIONS_ROOT, namespace, 'SQLITE');
  db.exec(CREATE_HISTORY_TABLE);
  const plan = planMigrations(namespace, files, readHistory(db, namespace));
  assertMigratable(plan, 'SQLITE');
  const applied = plan.pending.filter((file) => applyFile(db, file)).map((file) => file.version);
  return { namespace, applied, alreadyApplied: plan.applied, future: plan.future };
}

/** The migration state of one namespace, changing nothing. */
export function verifySqliteMigrations(db: Database.Database, namespace: Namespace, options: SqliteMigrateOptions = {}): MigrationStatus {
  const files = loadMigrationFiles(options.migrationsRoot ?? SQLITE_MIGRATIONS_ROOT, namespace, 'SQLITE');
  const exists = historyTableExists(db);
  return { historyTableExists: exists, plan: planMigrations(namespace, files, exists ? readHistory(db, namespace) : []) };
}
