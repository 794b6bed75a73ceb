/**
 * Compares the files with the history rows of one namespace. Pure, so migrate, --status,
 * --dry-run, startup verification and the cutover check all judge a database the same way.
 *
 * Versions the database has but the code lacks follow Flyway's defaults (docs/migrations.md):
 * above the newest file they are **future** — a later release migrated the database further,
 * which this release may run on because migrations are additive — and below it they are
 * **unknown**, history this release cannot explain. A file not applied while the database
 * already has a later version is a **gap**: applying it now would run it out of order.
 */
import { compareVersions, type MigrationFile } from './files.ts';
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
  /** Every file not applied yet, in version order (gaps included). */
  readonly pending: readonly MigrationFile[];
  readonly checksumDrift: readonly ChecksumDrift[];
  /** Applied versions with no file, at or below the newest file: history this code cannot explain. */
  readonly unknown: readonly string[];
  /**
   * Applied versions above the newest file: written by a newer release. Allowed; never applied,
   * rolled back or checksum-checked here (there is no file to compare with).
   */
  readonly future: readonly string[];
  /** Pending versions below a version the database already has. */
  readonly gaps: readonly string[];
}

export function storedVersion(namespace: Namespace, version: string): string {
  return `${namespace}:${version}`;
}

function bareVersion(namespace: Namespace, stored: string): string {
  const prefix = `${namespace}:`;
  return stored.startsWith(prefix) ? stored.slice(prefix.length) : stored;
}

const NUMERIC = /^\d+$/;

/** Numbers in numeric order, anything else after them by text. */
function byVersion(a: string, b: string): number {
  const numeric = [NUMERIC.test(a), NUMERIC.test(b)];
  if (numeric[0] && numeric[1]) return compareVersions(a, b);
  return numeric[0] === numeric[1] ? a.localeCompare(b) : numeric[0] ? -1 : 1;
}

/** The highest of the versions, numerically; undefined for none. */
function newest(versions: Iterable<string>): string | undefined {
  let highest: string | undefined;
  for (const version of versions) if (highest === undefined || compareVersions(version, highest) > 0) highest = version;
  return highest;
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

  const newestFile = newest(fileVersions);
  const unknown: string[] = [];
  const future: string[] = [];
  for (const version of [...appliedChecksums.keys()].filter((v) => !fileVersions.has(v)).sort(byVersion)) {
    // A row that is not a number was not written by any release of this runner: unexplained.
    const isFuture = NUMERIC.test(version) && (newestFile === undefined || compareVersions(version, newestFile) > 0);
    (isFuture ? future : unknown).push(version);
  }
  const newestApplied = newest([...appliedChecksums.keys()].filter((v) => NUMERIC.test(v)));
  const gaps = newestApplied === undefined ? [] : pending.map((f) => f.version).filter((v) => compareVersions(v, newestApplied) < 0);
  return { namespace, applied, pending, checksumDrift, unknown, future, gaps };
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
  /** Versions a newer release applied, left alone. */
  readonly future: readonly string[];
}
