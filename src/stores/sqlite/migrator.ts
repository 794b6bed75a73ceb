/**
 * SQLite migrations with the PostgreSQL runner's semantics: same files layout, checksums,
 * history table and planning. Each file runs in its own `BEGIN IMMEDIATE` transaction, which
 * also serialises two processes migrating one file; the history is re-read inside it, so a
 * file another process just applied is skipped rather than applied twice.
 */
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import { ReasonError } from '../../config/reason-codes.ts';
import { loadMigrationFiles, type MigrationFile } from '../migrations/files.ts';
import type { Namespace } from '../migrations/namespaces.ts';
import { planMigrations, storedVersion, type HistoryRow, type MigrationPlan, type MigrationReport } from '../migrations/plan.ts';
import { assertMigratable } from '../migrations/verdict.ts';

export const SQLITE_MIGRATIONS_ROOT = fileURLToPath(new URL('./migrations', import.meta.url));

export interface SqliteMigrateOptions {
  readonly migrationsRoot?: string;
}

const CREATE_HISTORY_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version TEXT PRIMARY KEY,
  namespace TEXT NOT NULL,
  checksum TEXT NOT NULL,
  applied_at TEXT NOT NULL
)`;

function readHistory(db: Database.Database, namespace: Namespace): HistoryRow[] {
  return db.prepare('SELECT version, checksum FROM schema_migrations WHERE namespace = ?').all(namespace) as HistoryRow[];
}

function applyFile(db: Database.Database, file: MigrationFile): boolean {
  const recordHistory = (): void => {
    db.prepare('INSERT INTO schema_migrations (version, namespace, checksum, applied_at) VALUES (?, ?, ?, ?)').run(
      storedVersion(file.namespace, file.version),
      file.namespace,
      file.checksum,
      new Date().toISOString(),
    );
  };
  const alreadyThere = (): boolean =>
    db.prepare('SELECT 1 FROM schema_migrations WHERE version IN (?, ?)').get(storedVersion(file.namespace, file.version), file.version) !== undefined;
  try {
    if (!file.transactional) {
      if (alreadyThere()) return false;
      db.exec(file.sql);
      recordHistory();
      return true;
    }
    db.exec('BEGIN IMMEDIATE');
    if (alreadyThere()) {
      db.exec('COMMIT');
      return false;
    }
    recordHistory();
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

export function migrateSqlite(db: Database.Database, namespace: Namespace, options: SqliteMigrateOptions = {}): MigrationReport {
  const files = loadMigrationFiles(options.migrationsRoot ?? SQLITE_MIGRATIONS_ROOT, namespace, 'SQLITE');
  db.exec(CREATE_HISTORY_TABLE);
  const plan = planMigrations(namespace, files, readHistory(db, namespace));
  assertMigratable(plan, 'SQLITE');
  const applied = plan.pending.filter((file) => applyFile(db, file)).map((file) => file.version);
  return { namespace, applied, alreadyApplied: plan.applied };
}

export function sqliteMigrationStatus(db: Database.Database, namespace: Namespace, options: SqliteMigrateOptions = {}): MigrationPlan {
  const files = loadMigrationFiles(options.migrationsRoot ?? SQLITE_MIGRATIONS_ROOT, namespace, 'SQLITE');
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get() !== undefined;
  return planMigrations(namespace, files, exists ? readHistory(db, namespace) : []);
}
