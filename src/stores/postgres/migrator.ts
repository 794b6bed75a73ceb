/**
 * Forward-only PostgreSQL migrations, one namespace at a time.
 *
 * - The namespace's advisory lock (migration-lock.ts) serialises migrators across processes.
 * - Each file is sent whole — one simple-protocol query, never split on `;` — in its own
 *   transaction, with its history row inserted first, so a failure leaves neither schema nor
 *   history behind and a migrator racing past the lock would stop on the duplicate key.
 * - A file whose first line is `-- migrate:no-transaction` runs outside a transaction; its
 *   history row is written once it succeeded.
 * - A database with an edited file, an unexplained version or a gap is refused untouched;
 *   versions above this release's newest file (a later release migrated further) are left alone.
 * - Progress (waiting for the lock, each applied file) goes to an optional observer.
 */
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { ReasonError } from '../../config/reason-codes.ts';
import { redactSecrets } from '../../config/redact.ts';
import { loadMigrationFiles, type MigrationFile } from '../migrations/files.ts';
import type { Namespace } from '../migrations/namespaces.ts';
import { planMigrations, type MigrationReport, type MigrationStatus } from '../migrations/plan.ts';
import type { MigrationProgress } from '../migrations/progress.ts';
import { assertMigratable } from '../migrations/verdict.ts';
import { ensureHistoryTable, historyTableExists, readHistory, recordApplied } from './migration-history.ts';
import { withDedicatedSession } from './clients.ts';
import { withMigrationLock } from './migration-lock.ts';
import { inTransaction } from './transaction.ts';

export const POSTGRES_MIGRATIONS_ROOT = fileURLToPath(new URL('./migrations', import.meta.url));

const DEFAULT_LOCK_TIMEOUT_MS = 60_000;

export interface PostgresMigrateOptions {
  /** How long to wait for another migrator of the namespace (POSTGRES_MIGRATION_LOCK_TIMEOUT_MS). */
  readonly lockTimeoutMs?: number;
  /** Tests point this at fixture folders; the service uses the shipped files. */
  readonly migrationsRoot?: string;
  readonly progress?: MigrationProgress;
}

async function applyFile(client: pg.ClientBase, file: MigrationFile): Promise<void> {
  try {
    if (file.transactional) {
      await inTransaction(client, async () => {
        await recordApplied(client, file);
        await client.query(file.sql);
      });
    } else {
      await client.query(file.sql);
      await recordApplied(client, file);
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ReasonError('POSTGRES_MIGRATION_FAILED', `${file.namespace}/${file.fileName}: ${redactSecrets(message)}`, {
      details: [file.namespace, file.version],
      cause: error,
    });
  }
}

/** Applies the pending files of one namespace; resolves with what it applied. */
export async function migratePostgres(pool: pg.Pool, namespace: Namespace, options: PostgresMigrateOptions = {}): Promise<MigrationReport> {
  // Files first: a broken folder is reported without touching the database.
  const files = loadMigrationFiles(options.migrationsRoot ?? POSTGRES_MIGRATIONS_ROOT, namespace, 'POSTGRES');
  // One session of its own for the whole run: the advisory lock belongs to it, and it is closed
  // afterwards (not pooled), so no session setting leaks and a lock whose unlock failed dies with it.
  return withDedicatedSession(pool, 'migrate', async (client) => {
    // DDL on a big table may outlast a role's or database's default statement_timeout.
    await client.query('SET statement_timeout = 0');
    const { progress } = options;
    return await withMigrationLock(client, namespace, { timeoutMs: options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS, progress }, async () => {
      await ensureHistoryTable(client);
      const plan = planMigrations(namespace, files, await readHistory(client, namespace));
      assertMigratable(plan, 'POSTGRES');
      for (const file of plan.pending) {
        const started = performance.now();
        await applyFile(client, file);
        progress?.applied?.({ namespace, version: file.version, fileName: file.fileName, durationMs: Math.round(performance.now() - started) });
      }
      return { namespace, applied: plan.pending.map((f) => f.version), alreadyApplied: plan.applied, future: plan.future };
    });
  });
}

/**
 * The migration state of one namespace, changing nothing: what `--status`, `--dry-run`, the
 * cutover check and PRODUCTION startup judge a database by. The history table is looked up
 * through the connection's search_path, where the migrator created it.
 */
export async function verifyMigrations(
  pool: pg.Pool,
  namespace: Namespace,
  options: Pick<PostgresMigrateOptions, 'migrationsRoot'> = {},
): Promise<MigrationStatus> {
  const files = loadMigrationFiles(options.migrationsRoot ?? POSTGRES_MIGRATIONS_ROOT, namespace, 'POSTGRES');
  const exists = await historyTableExists(pool);
  return { historyTableExists: exists, plan: planMigrations(namespace, files, exists ? await readHistory(pool, namespace) : []) };
}
