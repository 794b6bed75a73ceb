/**
 * Opaque keyset cursors shared by every list operation of every store.
 *
 * A cursor is base64url(JSON [created_at, id]) plus a short digest of that payload, so a
 * truncated, edited or foreign cursor is recognised as invalid instead of silently restarting
 * the listing. (It is a checksum, not a secret: a cursor grants nothing a caller could not
 * already list.) Ordering is always `created_at DESC, id DESC` on every backend.
 */
import { createHash } from 'node:crypto';

export interface KeysetPosition {
  readonly createdAt: string;
  readonly id: string;
}

const DIGEST_LENGTH = 12;

function digest(payload: string): string {
  return createHash('sha256').update(`keyset-v1:${payload}`).digest('base64url').slice(0, DIGEST_LENGTH);
}

export function encodeCursor(position: KeysetPosition): string {
  const payload = Buffer.from(JSON.stringify([position.createdAt, position.id])).toString('base64url');
  return `${payload}.${digest(payload)}`;
}

/** The position a cursor points after, or `undefined` when the cursor is not one of ours. */
export function decodeCursor(cursor: string): KeysetPosition | undefined {
  const [payload, check, ...rest] = cursor.split('.');
  if (!payload || !check || rest.length > 0 || digest(payload) !== check) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || parsed.length !== 2) return undefined;
    const [createdAt, id] = parsed as unknown[];
    if (typeof createdAt !== 'string' || typeof id !== 'string' || Number.isNaN(Date.parse(createdAt))) return undefined;
    return { createdAt, id };
  } catch {
    return undefined;
  }
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Present when more items follow. */
  readonly nextCursor: string | null;
}

/**
 * Builds a page from `limit + 1` rows fetched in keyset order: the extra row only tells
 * whether another page exists.
 */
export function pageOf<T>(rows: readonly T[], limit: number, positionOf: (item: T) => KeysetPosition): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(positionOf(last)) : null };
}
