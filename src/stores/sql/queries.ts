/**
 * What the stores' query files share: a JSON parameter, reading one row, reading a keyset page.
 */
import type { ReasonCode } from '../../config/reason-codes.ts';
import { pageOf, type Page } from './keyset-cursor.ts';
import type { Sql, SqlQueryable, SqlValue } from './executor.ts';
import { cursorPosition, type Where } from './where.ts';

/** A value for a JSON column: its text, or NULL for null and undefined. */
export const jsonParam = (value: unknown): string | null => (value === null || value === undefined ? null : JSON.stringify(value));

/** The first row mapped, or null. */
export async function one<T>(queryable: SqlQueryable, sql: Sql, params: readonly SqlValue[], map: (row: Record<string, unknown>) => T): Promise<T | null> {
  const [row] = await queryable.query(sql, params);
  return row ? map(row) : null;
}

export interface PageQuery {
  readonly select: string;
  /** The list's filters; the cursor's keyset condition is added from the order below. */
  readonly where: Where;
  readonly orderTime: string;
  readonly orderId: string;
  readonly direction: 'ASC' | 'DESC';
  /** `next_cursor` of the previous page; one this service did not issue is refused with `invalidCursor` (400). */
  readonly cursor: string | undefined;
  readonly invalidCursor: ReasonCode;
}

/**
 * One page of a keyset-paginated list: rows after the cursor in the list's own order (so the
 * cursor condition and the ORDER BY cannot disagree), `limit + 1` of them read, so the page knows
 * whether more follow.
 */
export async function listPage<T>(
  db: SqlQueryable,
  sql: PageQuery,
  limit: number,
  map: (row: Record<string, unknown>) => T,
  positionOf: (item: T) => { createdAt: string; id: string },
): Promise<Page<T>> {
  const { where, orderTime, orderId, direction } = sql;
  where.after(cursorPosition(sql.cursor, sql.invalidCursor), orderTime, orderId, direction);
  const rows = await db.query(`${sql.select} ${where} ORDER BY ${orderTime} ${direction}, ${orderId} ${direction} LIMIT ${where.param(limit + 1)}`, where.params);
  return pageOf(rows.map(map), limit, positionOf);
}
