import type Database from 'better-sqlite3';
import { normaliseRow, SqlConstraintError, sqlText, type Row, type Sql, type SqlExecutor, type SqlQueryable, type SqlValue } from './executor.ts';

/** `$1` → `@p1`: better-sqlite3 binds named parameters, and the same `$n` may appear twice. */
function toSqlite(sql: string): string {
  return sql.replace(/\$(\d+)/g, '@p$1');
}

function bind(params: readonly SqlValue[]): Record<string, unknown> {
  const named: Record<string, unknown> = {};
  params.forEach((value, i) => {
    named[`p${i + 1}`] = typeof value === 'boolean' ? Number(value) : value instanceof Date ? value.toISOString() : value;
  });
  return named;
}

const CONSTRAINT_KINDS: Readonly<Record<string, SqlConstraintError['kind']>> = {
  SQLITE_CONSTRAINT_UNIQUE: 'unique',
  SQLITE_CONSTRAINT_PRIMARYKEY: 'unique',
  SQLITE_CONSTRAINT_FOREIGNKEY: 'foreign_key',
  SQLITE_CONSTRAINT_CHECK: 'check',
  SQLITE_CONSTRAINT_NOTNULL: 'not_null',
};

function translate(error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  const kind = typeof code === 'string' ? CONSTRAINT_KINDS[code] : undefined;
  return kind ? new SqlConstraintError(kind, (error as Error).message, { cause: error }) : error;
}

/**
 * better-sqlite3 is synchronous, but adapters await between statements of a transaction.
 * A promise queue keeps another caller's statements from landing inside an open transaction.
 */
export function sqliteExecutor(db: Database.Database): SqlExecutor {
  // Every statement is prepared once, BEGIN and COMMIT included (`exec` would parse them on every transaction).
  const statements = new Map<string, Database.Statement>();
  const prepared = (sql: Sql): Database.Statement => {
    const text = sqlText(sql);
    let statement = statements.get(text);
    if (!statement) {
      statement = db.prepare(toSqlite(text));
      statements.set(text, statement);
    }
    return statement;
  };

  const direct: SqlQueryable = {
    async query<T extends Row>(sql: Sql, params: readonly SqlValue[] = []) {
      try {
        const statement = prepared(sql);
        if (!statement.reader) {
          statement.run(bind(params));
          return [];
        }
        return (statement.all(bind(params)) as Row[]).map((row) => normaliseRow<T>(row));
      } catch (error) {
        throw translate(error);
      }
    },
    async execute(sql: Sql, params: readonly SqlValue[] = []) {
      try {
        const statement = prepared(sql);
        if (statement.reader) return statement.all(bind(params)).length;
        return statement.run(bind(params)).changes;
      } catch (error) {
        throw translate(error);
      }
    },
  };

  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };

  return {
    dialect: 'sqlite',
    query: (sql, params) => exclusive(() => direct.query(sql, params)),
    execute: (sql, params) => exclusive(() => direct.execute(sql, params)),
    transaction(work) {
      return exclusive(async () => {
        prepared('BEGIN IMMEDIATE').run();
        try {
          const result = await work(direct);
          prepared('COMMIT').run();
          return result;
        } catch (error) {
          if (db.inTransaction) prepared('ROLLBACK').run();
          throw error;
        }
      });
    },
    async close() {
      await exclusive(async () => db.close());
    },
  };
}
