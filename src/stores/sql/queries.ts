/**
 * What the stores' query files share: a JSON parameter, reading one row, reading a keyset page.
 */
import { pageOf, type Page } from './keyset-cursor.ts';
import type { Sql, SqlQueryable, SqlValue } from './executor.ts';
import type { Where } from './where.ts';

/** A value for a JSON column: its text, or NULL for null and undefined. */
export const jsonParam = (value: unknown): string | null => (value === null || value === undefined ? null : JSON.stringify(value));

/** The first row mapped, or null. */
export async function one<T>(queryable: SqlQueryable, sql: Sql, params: readonly SqlValue[], map: (row: Record<string, unknown>) => T): Promise<T | null> {
  const [row] = await queryable.query(sql, params);
  return row ? map(row) : null;
}

export interface PageQuery {
  readonly select: string;
  readonly where: Where;
  readonly orderTime: string;
  readonly orderId: string;
  readonly direction: 'ASC' | 'DESC';
}

/** One page of a keyset-paginated list: `limit + 1` rows read, so the page knows whether more follow. */
export async function listPage<T>(
  db: SqlQueryable,
  sql: PageQuery,
  limit: number,
  map: (row: Record<string, unknown>) => T,
  positionOf: (item: T) => { createdAt: string; id: string },
): Promise<Page<T>> {
  const { where, orderTime, orderId, direction } = sql;
  const rows = await db.query(`${sql.select} ${where} ORDER BY ${orderTime} ${direction}, ${orderId} ${direction} LIMIT ${where.param(limit + 1)}`, where.params);
  return pageOf(rows.map(map), limit, positionOf);
}
