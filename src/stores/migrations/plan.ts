/**
 * Compares the files with the history rows of one namespace. Pure, so migrate, --status,
 * --dry-run, startup verification and the cutover check all judge a database the same way.
 */
import type { MigrationFile } from './files.ts';
import type { Namespace } from './namespaces.ts';

export interface HistoryRow {
  /** `<namespace>:<NNNN>`, or the legacy un-prefixed `<NNNN>`. */
  readonly version: string;
  readonly checksum: string;
}

export interface ChecksumDrift {
  readonly version: string;
  readonly fileChecksum: string;
  readonly appliedChecksum: string;
}

export interface MigrationPlan {
  readonly namespace: Namespace;
  readonly applied: readonly string[];
  readonly pending: readonly MigrationFile[];
  readonly checksumDrift: readonly ChecksumDrift[];
  /** Applied versions with no file: the database is newer than this code. */
  readonly unknown: readonly string[];
}

export function storedVersion(namespace: Namespace, version: string): string {
  return `${namespace}:${version}`;
}

function bareVersion(namespace: Namespace, stored: string): string {
  const prefix = `${namespace}:`;
  return stored.startsWith(prefix) ? stored.slice(prefix.length) : stored;
}

export function planMigrations(namespace: Namespace, files: readonly MigrationFile[], history: readonly HistoryRow[]): MigrationPlan {
  const appliedChecksums = new Map<string, Set<string>>();
  for (const row of history) {
    const version = bareVersion(namespace, row.version);
    const checksums = appliedChecksums.get(version) ?? new Set<string>();
    checksums.add(row.checksum);
    appliedChecksums.set(version, checksums);
  }
  const fileVersions = new Set(files.map((f) => f.version));
  const applied: string[] = [];
  const pending: MigrationFile[] = [];
  const checksumDrift: ChecksumDrift[] = [];
  for (const file of files) {
    const checksums = appliedChecksums.get(file.version);
    if (!checksums) {
      pending.push(file);
      continue;
    }
    applied.push(file.version);
    // A legacy and a prefixed row for one version must agree too.
    for (const appliedChecksum of checksums) {
      if (appliedChecksum !== file.checksum) checksumDrift.push({ version: file.version, fileChecksum: file.checksum, appliedChecksum });
    }
  }
  const unknown = [...appliedChecksums.keys()].filter((version) => !fileVersions.has(version)).sort();
  return { namespace, applied, pending, checksumDrift, unknown };
}

/** What a read-only check of one namespace finds (`--status`, `--dry-run`, cutover check, startup). */
export interface MigrationStatus {
  /** False when the database was never migrated: it has no `schema_migrations` table. */
  readonly historyTableExists: boolean;
  readonly plan: MigrationPlan;
}

export interface MigrationReport {
  readonly namespace: Namespace;
  /** Versions this run applied, in order. */
  readonly applied: readonly string[];
  /** Versions that were already there. */
  readonly alreadyApplied: readonly string[];
}
