/**
 * Builds `WHERE` clauses with numbered parameters, so list queries with optional filters stay
 * readable and identical on both engines.
 */
import { ReasonError, type ReasonCode } from '../../config/reason-codes.ts';
import type { SqlValue } from './executor.ts';
import { decodeCursor, type KeysetPosition } from './keyset-cursor.ts';

export class Where {
  readonly #clauses: string[] = [];
  readonly params: SqlValue[] = [];

  /** Adds a parameter and returns its placeholder. */
  param(value: SqlValue): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  /** Adds `sql` (with `?` standing for the value) when the value is given. */
  when(value: SqlValue | undefined, sql: string): this {
    if (value !== undefined && value !== null) this.#clauses.push(sql.replace('?', this.param(value)));
    return this;
  }

  add(sql: string): this {
    this.#clauses.push(sql);
    return this;
  }

  /** Keyset condition for `ORDER BY time <direction>, id <direction>`. */
  after(position: KeysetPosition | undefined, timeColumn: string, idColumn: string, direction: 'ASC' | 'DESC'): this {
    if (!position) return this;
    const op = direction === 'DESC' ? '<' : '>';
    const time = this.param(position.createdAt);
    const id = this.param(position.id);
    // A row-value comparison, which both engines turn into one range scan of the (time, id) index.
    return this.add(`(${timeColumn}, ${idColumn}) ${op} (${time}, ${id})`);
  }

  toString(): string {
    return this.#clauses.length === 0 ? '' : `WHERE ${this.#clauses.join(' AND ')}`;
  }
}

/** Timestamps are stored in one canonical form so both engines compare and sort them alike. */
export function isoTimestamp(value: string): string {
  return new Date(value).toISOString();
}

export function isoOrUndefined(value: string | undefined): string | undefined {
  return value === undefined ? undefined : isoTimestamp(value);
}

/** Decodes a caller's cursor, or fails with the store's own code. */
export function cursorPosition(cursor: string | undefined, invalidCode: ReasonCode): KeysetPosition | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const position = decodeCursor(cursor);
  if (!position) throw new ReasonError(invalidCode, 'The cursor is not one this service issued; start again without it.');
  return position;
}
