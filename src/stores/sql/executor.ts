/**
 * The small SQL surface every store adapter is written against, so one set of queries serves
 * SQLite (files and `:memory:`, which is our IN_MEMORY backend) and PostgreSQL alike.
 *
 * Queries use PostgreSQL-style `$1, $2 …` placeholders and the portable subset both engines
 * share (`INSERT … ON CONFLICT … DO NOTHING RETURNING`, keyset `WHERE (a, b) < ($1, $2)` …).
 * Rows come back normalised: timestamps as ISO-8601 strings, JSON columns as parsed values
 * (by the `_json` column-name convention), so adapters never branch on the engine.
 */

export type SqlValue = string | number | boolean | null | Date | Buffer;

export type Row = Record<string, unknown>;

/**
 * A statement of fixed text that PostgreSQL parses and plans once per connection (a named
 * prepared statement) instead of on every call. For the hot paths only: each name becomes a
 * prepared statement on every pooled connection, so text built per call (lists with optional
 * filters, IN lists) stays a plain string. SQLite prepares every statement once anyway.
 */
export interface NamedSql {
  readonly name: string;
  readonly text: string;
}

export type Sql = string | NamedSql;

/** `named('dpm_get_run', 'SELECT …')`: the name must be unique per text within the process. */
export function named(name: string, text: string): NamedSql {
  return { name, text };
}

export function sqlText(sql: Sql): string {
  return typeof sql === 'string' ? sql : sql.text;
}

export interface SqlQueryable {
  /** Rows of a SELECT (or of a statement with RETURNING). */
  query<T extends Row = Row>(sql: Sql, params?: readonly SqlValue[]): Promise<T[]>;
  /** Number of rows a statement changed. */
  execute(sql: Sql, params?: readonly SqlValue[]): Promise<number>;
}

export interface SqlExecutor extends SqlQueryable {
  readonly dialect: 'postgres' | 'sqlite';
  /**
   * Runs `work` in one transaction: all of it is committed, or none of it when `work` throws.
   * Nested calls are not supported; pass the given queryable down instead.
   */
  transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A constraint the database refused, in engine-neutral terms, so adapters can decide races by it. */
export class SqlConstraintError extends Error {
  constructor(
    readonly kind: 'unique' | 'foreign_key' | 'check' | 'not_null',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SqlConstraintError';
  }
}

/** Shared row normalisation: ISO timestamps and parsed `_json` columns on both engines. */
export function normaliseRow<T extends Row>(row: Row): T {
  const out: Row = {};
  for (const [key, value] of Object.entries(row)) {
    if (value instanceof Date) out[key] = value.toISOString();
    else if (key.endsWith('_json') && typeof value === 'string') out[key] = JSON.parse(value) as unknown;
    else out[key] = value;
  }
  return out as T;
}
