/**
 * What a migrator reports while it runs, so that a run waiting for another migrator, or
 * applying a slow file, is never silent. Engine-neutral: the CLI turns these into stderr lines
 * or log records, a service migrating on start into log records (docs/migrations.md, "What
 * migrate prints").
 */
import type { Logger } from 'pino';
import type { Namespace } from './namespaces.ts';

/** A session holding the namespace lock, as PostgreSQL's pg_locks and pg_stat_activity show it. */
export interface LockHolder {
  readonly pid: number;
  /** `application_name` of the session ('' when it set none). */
  readonly applicationName: string | null;
  /** Null for a Unix-socket connection, or when the migrator's role may not see the session's details. */
  readonly clientAddress: string | null;
  /** When the session connected: it has held the lock since this moment or later (ISO 8601). */
  readonly connectedAt: string | null;
  /** `active`, `idle`, `idle in transaction`, … and since when (ISO 8601). */
  readonly state: string | null;
  readonly stateSince: string | null;
}

export interface LockWait {
  readonly namespace: Namespace;
  readonly waitedMs: number;
  readonly timeoutMs: number;
  /** Empty when the holder let go between the attempt and the look-up, or is not visible. */
  readonly holders: readonly LockHolder[];
}

export interface AppliedMigration {
  readonly namespace: Namespace;
  readonly version: string;
  readonly fileName: string;
  readonly durationMs: number;
}

export interface MigrationProgress {
  /** Called when the lock is found taken, then again at an interval while the wait lasts. */
  lockWait?(wait: LockWait): void;
  /** Called after each file was applied and committed. */
  applied?(file: AppliedMigration): void;
}

function describeHolder(holder: LockHolder): string {
  const facts = [
    holder.applicationName ? `application "${holder.applicationName}"` : 'no application_name',
    ...(holder.clientAddress ? [`client ${holder.clientAddress}`] : []),
    ...(holder.connectedAt ? [`connected ${holder.connectedAt}`] : []),
    ...(holder.state ? [`${holder.state}${holder.stateSince ? ` since ${holder.stateSince}` : ''}`] : []),
  ];
  return `pid ${holder.pid} (${facts.join(', ')})`;
}

/** One phrase naming who holds the lock, for the progress line and the timeout error alike. */
export function describeHolders(holders: readonly LockHolder[]): string {
  if (holders.length === 0) return 'no session visible (it may just have let go)';
  return holders.map(describeHolder).join('; ');
}

function holderRecord(holder: LockHolder): Record<string, unknown> {
  return {
    pid: holder.pid,
    application_name: holder.applicationName,
    client_address: holder.clientAddress,
    connected_at: holder.connectedAt,
    state: holder.state,
    state_since: holder.stateSince,
  };
}

/** Progress as structured log records: `migrate --json` on stderr, and a service that migrates its stores on start. */
export function loggedMigrationProgress(logger: Logger): MigrationProgress {
  return {
    lockWait: (wait) =>
      logger.info(
        { namespace: wait.namespace, waited_ms: wait.waitedMs, timeout_ms: wait.timeoutMs, holders: wait.holders.map(holderRecord) },
        `Waiting for the ${wait.namespace} migration lock, held by ${describeHolders(wait.holders)}`,
      ),
    applied: (file) =>
      logger.info({ namespace: file.namespace, version: file.version, file: file.fileName, duration_ms: file.durationMs }, 'Migration applied'),
  };
}
