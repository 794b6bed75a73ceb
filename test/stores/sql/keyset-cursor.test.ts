import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, pageOf } from '../../../src/stores/sql/keyset-cursor.ts';

describe('keyset cursors', () => {
  const position = { createdAt: '2026-03-01T10:00:00.000Z', id: 'rr_abc' };

  it('round-trips a position', () => {
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it.each([
    ['garbage', 'not-a-cursor'],
    ['empty', ''],
    ['truncated', encodeCursor(position).slice(0, -2)],
    ['edited payload', `${Buffer.from(JSON.stringify(['2027-01-01T00:00:00.000Z', 'rr_abc'])).toString('base64url')}.${encodeCursor(position).split('.')[1]}`],
    ['extra part', `${encodeCursor(position)}.x`],
  ])('rejects a %s cursor', (_name, cursor) => {
    expect(decodeCursor(cursor)).toBeUndefined();
  });

  it('pages: the extra row only signals that a next page exists', () => {
    const rows = [1, 2, 3].map((n) => ({ createdAt: position.createdAt, id: `id${n}` }));
    const first = pageOf(rows, 2, (r) => r);
    expect(first.items).toHaveLength(2);
    expect(decodeCursor(first.nextCursor ?? '')).toEqual({ createdAt: position.createdAt, id: 'id2' });
    expect(pageOf(rows.slice(0, 2), 2, (r) => r).nextCursor).toBeNull();
  });
});
