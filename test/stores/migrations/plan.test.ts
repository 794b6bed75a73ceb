import { describe, expect, it } from 'vitest';
import { checksumOf, loadMigrationFiles } from '../../../src/stores/migrations/files.ts';
import { migrationLockKey } from '../../../src/stores/migrations/lock-key.ts';
import { planMigrations } from '../../../src/stores/migrations/plan.ts';
import { assertMigratable } from '../../../src/stores/migrations/verdict.ts';
import type { ReasonError } from '../../../src/config/reason-codes.ts';
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

  it('classifies applied, pending and drifted versions, reading legacy un-prefixed rows', () => {
    const root = migrationsFolder({ dpm: { '0001_a.sql': 'A', '0002_b.sql': 'B', '0003_c.sql': 'C' } });
    const files = loadMigrationFiles(root, 'dpm', 'POSTGRES');
    const plan = planMigrations('dpm', files, [
      { version: '0001', checksum: checksumOf('A') },
      { version: 'dpm:0002', checksum: checksumOf('B edited') },
    ]);
    expect(plan.applied).toEqual(['0001', '0002']);
    expect(plan.pending.map((f) => f.version)).toEqual(['0003']);
    expect(plan.checksumDrift).toEqual([{ version: '0002', fileChecksum: checksumOf('B'), appliedChecksum: checksumOf('B edited') }]);
    expect([plan.unknown, plan.future, plan.gaps]).toEqual([[], [], []]);
  });

  describe('versions the database has and the code lacks (Flyway defaults)', () => {
    const files = loadMigrationFiles(migrationsFolder({ dpm: { '0001_a.sql': 'A', '0003_c.sql': 'C' } }), 'dpm', 'POSTGRES');
    /** A history row as a migrator writes it: the file's checksum when there is a file. */
    const row = (version: string): { version: string; checksum: string } => ({
      version: `dpm:${version}`,
      checksum: files.find((f) => f.version === version)?.checksum ?? 'no file to compare with',
    });
    const verdict = (history: { version: string; checksum: string }[]): string | undefined => {
      try {
        assertMigratable(planMigrations('dpm', files, history), 'POSTGRES');
        return undefined;
      } catch (error) {
        return (error as ReasonError).fullCode;
      }
    };

    it('above the newest file they are future: allowed, in numeric order, their checksums unchecked', () => {
      const history = [row('0001'), row('0003'), row('10000'), row('0004')];
      const plan = planMigrations('dpm', files, history);
      expect(plan.future).toEqual(['0004', '10000']);
      expect([plan.unknown, plan.gaps, plan.checksumDrift, plan.pending]).toEqual([[], [], [], []]);
      expect(verdict(history)).toBeUndefined();
    });

    it('at or below the newest file they are unknown, and refused', () => {
      const history = [row('0001'), row('0002')];
      const plan = planMigrations('dpm', files, history);
      expect([plan.unknown, plan.future]).toEqual([['0002'], []]);
      expect(verdict(history)).toBe('POSTGRES_MIGRATION_UNKNOWN_VERSION:dpm:0002');
    });

    it('a version that is not a number is unknown, whatever it would sort as', () => {
      expect(planMigrations('dpm', files, [row('9999x')]).unknown).toEqual(['9999x']);
    });

    it('a file never applied below a version the database has is a gap, and refused, future versions included', () => {
      const history = [row('0003'), row('0004')];
      const plan = planMigrations('dpm', files, history);
      expect(plan.gaps).toEqual(['0001']);
      expect(plan.pending.map((f) => f.version)).toEqual(['0001']);
      expect(verdict(history)).toBe('POSTGRES_MIGRATION_GAP:dpm:0001');
      // A future version alone makes the files missing below it gaps.
      expect(planMigrations('dpm', files, [row('0001'), row('0007')]).gaps).toEqual(['0003']);
    });

    it('files after the newest applied version are plainly pending', () => {
      const plan = planMigrations('dpm', files, [row('0001')]);
      expect([plan.pending.map((f) => f.version), plan.gaps]).toEqual([['0003'], []]);
    });

    it('drift is reported before unknown versions and gaps', () => {
      expect(verdict([{ version: 'dpm:0001', checksum: 'edited' }, row('0002')])).toBe('POSTGRES_MIGRATION_CHECKSUM_MISMATCH:dpm:0001');
    });
  });
});
