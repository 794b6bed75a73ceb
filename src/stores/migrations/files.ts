/**
 * Migration files: `<root>/<namespace>/NNNN_name.sql`, applied in version order.
 *
 * The checksum is SHA-256 of the text with line endings normalised to LF, as the reference
 * computes it, so databases migrated by it verify unchanged. A first line of
 * `-- migrate:no-transaction` runs the file outside a transaction (CREATE INDEX CONCURRENTLY).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ReasonError } from '../../config/reason-codes.ts';
import type { MigrationEngine, Namespace } from './namespaces.ts';

export interface MigrationFile {
  readonly namespace: Namespace;
  /** The zero-padded numeric prefix, e.g. `0001`. */
  readonly version: string;
  readonly fileName: string;
  readonly sql: string;
  readonly checksum: string;
  readonly transactional: boolean;
}

const FILE_NAME = /^(\d{4,})(?:_[A-Za-z0-9_.-]+)?\.sql$/;
const NO_TRANSACTION = /^--\s*migrate:no-transaction\s*$/;

export function normaliseLineEndings(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

export function checksumOf(text: string): string {
  return createHash('sha256').update(normaliseLineEndings(text), 'utf8').digest('hex');
}

export function loadMigrationFiles(root: string, namespace: Namespace, engine: MigrationEngine): MigrationFile[] {
  const directory = join(root, namespace);
  if (!existsSync(directory) || !statSync(directory).isDirectory()) {
    throw new ReasonError(`${engine}_MIGRATIONS_NAMESPACE_NOT_FOUND`, `No migration folder for namespace ${namespace}.`, {
      details: [namespace],
    });
  }
  const files = readdirSync(directory)
    .filter((name) => name.endsWith('.sql'))
    .map((fileName): MigrationFile => {
      const match = FILE_NAME.exec(fileName);
      if (!match?.[1]) {
        throw new ReasonError(
          `${engine}_MIGRATION_INVALID_FILE_NAME`,
          `${namespace}/${fileName} must be named NNNN_description.sql (zero-padded number, at least four digits).`,
          { details: [namespace, fileName] },
        );
      }
      const sql = normaliseLineEndings(readFileSync(join(directory, fileName), 'utf8'));
      return {
        namespace,
        version: match[1],
        fileName,
        sql,
        checksum: checksumOf(sql),
        transactional: !NO_TRANSACTION.test(sql.split('\n', 1)[0] ?? ''),
      };
    });
  // By number, not by name: `10000_x` comes after `9999_y` even though it sorts before it as text.
  files.sort((a, b) => compareVersions(a.version, b.version) || a.fileName.localeCompare(b.fileName));
  for (const [i, file] of files.entries()) {
    const previous = files[i - 1];
    // `0001` and `00001` are one version to a reader, so they are refused like two `0001`s.
    if (previous && compareVersions(previous.version, file.version) === 0) {
      throw new ReasonError(
        `${engine}_MIGRATION_DUPLICATE_VERSION`,
        `${namespace}/${previous.fileName} and ${namespace}/${file.fileName} share version ${file.version}.`,
        { details: [namespace, file.version] },
      );
    }
  }
  return files;
}

/** Numeric order of two version strings (`9999` < `10000`); both must be digits only. */
export function compareVersions(a: string, b: string): number {
  const difference = BigInt(a) - BigInt(b);
  return difference === 0n ? 0 : difference < 0n ? -1 : 1;
}
