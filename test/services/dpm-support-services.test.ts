/**
 * Artifact store modes and the retention scheduler against a real (in-memory SQLite) store.
 */
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { buildRunArtifact } from '../../src/domain/dpm/run-artifact.ts';
import { createDpmArtifactResolver, persistingArtifacts } from '../../src/services/dpm/artifact.ts';
import { createRetentionScheduler } from '../../src/services/dpm/retention.ts';
import { openDpmRunStore } from '../../src/stores/dpm-runs/open.ts';
import type { DpmRunStore, RunRecord } from '../../src/stores/dpm-runs/port.ts';
import { PostgresPools } from '../../src/stores/postgres/pools.ts';

let store: DpmRunStore | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

async function memoryStore(): Promise<DpmRunStore> {
  const opened = await openDpmRunStore({
    backend: 'IN_MEMORY',
    sqlitePath: ':memory:',
    postgresDsn: '',
    pools: new PostgresPools({ poolMax: 1, statementTimeoutMs: 1000, connectTimeoutMs: 1000 }),
    migrate: true,
  });
  store = opened.store;
  return opened.store;
}

const run = (id: string, createdAt: string, key: string | null = null): RunRecord => ({
  rebalance_run_id: id,
  correlation_id: `corr-${id}`,
  request_hash: `sha256:${id}`,
  idempotency_key: key,
  portfolio_id: 'pf_1',
  status: 'READY',
  created_at: createdAt,
  result_json: { rebalance_run_id: id, status: 'READY', lineage: { engine_version: null } },
});

const silent = pino({ level: 'silent' });

describe('run artifacts', () => {
  it('PERSISTED backfills a run recorded without an artifact, then serves the stored copy', async () => {
    const db = await memoryStore();
    await db.recordRun({ run: run('rr_1', '2026-02-21T09:00:00.000Z'), lineage: [], replay: true });
    expect(await db.getArtifact('rr_1')).toBeNull();
    const resolver = createDpmArtifactResolver({ store: db, mode: 'PERSISTED' });
    const stored = (await db.getRun('rr_1')) as RunRecord;
    const first = await resolver.artifactOf(stored);
    expect(await db.getArtifact('rr_1')).toEqual(first);
    expect(await resolver.artifactOf(stored)).toEqual(first);
  });

  it('the PERSISTED store wrapper saves the artifact of each newly recorded run only', async () => {
    const db = persistingArtifacts(await memoryStore(), silent);
    const recorded = await db.recordRun({ run: run('rr_2', '2026-02-21T09:00:00.000Z', 'k'), lineage: [], replay: true });
    expect(recorded.outcome).toBe('recorded');
    expect(await db.getArtifact('rr_2')).toEqual(buildRunArtifact((await db.getRun('rr_2')) as RunRecord));
    const conflicting = await db.recordRun({ run: run('rr_3', '2026-02-21T09:00:01.000Z', 'k'), lineage: [], replay: true });
    expect(conflicting.outcome).toBe('conflict');
    expect(await db.getArtifact('rr_3')).toBeNull();
  });

  it('DERIVED never writes', async () => {
    const db = await memoryStore();
    await db.recordRun({ run: run('rr_4', '2026-02-21T09:00:00.000Z'), lineage: [], replay: true });
    const resolver = createDpmArtifactResolver({ store: db, mode: 'DERIVED' });
    expect(await resolver.artifactOf((await db.getRun('rr_4')) as RunRecord)).toMatchObject({ artifact_id: 'dra_4' });
    expect(await db.getArtifact('rr_4')).toBeNull();
  });
});

describe('retention scheduler', () => {
  it('purges runs older than the retention days at the injected clock, and nothing when off', async () => {
    const db = await memoryStore();
    await db.recordRun({ run: run('rr_old', '2026-02-18T12:00:00.000Z', 'old-key'), lineage: [], replay: true });
    await db.recordRun({ run: run('rr_new', '2026-02-20T12:00:01.000Z'), lineage: [], replay: true });
    const now = () => new Date('2026-02-21T12:00:00.000Z');
    expect(await createRetentionScheduler({ store: db, days: 0, intervalMs: 1000, logger: silent, now }).purgeOnce()).toBe(0);
    const scheduler = createRetentionScheduler({ store: db, days: 1, intervalMs: 1000, logger: silent, now });
    expect(await scheduler.purgeOnce()).toBe(1);
    expect(await db.getRun('rr_old')).toBeNull();
    expect(await db.getIdempotencyMapping('old-key')).toBeNull();
    expect(await db.getRun('rr_new')).not.toBeNull();
    expect(await scheduler.purgeOnce()).toBe(0);
  });

  it('a failing purge is logged and the timer carries on; stop waits for it', async () => {
    const warnings: string[] = [];
    let calls = 0;
    const scheduler = createRetentionScheduler({
      store: {
        purgeRunsBefore: async () => {
          calls += 1;
          throw new Error('connect ECONNREFUSED postgres://user:secret@db:5432/x');
        },
      },
      days: 1,
      intervalMs: 100,
      logger: { info: () => {}, warn: (fields: object) => void warnings.push(JSON.stringify(fields)) },
    });
    scheduler.start();
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (calls >= 2) {
          clearInterval(poll);
          resolve();
        }
      }, 20);
    });
    await scheduler.stop();
    expect(warnings.length).toBeGreaterThanOrEqual(2);
    expect(warnings.join()).not.toContain('secret');
  });
});
