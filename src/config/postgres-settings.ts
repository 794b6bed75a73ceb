/**
 * The PostgreSQL connections of every store (docs/configuration.md): pool size, the server-side
 * timeouts each connection sets, the client's own deadlines and the migration lock wait.
 */
import { integerVariable, textVariable, type ValuesOf } from './variables.ts';

export interface PostgresSettings {
  /** Connections per pool of this process: POSTGRES_POOL_MAX shared out among the WEB_CONCURRENCY processes (at least 1). */
  readonly poolMax: number;
  readonly statementTimeoutMs: number;
  readonly lockTimeoutMs: number;
  readonly idleInTransactionTimeoutMs: number;
  readonly queryTimeoutMs: number;
  readonly transactionTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly applicationName: string;
  readonly migrationLockTimeoutMs: number;
}

export const POSTGRES_VARIABLES = {
  poolMax: integerVariable({
    name: 'POSTGRES_POOL_MAX',
    description:
      'Connections per PostgreSQL DSN of one service instance, shared out among its WEB_CONCURRENCY processes: each process pools POSTGRES_POOL_MAX ÷ WEB_CONCURRENCY (rounded down, at least 1), so replicas × POSTGRES_POOL_MAX bounds the connections a database sees.',
    defaultValue: 10,
    min: 1,
    max: 1000,
  }),
  statementTimeoutMs: integerVariable({
    name: 'POSTGRES_STATEMENT_TIMEOUT_MS',
    description: 'Server-side statement_timeout of service connections: a longer statement is cancelled (503 <STORE>_POSTGRES_TIMEOUT).',
    defaultValue: 15_000,
    min: 1,
    max: 3_600_000,
  }),
  lockTimeoutMs: integerVariable({
    name: 'POSTGRES_LOCK_TIMEOUT_MS',
    description: 'Server-side lock_timeout: a statement waiting longer for a row or table lock is cancelled (503 <STORE>_POSTGRES_TIMEOUT).',
    defaultValue: 5_000,
    min: 1,
    max: 3_600_000,
  }),
  idleInTransactionTimeoutMs: integerVariable({
    name: 'POSTGRES_IDLE_IN_TRANSACTION_TIMEOUT_MS',
    description: 'Server-side idle_in_transaction_session_timeout: the server ends a session that sits in an open transaction this long, releasing its locks.',
    defaultValue: 30_000,
    min: 1,
    max: 3_600_000,
  }),
  queryTimeoutMs: integerVariable({
    name: 'POSTGRES_QUERY_TIMEOUT_MS',
    description:
      'Client-side limit on waiting for the answer to one query, for a server that stopped answering (frozen, partitioned); the connection is discarded (503 <STORE>_POSTGRES_TIMEOUT). Keep it above POSTGRES_STATEMENT_TIMEOUT_MS.',
    defaultValue: 20_000,
    min: 1,
    max: 3_600_000,
  }),
  transactionTimeoutMs: integerVariable({
    name: 'POSTGRES_TRANSACTION_TIMEOUT_MS',
    description: 'Client-side limit on one whole transaction; past it the connection is discarded, which rolls the transaction back (503 <STORE>_POSTGRES_TIMEOUT).',
    defaultValue: 30_000,
    min: 1,
    max: 3_600_000,
  }),
  connectTimeoutMs: integerVariable({
    name: 'POSTGRES_CONNECT_TIMEOUT_MS',
    description:
      'How long to wait for a PostgreSQL connection: a new one, or a free one from a full pool (503 <STORE>_POSTGRES_UNAVAILABLE). Also bounds a readiness probe.',
    defaultValue: 5_000,
    min: 1,
    max: 600_000,
  }),
  applicationName: textVariable({
    name: 'POSTGRES_APPLICATION_NAME',
    description: 'application_name of every service connection (pg_stat_activity); migration sessions add `:migrate`. An application_name in the DSN wins.',
    defaultValue: 'dpm-rebalance-service',
    allowed: 'text (at most 63 bytes are kept by PostgreSQL)',
  }),
  migrationLockTimeoutMs: integerVariable({
    name: 'POSTGRES_MIGRATION_LOCK_TIMEOUT_MS',
    description: 'How long a migrator waits for the namespace advisory lock before failing.',
    defaultValue: 60_000,
    min: 1,
    max: 3_600_000,
  }),
} as const;

export function postgresSettings(v: ValuesOf<typeof POSTGRES_VARIABLES>, processes: number): PostgresSettings {
  return {
    poolMax: Math.max(1, Math.floor(v.poolMax / processes)),
    statementTimeoutMs: v.statementTimeoutMs,
    lockTimeoutMs: v.lockTimeoutMs,
    idleInTransactionTimeoutMs: v.idleInTransactionTimeoutMs,
    queryTimeoutMs: v.queryTimeoutMs,
    transactionTimeoutMs: v.transactionTimeoutMs,
    connectTimeoutMs: v.connectTimeoutMs,
    applicationName: v.applicationName,
    migrationLockTimeoutMs: v.migrationLockTimeoutMs,
  };
}
