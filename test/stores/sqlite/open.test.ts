import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteDatabase } from '../../../src/stores/sqlite/open.ts';

describe('openSqliteDatabase', () => {
  it('creates missing parent folders and opens the file in WAL mode with foreign keys and a busy timeout', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sqlite-')), 'nested', 'dir', 'store.db');
    const db = openSqliteDatabase(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
    db.exec('CREATE TABLE parent (id INTEGER PRIMARY KEY); CREATE TABLE child (parent_id INTEGER REFERENCES parent (id));');
    expect(() => db.prepare('INSERT INTO child VALUES (42)').run()).toThrow(/FOREIGN KEY/);
    db.close();
  });

  it(':memory: stays in memory (no WAL) and still enforces foreign keys', () => {
    const db = openSqliteDatabase(':memory:');
    expect(db.pragma('journal_mode', { simple: true })).toBe('memory');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });
});
