/**
 * The per-namespace session advisory lock that serialises PostgreSQL migrators.
 *
 * It must be taken on a dedicated session (a pool client held for the whole run, never through
 * a transaction-pooling proxy), is polled with pg_try_advisory_lock until a deadline instead
 * of blocking forever, and its release is checked: a lock that was no longer held at the end
 * means the run was not serialised as promised. While it waits, it says who holds the lock
 * (pg_locks joined to pg_stat_activity), and so does the timeout error.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { ReasonError } from '../../config/reason-codes.ts';
import { migrationLockKey } from '../migrations/lock-key.ts';
import type { Namespace } from '../migrations/namespaces.ts';
import { describeHolders, type LockHolder, type MigrationProgress } from '../migrations/progress.ts';

const POLL_INTERVAL_MS = 100;
/** Often enough that a waiting operator sees it is alive, rarely enough to stay readable. */
export const LOCK_WAIT_REPORT_INTERVAL_MS = 5_000;

// A bigint advisory key is stored split: classid = high 32 bits, objid = low 32 bits, objsubid = 1.
const HOLDERS = `SELECT l.pid, a.application_name, host(a.client_addr) AS client_address,
       a.backend_start, a.state, a.state_change
  FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
 WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
   AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
   AND ((l.classid::bigint << 32) | l.objid::bigint) = $1::bigint
 ORDER BY l.pid`;

interface HolderRow {
  pid: number;
  application_name: string | null;
  client_address: string | null;
  backend_start: Date | null;
  state: string | null;
  state_change: Date | null;
}

async function lockHolders(client: pg.ClientBase, key: string): Promise<LockHolder[]> {
  const { rows } = await client.query<HolderRow>(HOLDERS, [key]);
  return rows.map((row) => ({
    pid: row.pid,
    applicationName: row.application_name,
    clientAddress: row.client_address,
    connectedAt: row.backend_start?.toISOString() ?? null,
    state: row.state,
    stateSince: row.state_change?.toISOString() ?? null,
  }));
}

async function acquire(client: pg.ClientBase, namespace: Namespace, key: string, timeoutMs: number, progress: MigrationProgress): Promise<void> {
  const started = Date.now();
  let nextReportAt = 0;
  for (;;) {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [key]);
    if (rows[0]?.locked === true) return;
    const waitedMs = Date.now() - started;
    if (waitedMs >= timeoutMs) {
      const holders = describeHolders(await lockHolders(client, key));
      throw new ReasonError('POSTGRES_MIGRATION_LOCK_TIMEOUT', `Waited ${timeoutMs} ms for the ${namespace} migration lock; it is held by ${holders}.`, {
        details: [namespace],
      });
    }
    if (progress.lockWait && waitedMs >= nextReportAt) {
      progress.lockWait({ namespace, waitedMs, timeoutMs, holders: await lockHolders(client, key) });
      nextReportAt = waitedMs + LOCK_WAIT_REPORT_INTERVAL_MS;
    }
    await sleep(Math.min(POLL_INTERVAL_MS, timeoutMs - waitedMs));
  }
}

/** Resolves true only when PostgreSQL confirms this session held the lock and gave it up. */
async function release(client: pg.ClientBase, key: string): Promise<boolean> {
  try {
    const { rows } = await client.query<{ unlocked: boolean }>('SELECT pg_advisory_unlock($1::bigint) AS unlocked', [key]);
    return rows[0]?.unlocked === true;
  } catch {
    return false;
  }
}

export interface MigrationLockOptions {
  readonly timeoutMs: number;
  readonly progress?: MigrationProgress;
}

/**
 * Runs `work` while holding the namespace's lock on `client`. The work's own failure wins over
 * an unlock problem; the caller should discard the session afterwards, which frees the lock
 * on the server even when the unlock could not be confirmed.
 */
export async function withMigrationLock<T>(client: pg.ClientBase, namespace: Namespace, options: MigrationLockOptions, work: () => Promise<T>): Promise<T> {
  const key = migrationLockKey(namespace);
  await acquire(client, namespace, key, options.timeoutMs, options.progress ?? {});
  let result: T;
  try {
    result = await work();
  } catch (error) {
    await release(client, key);
    throw error;
  }
  if (!(await release(client, key))) {
    throw new ReasonError(
      'POSTGRES_MIGRATION_UNLOCK_FAILED',
      `The ${namespace} migration lock was not held any more when the run ended; check the result with \`npm run migrate -- --status\`.`,
      { details: [namespace] },
    );
  }
  return result;
}
