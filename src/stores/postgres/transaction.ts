/**
 * BEGIN … COMMIT around a unit of work, ROLLBACK when it throws; the work's own error is the
 * one the caller sees. A session that was lost (or whose query never got its answer) is not
 * rolled back but discarded by whoever holds it — closing it ends the transaction on the
 * server — so a dead or frozen connection costs no second wait and no borrower inherits it.
 */
import type pg from 'pg';
import { withPooledClient, type HoldOptions } from './clients.ts';
import { isSessionLost } from './errors.ts';

/** Runs `work` in a transaction on a client the caller already holds (e.g. the migrator's locked session). */
export async function inTransaction<C extends pg.ClientBase, T>(client: C, work: (client: C) => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  let result: T;
  try {
    result = await work(client);
  } catch (error) {
    if (!isSessionLost(error)) await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
  // A failing COMMIT has already ended the transaction (PostgreSQL rolls it back).
  await client.query('COMMIT');
  return result;
}

/** Borrows a guarded client from the pool for one transaction and gives it back (or discards it) afterwards. */
export function withTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>, options: HoldOptions = {}): Promise<T> {
  return withPooledClient(pool, (client) => inTransaction(client, work), options);
}
