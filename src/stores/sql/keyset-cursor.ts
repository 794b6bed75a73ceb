/**
 * Opaque keyset cursors shared by every list operation of every store.
 *
 * A cursor is base64url(JSON [created_at, id]) plus a short digest of that payload, so a
 * truncated, edited or foreign cursor is recognised as invalid instead of silently restarting
 * the listing. The digest is a checksum, not a secret: a cursor grants nothing a caller could not
 * already list, and anyone can compute it. So what a decoded cursor holds is checked again before
 * it reaches SQL — a timestamp in the exact form the stores write (a real instant, years
 * 0001–9999) and a short printable id — and a crafted cursor is refused like an edited one,
 * identically on every backend (docs/errors.md#field-limits). Ordering is always
 * `created_at DESC, id DESC` on every backend.
 */
import { createHash } from 'node:crypto';

export interface KeysetPosition {
  readonly createdAt: string;
  readonly id: string;
}

const DIGEST_LENGTH = 12;

/** What `toISOString` writes for years 0001–9999, the only form the stores keep. */
const CANONICAL_TIMESTAMP = /^(?!0000)\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** Every id the stores issue is short printable ASCII (a prefix and hex digits). */
const STORED_ID = /^[\x21-\x7e]{1,256}$/;

/** A timestamp the stores could have written: canonical, and a real instant (no February 30). */
const isStoredTimestamp = (text: string): boolean => CANONICAL_TIMESTAMP.test(text) && new Date(text).toISOString() === text;

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
    if (typeof createdAt !== 'string' || typeof id !== 'string' || !isStoredTimestamp(createdAt) || !STORED_ID.test(id)) return undefined;
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
