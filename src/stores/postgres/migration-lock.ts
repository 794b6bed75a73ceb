/**
 * The per-namespace session advisory lock that serialises PostgreSQL migrators.
 *
 * It must be taken on a dedicated session (a pool client held for the whole run, never through
 * a transaction-pooling proxy), is polled with pg_try_advisory_lock until a deadline instead
 * of blocking forever, and its release is checked: a lock that was no longer held at the end
 * means the run was not serialised as promised.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { ReasonError } from '../../config/reason-codes.ts';
import { migrationLockKey } from '../migrations/lock-key.ts';
import type { Namespace } from '../migrations/namespaces.ts';

const POLL_INTERVAL_MS = 100;

async function acquire(client: pg.ClientBase, namespace: Namespace, key: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [key]);
    if (rows[0]?.locked === true) return;
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      throw new ReasonError('POSTGRES_MIGRATION_LOCK_TIMEOUT', `Waited ${timeoutMs} ms for the ${namespace} migration lock; another migrator holds it.`, {
        details: [namespace],
      });
    }
    await sleep(Math.min(POLL_INTERVAL_MS, remaining));
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

/**
 * Runs `work` while holding the namespace's lock on `client`. The work's own failure wins over
 * an unlock problem; the caller should discard the session afterwards, which frees the lock
 * on the server even when the unlock could not be confirmed.
 */
export async function withMigrationLock<T>(client: pg.ClientBase, namespace: Namespace, timeoutMs: number, work: () => Promise<T>): Promise<T> {
  const key = migrationLockKey(namespace);
  await acquire(client, namespace, key, timeoutMs);
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
