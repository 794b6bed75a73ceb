import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NAMESPACES } from '../../../src/stores/migrations/namespaces.ts';
import { migrateSqlite, sqliteMigrationStatus } from '../../../src/stores/sqlite/migrator.ts';
import { openSqliteDatabase } from '../../../src/stores/sqlite/open.ts';
import { migrationsFolder } from '../../support/migration-fixtures.ts';

const tableNames = (db: ReturnType<typeof openSqliteDatabase>): string[] =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);

describe('migrateSqlite (real SQLite file)', () => {
  const BASIC = { dpm: { '0001_a.sql': "CREATE TABLE a (id INTEGER, note TEXT DEFAULT 'x;y');", '0002_b.sql': 'CREATE TABLE b (id INTEGER);' } };

  it('creates the parent folder, applies forward only and idempotently, and persists', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sqlite-')), 'nested', 'dir', 'store.db');
    const root = migrationsFolder(BASIC);
    const db = openSqliteDatabase(path);
    expect(migrateSqlite(db, 'dpm', { migrationsRoot: root })).toEqual({ namespace: 'dpm', applied: ['0001', '0002'], alreadyApplied: [] });
    db.close();
    const reopened = openSqliteDatabase(path);
    expect(migrateSqlite(reopened, 'dpm', { migrationsRoot: root }).applied).toEqual([]);
    expect(tableNames(reopened)).toEqual(['a', 'b', 'schema_migrations']);
    expect(reopened.pragma('journal_mode', { simple: true })).toBe('wal');
    reopened.close();
  });

  it('refuses an edited applied file', () => {
    const root = migrationsFolder(BASIC);
    const db = openSqliteDatabase(':memory:');
    migrateSqlite(db, 'dpm', { migrationsRoot: root });
    const edited = mkdtempSync(join(tmpdir(), 'edited-'));
    cpSync(root, edited, { recursive: true });
    writeFileSync(join(edited, 'dpm', '0001_a.sql'), 'CREATE TABLE a (id INTEGER);');
    expect(() => migrateSqlite(db, 'dpm', { migrationsRoot: edited })).toThrow(
      expect.objectContaining({ fullCode: 'SQLITE_MIGRATION_CHECKSUM_MISMATCH:dpm:0001' }),
    );
  });

  it('a failing file leaves no partial schema and no history row', () => {
    const db = openSqliteDatabase(':memory:');
    const root = migrationsFolder({
      dpm: { '0001_ok.sql': 'CREATE TABLE ok (id INTEGER);', '0002_bad.sql': 'CREATE TABLE half (id INTEGER);\nINSERT INTO nope VALUES (1);' },
    });
    expect(() => migrateSqlite(db, 'dpm', { migrationsRoot: root })).toThrow(expect.objectContaining({ fullCode: 'SQLITE_MIGRATION_FAILED:dpm:0002' }));
    expect(tableNames(db)).toEqual(['ok', 'schema_migrations']);
    expect(sqliteMigrationStatus(db, 'dpm', { migrationsRoot: root }).pending.map((f) => f.version)).toEqual(['0002']);
  });

  it('two connections to one file apply each migration once', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sqlite-')), 'shared.db');
    const root = migrationsFolder(BASIC);
    const first = openSqliteDatabase(path);
    const second = openSqliteDatabase(path);
    const a = migrateSqlite(first, 'dpm', { migrationsRoot: root });
    const b = migrateSqlite(second, 'dpm', { migrationsRoot: root });
    expect([...a.applied, ...b.applied]).toEqual(['0001', '0002']);
    first.close();
    second.close();
  });

  it('the shipped SQLite migrations of every namespace apply cleanly', () => {
    const db = openSqliteDatabase(':memory:');
    for (const namespace of NAMESPACES) {
      expect(migrateSqlite(db, namespace).applied.length).toBeGreaterThan(0);
      expect(sqliteMigrationStatus(db, namespace).pending).toEqual([]);
    }
  });
});
