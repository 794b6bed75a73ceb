/**
 * BEGIN … COMMIT around a unit of work, ROLLBACK when it throws; the work's own error is the
 * one the caller sees. A ROLLBACK fails only on a dead connection, and pg-pool discards such a
 * client on release (it is no longer queryable), so no borrower inherits a broken session.
 */
import type pg from 'pg';

/** Runs `work` in a transaction on a client the caller already holds (e.g. the migrator's locked session). */
export async function inTransaction<C extends pg.ClientBase, T>(client: C, work: (client: C) => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  let result: T;
  try {
    result = await work(client);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
  // A failing COMMIT has already ended the transaction (PostgreSQL rolls it back).
  await client.query('COMMIT');
  return result;
}

/** Borrows a client from the pool for one transaction and gives it back afterwards. */
export async function withTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await inTransaction(client, work);
  } finally {
    client.release();
  }
}
