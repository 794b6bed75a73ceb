/**
 * Forward-only PostgreSQL migrations, one namespace at a time.
 *
 * - A session advisory lock per namespace (the reference's key) serialises migrators; it is
 *   polled with pg_try_advisory_lock until a deadline instead of blocking forever.
 * - Each file is sent whole (never split on `;`) in its own transaction, with its history
 *   row inserted first, so a failure leaves neither schema nor history behind.
 * - Files starting with `-- migrate:no-transaction` run outside a transaction.
 * - A database that has an edited file, or a version this code lacks, is refused.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { ReasonError } from '../../config/reason-codes.ts';
import { redactSecrets } from '../../config/redact.ts';
import { loadMigrationFiles, type MigrationFile } from '../migrations/files.ts';
import { migrationLockKey } from '../migrations/lock-key.ts';
import type { Namespace } from '../migrations/namespaces.ts';
import { planMigrations, storedVersion, type HistoryRow, type MigrationPlan, type MigrationReport } from '../migrations/plan.ts';
import { assertMigratable } from '../migrations/verdict.ts';

export const POSTGRES_MIGRATIONS_ROOT = fileURLToPath(new URL('./migrations', import.meta.url));

export interface PostgresMigrateOptions {
  readonly lockTimeoutMs?: number;
  readonly migrationsRoot?: string;
}

const LOCK_POLL_MS = 100;

const CREATE_HISTORY_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version text PRIMARY KEY,
  namespace text NOT NULL,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

/**
 * Namespaces lock separately, so two of them may create the history table at the same
 * moment; the loser of that race sees a duplicate catalog entry, which means "it exists".
 */
async function ensureHistoryTable(client: pg.PoolClient): Promise<void> {
  try {
    await client.query(CREATE_HISTORY_TABLE);
  } catch (error) {
    const code = (error as { code?: string }).code;
    // 23505: the catalog's unique index; 42P07 / 42710: the table or its row type exists.
    if (code !== '23505' && code !== '42P07' && code !== '42710') throw error;
  }
}

async function readHistory(client: pg.ClientBase, namespace: Namespace): Promise<HistoryRow[]> {
  const { rows } = await client.query<HistoryRow>('SELECT version, checksum FROM schema_migrations WHERE namespace = $1', [namespace]);
  return rows;
}

async function acquireLock(client: pg.PoolClient, namespace: Namespace, timeoutMs: number): Promise<string> {
  const key = migrationLockKey(namespace);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [key]);
    if (rows[0]?.locked) return key;
    if (Date.now() >= deadline) {
      throw new ReasonError('POSTGRES_MIGRATION_LOCK_TIMEOUT', `Waited ${timeoutMs} ms for the ${namespace} migration lock.`, {
        details: [namespace],
      });
    }
    await sleep(LOCK_POLL_MS);
  }
}

async function applyFile(client: pg.PoolClient, file: MigrationFile): Promise<void> {
  const recordHistory = (): Promise<unknown> =>
    client.query('INSERT INTO schema_migrations (version, namespace, checksum) VALUES ($1, $2, $3)', [
      storedVersion(file.namespace, file.version),
      file.namespace,
      file.checksum,
    ]);
  try {
    if (file.transactional) {
      await client.query('BEGIN');
      await recordHistory();
      await client.query(file.sql);
      await client.query('COMMIT');
    } else {
      await client.query(file.sql);
      await recordHistory();
    }
  } catch (error) {
    if (file.transactional) await client.query('ROLLBACK').catch(() => undefined);
    const message = error instanceof Error ? error.message : String(error);
    throw new ReasonError('POSTGRES_MIGRATION_FAILED', `${file.namespace}/${file.fileName}: ${redactSecrets(message)}`, {
      details: [file.namespace, file.version],
      cause: error,
    });
  }
}

export async function migratePostgres(
  pool: pg.Pool,
  namespace: Namespace,
  options: PostgresMigrateOptions = {},
): Promise<MigrationReport> {
  const files = loadMigrationFiles(options.migrationsRoot ?? POSTGRES_MIGRATIONS_ROOT, namespace, 'POSTGRES');
  // A dedicated session: the advisory lock belongs to it, and it is discarded afterwards so
  // no session state (lock, statement_timeout) leaks back into the pool.
  const client = await pool.connect();
  let key: string | undefined;
  try {
    await client.query('SET statement_timeout = 0');
    key = await acquireLock(client, namespace, options.lockTimeoutMs ?? 60_000);
    await ensureHistoryTable(client);
    const plan = planMigrations(namespace, files, await readHistory(client, namespace));
    assertMigratable(plan, 'POSTGRES');
    for (const file of plan.pending) await applyFile(client, file);
    return { namespace, applied: plan.pending.map((f) => f.version), alreadyApplied: plan.applied };
  } finally {
    // Releasing with `true` closes the session, which also frees the lock should the unlock fail.
    if (key !== undefined) await client.query('SELECT pg_advisory_unlock($1::bigint)', [key]).catch(() => undefined);
    client.release(true);
  }
}

export interface PostgresMigrationStatus {
  /** False when the database was never migrated (no `schema_migrations` on the search_path). */
  readonly historyTableExists: boolean;
  readonly plan: MigrationPlan;
}

/** Reads the migration state of one namespace without changing anything. */
export async function postgresMigrationStatus(
  pool: pg.Pool,
  namespace: Namespace,
  options: Pick<PostgresMigrateOptions, 'migrationsRoot'> = {},
): Promise<PostgresMigrationStatus> {
  const files = loadMigrationFiles(options.migrationsRoot ?? POSTGRES_MIGRATIONS_ROOT, namespace, 'POSTGRES');
  const { rows } = await pool.query<{ table: string | null }>("SELECT to_regclass('schema_migrations')::text AS table");
  const historyTableExists = rows[0]?.table != null;
  const history = historyTableExists ? (await pool.query<HistoryRow>('SELECT version, checksum FROM schema_migrations WHERE namespace = $1', [namespace])).rows : [];
  return { historyTableExists, plan: planMigrations(namespace, files, history) };
}
