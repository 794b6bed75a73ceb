import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NAMESPACES } from '../../../src/stores/migrations/namespaces.ts';
import { migrateSqlite, verifySqliteMigrations } from '../../../src/stores/sqlite/migrator.ts';
import { openSqliteDatabase } from '../../../src/stores/sqlite/open.ts';
import { migrationsFolder } from '../../support/migration-fixtures.ts';

type Db = ReturnType<typeof openSqliteDatabase>;

const tableNames = (db: Db): string[] =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
const history = (db: Db): string[] => (db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: string }[]).map((r) => r.version);
const tempFile = (name: string): string => join(mkdtempSync(join(tmpdir(), 'sqlite-')), name);

const BASIC = { dpm: { '0001_a.sql': "CREATE TABLE a (id INTEGER, note TEXT DEFAULT 'x;y');", '0002_b.sql': 'CREATE TABLE b (id INTEGER);' } };

describe('migrateSqlite (real SQLite files)', () => {
  it('applies forward only and idempotently, and the history persists in the file', () => {
    const path = tempFile('store.db');
    const root = migrationsFolder(BASIC);
    const db = openSqliteDatabase(path);
    expect(migrateSqlite(db, 'dpm', { migrationsRoot: root })).toEqual({ namespace: 'dpm', applied: ['0001', '0002'], alreadyApplied: [], future: [] });
    db.close();
    const reopened = openSqliteDatabase(path);
    expect(migrateSqlite(reopened, 'dpm', { migrationsRoot: root })).toEqual({ namespace: 'dpm', applied: [], alreadyApplied: ['0001', '0002'], future: [] });
    expect(tableNames(reopened)).toEqual(['a', 'b', 'schema_migrations']);
    expect(reopened.prepare('SELECT version, namespace, length(checksum) AS len FROM schema_migrations ORDER BY version').all()).toEqual([
      { version: 'dpm:0001', namespace: 'dpm', len: 64 },
      { version: 'dpm:0002', namespace: 'dpm', len: 64 },
    ]);
    reopened.close();
  });

  it('refuses an edited applied file with SQLITE_MIGRATION_CHECKSUM_MISMATCH', () => {
    const root = migrationsFolder(BASIC);
    const db = openSqliteDatabase(tempFile('edited.db'));
    migrateSqlite(db, 'dpm', { migrationsRoot: root });
    const edited = mkdtempSync(join(tmpdir(), 'edited-'));
    cpSync(root, edited, { recursive: true });
    writeFileSync(join(edited, 'dpm', '0001_a.sql'), 'CREATE TABLE a (id INTEGER);');
    expect(() => migrateSqlite(db, 'dpm', { migrationsRoot: edited })).toThrow(expect.objectContaining({ fullCode: 'SQLITE_MIGRATION_CHECKSUM_MISMATCH:dpm:0001' }));
    db.close();
  });

  it('runs each file whole: trigger bodies and ; inside strings work', () => {
    const db = openSqliteDatabase(':memory:');
    const root = migrationsFolder({
      dpm: {
        '0001_trigger.sql': `CREATE TABLE notes (body TEXT);
CREATE TABLE audit (what TEXT);
CREATE TRIGGER notes_audit AFTER INSERT ON notes BEGIN
  INSERT INTO audit VALUES ('added; ' || NEW.body);
END;
INSERT INTO notes VALUES ('semi;colon; inside');`,
      },
    });
    migrateSqlite(db, 'dpm', { migrationsRoot: root });
    expect(db.prepare('SELECT (SELECT body FROM notes) AS body, (SELECT what FROM audit) AS what').get()).toEqual({
      body: 'semi;colon; inside',
      what: 'added; semi;colon; inside',
    });
  });

  it('a failing file leaves no partial schema and no history row', () => {
    const db = openSqliteDatabase(':memory:');
    const root = migrationsFolder({
      dpm: { '0001_ok.sql': 'CREATE TABLE ok (id INTEGER);', '0002_bad.sql': 'CREATE TABLE half (id INTEGER);\nINSERT INTO nope VALUES (1);' },
    });
    expect(() => migrateSqlite(db, 'dpm', { migrationsRoot: root })).toThrow(expect.objectContaining({ fullCode: 'SQLITE_MIGRATION_FAILED:dpm:0002' }));
    expect(tableNames(db)).toEqual(['ok', 'schema_migrations']);
    expect(history(db)).toEqual(['dpm:0001']);
  });

  it('runs a no-transaction file (VACUUM cannot run inside one)', () => {
    const db = openSqliteDatabase(tempFile('vacuum.db'));
    const root = migrationsFolder({ dpm: { '0001_t.sql': 'CREATE TABLE t (id INTEGER);', '0002_vacuum.sql': '-- migrate:no-transaction\nVACUUM;' } });
    expect(migrateSqlite(db, 'dpm', { migrationsRoot: root }).applied).toEqual(['0001', '0002']);
    expect(history(db)).toEqual(['dpm:0001', 'dpm:0002']);
    db.close();
  });

  it('two connections to one file apply each migration once', () => {
    const path = tempFile('shared.db');
    const root = migrationsFolder(BASIC);
    const first = openSqliteDatabase(path);
    const second = openSqliteDatabase(path);
    // The second connection planned before the first applied anything, as a racing process would.
    const a = migrateSqlite(first, 'dpm', { migrationsRoot: root });
    const b = migrateSqlite(second, 'dpm', { migrationsRoot: root });
    expect([...a.applied, ...b.applied]).toEqual(['0001', '0002']);
    expect(history(second)).toEqual(['dpm:0001', 'dpm:0002']);
    first.close();
    second.close();
  });

  it('leaves a version above its newest file alone (future), and refuses an unknown one below it', () => {
    const db = openSqliteDatabase(':memory:');
    const root = migrationsFolder(BASIC);
    migrateSqlite(db, 'dpm', { migrationsRoot: root });
    db.prepare("INSERT INTO schema_migrations VALUES ('dpm:0003', 'dpm', 'abc', '2026-01-01T00:00:00.000Z')").run();
    expect(verifySqliteMigrations(db, 'dpm', { migrationsRoot: root }).plan).toMatchObject({ future: ['0003'], unknown: [] });
    expect(migrateSqlite(db, 'dpm', { migrationsRoot: root })).toEqual({ namespace: 'dpm', applied: [], alreadyApplied: ['0001', '0002'], future: ['0003'] });
    db.prepare("INSERT INTO schema_migrations VALUES ('dpm:0000', 'dpm', 'abc', '2026-01-01T00:00:00.000Z')").run();
    expect(() => migrateSqlite(db, 'dpm', { migrationsRoot: root })).toThrow(expect.objectContaining({ fullCode: 'SQLITE_MIGRATION_UNKNOWN_VERSION:dpm:0000' }));
  });

  it('refuses a duplicated version before touching the database', () => {
    const db = openSqliteDatabase(':memory:');
    const root = migrationsFolder({ dpm: { '0001_a.sql': 'CREATE TABLE a (id INTEGER);', '0001_b.sql': 'CREATE TABLE b (id INTEGER);' } });
    expect(() => migrateSqlite(db, 'dpm', { migrationsRoot: root })).toThrow(expect.objectContaining({ fullCode: 'SQLITE_MIGRATION_DUPLICATE_VERSION:dpm:0001' }));
    expect(tableNames(db)).toEqual([]);
  });

  it('verifySqliteMigrations reports a never-migrated database and creates nothing', () => {
    const db = openSqliteDatabase(':memory:');
    const status = verifySqliteMigrations(db, 'dpm', { migrationsRoot: migrationsFolder(BASIC) });
    expect(status.historyTableExists).toBe(false);
    expect(status.plan.pending.map((f) => f.version)).toEqual(['0001', '0002']);
    expect(tableNames(db)).toEqual([]);
  });

  it('the shipped SQLite migrations of every namespace apply cleanly', () => {
    const db = openSqliteDatabase(':memory:');
    for (const namespace of NAMESPACES) {
      expect(migrateSqlite(db, namespace).applied.length).toBeGreaterThan(0);
      expect(verifySqliteMigrations(db, namespace).plan.pending).toEqual([]);
    }
  });
});
