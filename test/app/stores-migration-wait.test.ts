/**
 * A service that migrates its own stores on start (LOCAL, or APP_MIGRATE_ON_STARTUP=true) and
 * finds another migrator holding the namespace lock says so in its log, naming the holder, and
 * carries on once the lock is free (docs/migrations.md) — it used to wait without a word.
 */
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStores } from '../../src/app/stores.ts';
import { loadSettings } from '../../src/config/settings.ts';
import { migrationLockKey } from '../../src/stores/migrations/lock-key.ts';
import { freshDatabase, type TestDatabase } from '../support/postgres.ts';

describe('a service migrating on start while another migrator holds the lock', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await freshDatabase();
  });

  afterAll(async () => {
    await database.drop();
  });

  it('logs who holds the lock while it waits, then opens its stores once the lock is let go', async () => {
    const holder = new pg.Client({ connectionString: database.dsn, application_name: 'maintenance-by-hand' });
    await holder.connect();
    await holder.query('SELECT pg_advisory_lock($1::bigint)', [migrationLockKey('dpm')]);

    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    const loaded = loadSettings({
      APP_PERSISTENCE_PROFILE: 'LOCAL',
      DPM_SUPPORTABILITY_STORE_BACKEND: 'POSTGRES',
      DPM_SUPPORTABILITY_POSTGRES_DSN: database.dsn,
      POSTGRES_MIGRATION_LOCK_TIMEOUT_MS: '120000',
    });
    expect(loaded.violations).toEqual([]);
    const opening = openStores(loaded.settings, logger);

    const waiting = () => lines.find((line) => String(line['msg']).startsWith('Waiting for the dpm migration lock'));
    await expect.poll(waiting, { timeout: 60_000 }).toBeDefined();
    expect(String(waiting()?.['msg'])).toContain('application "maintenance-by-hand"');
    expect(waiting()).toMatchObject({ component: 'migrate', namespace: 'dpm' });

    await holder.query('SELECT pg_advisory_unlock($1::bigint)', [migrationLockKey('dpm')]);
    await holder.end();
    const opened = await opening;
    expect(opened.ok).toBe(true);
    if (opened.ok) await opened.stores.close();
    expect(lines.some((line) => line['msg'] === 'Migration applied' && line['namespace'] === 'dpm')).toBe(true);
  });
});
