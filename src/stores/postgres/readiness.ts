/**
 * Is a PostgreSQL namespace ready to serve? One check per aspect — reachable, migrated, each
 * file applied in order with its checksum intact, no version this code cannot explain (versions
 * a later release applied are reported as passing notices), no index left invalid
 * by an interrupted `CREATE INDEX CONCURRENTLY` — passing ones included, so the cutover check can
 * print a full checklist and PRODUCTION startup can refuse with exactly the same codes.
 */
import type pg from 'pg';
import { ReasonError } from '../../config/reason-codes.ts';
import { redactSecrets } from '../../config/redact.ts';
import { compareVersions } from '../migrations/files.ts';
import type { Namespace } from '../migrations/namespaces.ts';
import { verifyMigrations } from './migrator.ts';

export interface Check {
  /** The reason code this check raises when it fails (with its `:<ns>:<version>` detail). */
  readonly code: string;
  readonly ok: boolean;
  readonly detail: string;
  /** Passing, but to be said out loud (printed with ⚠): a version a later release applied (also logged at startup), or a PRODUCTION warning. */
  readonly notice?: boolean;
}

export interface NamespaceTarget {
  readonly namespace: Namespace;
  readonly pool: pg.Pool;
}

async function invalidIndexes(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
     WHERE NOT i.indisvalid AND pg_catalog.pg_table_is_visible(c.oid) ORDER BY 1`,
  );
  return rows.map((r) => r.name);
}

export async function verifyNamespace(target: NamespaceTarget, migrationsRoot?: string): Promise<Check[]> {
  const { namespace, pool } = target;
  let status;
  try {
    status = await verifyMigrations(pool, namespace, migrationsRoot === undefined ? {} : { migrationsRoot });
  } catch (error) {
    if (error instanceof ReasonError) return [{ code: error.fullCode, ok: false, detail: error.message }];
    const message = redactSecrets(error instanceof Error ? error.message || error.constructor.name : String(error));
    return [{ code: `CUTOVER_POSTGRES_UNREACHABLE:${namespace}`, ok: false, detail: `${namespace} database unreachable: ${message}` }];
  }
  const checks: Check[] = [{ code: `CUTOVER_POSTGRES_UNREACHABLE:${namespace}`, ok: true, detail: `${namespace} database reachable` }];
  checks.push({
    code: `CUTOVER_SCHEMA_MIGRATIONS_TABLE_MISSING:${namespace}`,
    ok: status.historyTableExists,
    detail: status.historyTableExists
      ? `${namespace}: schema_migrations present`
      : `${namespace}: never migrated (no schema_migrations); run \`npm run migrate -- --target ${namespace}\``,
  });
  if (!status.historyTableExists) return checks;

  const { plan } = status;
  const pending = new Set(plan.pending.map((f) => f.version));
  const gaps = new Set(plan.gaps);
  const drifted = new Set(plan.checksumDrift.map((d) => d.version));
  for (const version of [...plan.applied, ...pending].sort(compareVersions)) {
    if (gaps.has(version)) {
      checks.push({
        code: `POSTGRES_MIGRATION_GAP:${namespace}:${version}`,
        ok: false,
        detail: `${namespace}:${version} was never applied, but the database has later versions; see docs/migrations.md`,
      });
      continue;
    }
    checks.push({
      code: `CUTOVER_MIGRATION_MISSING:${namespace}:${version}`,
      ok: !pending.has(version),
      detail: pending.has(version) ? `${namespace}:${version} not applied; run \`npm run migrate -- --target ${namespace}\`` : `${namespace}:${version} applied`,
    });
    if (pending.has(version)) continue;
    checks.push({
      code: `POSTGRES_MIGRATION_CHECKSUM_MISMATCH:${namespace}:${version}`,
      ok: !drifted.has(version),
      detail: drifted.has(version) ? `${namespace}:${version} was edited after it was applied; see docs/migrations.md` : `${namespace}:${version} checksum matches`,
    });
  }
  checks.push(
    ...(plan.unknown.length === 0
      ? [{ code: `POSTGRES_MIGRATION_UNKNOWN_VERSION:${namespace}`, ok: true, detail: `${namespace}: every applied version up to this release's newest has its file` }]
      : plan.unknown.map((version) => ({
          code: `POSTGRES_MIGRATION_UNKNOWN_VERSION:${namespace}:${version}`,
          ok: false,
          detail: `${namespace}:${version} is in the database but not in this release, which has later files; see docs/migrations.md`,
        }))),
    ...plan.future.map((version) => ({
      code: `POSTGRES_MIGRATION_FUTURE_VERSION:${namespace}:${version}`,
      ok: true,
      notice: true,
      detail: `${namespace}:${version} was applied by a later release: allowed, left alone (never applied, rolled back or checksum-checked by this release)`,
    })),
  );
  const invalid = await invalidIndexes(pool);
  checks.push(
    ...(invalid.length === 0
      ? [{ code: `CUTOVER_INVALID_INDEX:${namespace}`, ok: true, detail: `${namespace}: no invalid index` }]
      : invalid.map((name) => ({
          code: `CUTOVER_INVALID_INDEX:${namespace}:${name}`,
          ok: false,
          detail: `index ${name} is invalid (interrupted CREATE INDEX CONCURRENTLY); drop it and migrate again`,
        }))),
  );
  return checks;
}
