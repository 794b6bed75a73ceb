import { describe, expect, it } from 'vitest';
import { checksumOf, loadMigrationFiles } from '../../../src/stores/migrations/files.ts';
import { migrationLockKey } from '../../../src/stores/migrations/lock-key.ts';
import { planMigrations } from '../../../src/stores/migrations/plan.ts';
import { migrationsFolder } from '../../support/migration-fixtures.ts';

describe('migration files and planning', () => {
  it('lock keys match the reference vectors', () => {
    expect(migrationLockKey('dpm')).toBe('-7168526539896612686');
    expect(migrationLockKey('proposals')).toBe('-4554281633922528245');
  });

  it('checksums ignore the difference between CRLF, CR and LF only', () => {
    expect(checksumOf('a;\r\nb;\rc;')).toBe(checksumOf('a;\nb;\nc;'));
    expect(checksumOf('a;\nb;')).not.toBe(checksumOf('a; \nb;'));
  });

  it('loads files in version order and reads the no-transaction marker', () => {
    const root = migrationsFolder({
      dpm: { '10000_d.sql': 'SELECT 4;', '0002_b.sql': '-- migrate:no-transaction\nSELECT 2;', '0001_a.sql': 'SELECT 1;', '0003.sql': 'SELECT 3;', 'README.md': 'x' },
    });
    const files = loadMigrationFiles(root, 'dpm', 'POSTGRES');
    expect(files.map((f) => [f.version, f.transactional])).toEqual([
      ['0001', true],
      ['0002', false],
      ['0003', true],
      ['10000', true],
    ]);
  });

  it.each([
    [{ dpm: { '0001_a.sql': 'x', '0001_b.sql': 'y' } }, 'POSTGRES_MIGRATION_DUPLICATE_VERSION:dpm:0001'],
    [{ dpm: { '0001_a.sql': 'x', '00001_b.sql': 'y' } }, 'POSTGRES_MIGRATION_DUPLICATE_VERSION:dpm:0001'],
    [{ dpm: { 'init.sql': 'x' } }, 'POSTGRES_MIGRATION_INVALID_FILE_NAME:dpm:init.sql'],
    [{ dpm: { '1_a.sql': 'x' } }, 'POSTGRES_MIGRATION_INVALID_FILE_NAME:dpm:1_a.sql'],
    [{ proposals: { '0001_a.sql': 'x' } }, 'POSTGRES_MIGRATIONS_NAMESPACE_NOT_FOUND:dpm'],
  ])('refuses a broken folder with a clear code (%#)', (layout, fullCode) => {
    expect(() => loadMigrationFiles(migrationsFolder(layout), 'dpm', 'POSTGRES')).toThrow(expect.objectContaining({ fullCode }));
  });

  it('classifies applied, pending, drifted and unknown versions, reading legacy un-prefixed rows', () => {
    const root = migrationsFolder({ dpm: { '0001_a.sql': 'A', '0002_b.sql': 'B', '0003_c.sql': 'C' } });
    const files = loadMigrationFiles(root, 'dpm', 'POSTGRES');
    const plan = planMigrations('dpm', files, [
      { version: '0001', checksum: checksumOf('A') },
      { version: 'dpm:0002', checksum: checksumOf('B edited') },
      { version: 'dpm:0009', checksum: 'x' },
    ]);
    expect(plan.applied).toEqual(['0001', '0002']);
    expect(plan.pending.map((f) => f.version)).toEqual(['0003']);
    expect(plan.checksumDrift).toEqual([{ version: '0002', fileChecksum: checksumOf('B'), appliedChecksum: checksumOf('B edited') }]);
    expect(plan.unknown).toEqual(['0009']);
  });
});
