/**
 * Is a PostgreSQL namespace ready to serve? Reachable, migrated, every file applied, no edited
 * file, no version newer than this code. Returns every problem, for the PRODUCTION startup check
 * (the service does not run DDL there) and for the cutover check.
 */
import type pg from 'pg';
import { ReasonError } from '../../config/reason-codes.ts';
import { redactSecrets } from '../../config/redact.ts';
import type { Violation } from '../../config/variables.ts';
import type { Namespace } from '../migrations/namespaces.ts';
import { postgresMigrationStatus } from './migrator.ts';
import type { StorePrefix } from './errors.ts';

export interface NamespaceTarget {
  readonly namespace: Namespace;
  readonly store: StorePrefix;
  readonly pool: pg.Pool;
}

export async function verifyNamespace(target: NamespaceTarget, migrationsRoot?: string): Promise<Violation[]> {
  const { namespace } = target;
  let status;
  try {
    status = await postgresMigrationStatus(target.pool, namespace, migrationsRoot === undefined ? {} : { migrationsRoot });
  } catch (error) {
    if (error instanceof ReasonError) return [{ code: error.fullCode, message: error.message }];
    const message = redactSecrets(error instanceof Error ? error.message || error.constructor.name : String(error));
    return [{ code: `${target.store}_POSTGRES_CONNECTION_FAILED`, message: `${namespace}: ${message}` }];
  }
  if (!status.historyTableExists) {
    return [
      {
        code: `POSTGRES_SCHEMA_MIGRATIONS_TABLE_MISSING:${namespace}`,
        message: `The ${namespace} database was never migrated; run \`npm run migrate -- --target ${namespace}\`.`,
      },
    ];
  }
  const { plan } = status;
  return [
    ...plan.pending.map((file) => ({
      code: `POSTGRES_MIGRATION_PENDING:${namespace}:${file.version}`,
      message: `${file.fileName} is not applied; run \`npm run migrate -- --target ${namespace}\`.`,
    })),
    ...plan.checksumDrift.map((drift) => ({
      code: `POSTGRES_MIGRATION_CHECKSUM_MISMATCH:${namespace}:${drift.version}`,
      message: `The applied ${namespace}:${drift.version} differs from its file; see docs/migrations.md.`,
    })),
    ...plan.unknown.map((version) => ({
      code: `POSTGRES_MIGRATION_UNKNOWN_VERSION:${namespace}:${version}`,
      message: `The database has ${namespace}:${version}, which this release does not know.`,
    })),
  ];
}
