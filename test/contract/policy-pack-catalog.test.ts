import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePolicyPackDefinition } from '../../src/domain/policy-packs/model.ts';
import { openPolicyPackCatalog, type OpenPolicyPackCatalogOptions } from '../../src/stores/policy-pack-catalog/open.ts';
import type { SqlPolicyPackCatalog } from '../../src/stores/policy-pack-catalog/sql-catalog.ts';
import { migratePostgres } from '../../src/stores/postgres/migrator.ts';
import { PostgresPools } from '../../src/stores/postgres/pools.ts';
import { freshDatabase, type TestDatabase } from '../support/postgres.ts';
import { definition, policyPackCatalogContract, type PolicyPackCatalogHandle } from './policy-pack-catalog.contract.ts';

const POOL_OPTIONS = { poolMax: 4, statementTimeoutMs: 10_000, connectTimeoutMs: 5_000 };

function baseOptions(overrides: Partial<OpenPolicyPackCatalogOptions> = {}): OpenPolicyPackCatalogOptions {
  return {
    backend: 'SQLITE',
    catalogJson: '',
    sqlitePath: ':memory:',
    postgresDsn: '',
    pools: new PostgresPools(POOL_OPTIONS),
    migrate: true,
    cacheTtlMs: 60_000,
    ...overrides,
  };
}

async function seed(handle: PolicyPackCatalogHandle, packs: Record<string, unknown>): Promise<PolicyPackCatalogHandle> {
  for (const [id, raw] of Object.entries(packs)) {
    const parsed = parsePolicyPackDefinition(id, raw);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    await handle.catalog.upsert(parsed.value);
  }
  return handle;
}

policyPackCatalogContract(
  'ENV_JSON',
  async (packs) => {
    const opened = await openPolicyPackCatalog(baseOptions({ backend: 'ENV_JSON', catalogJson: JSON.stringify(packs) }));
    return { catalog: opened.catalog, close: opened.close };
  },
  { writable: false },
);

policyPackCatalogContract(
  'SQLITE',
  async (packs) => {
    const opened = await openPolicyPackCatalog(baseOptions());
    return seed({ catalog: opened.catalog, close: opened.close }, packs);
  },
  { writable: true },
);

// One database for the POSTGRES contract run, emptied before each test.
let contractDb: TestDatabase | undefined;
async function postgresContractDb(): Promise<TestDatabase> {
  if (!contractDb) {
    contractDb = await freshDatabase();
    const pools = new PostgresPools(POOL_OPTIONS);
    await migratePostgres(pools.pool(contractDb.dsn), 'policy_packs');
    await pools.closeAll();
  }
  return contractDb;
}

policyPackCatalogContract(
  'POSTGRES',
  async (packs) => {
    const db = await postgresContractDb();
    const pools = new PostgresPools(POOL_OPTIONS);
    await pools.pool(db.dsn).query('TRUNCATE dpm_policy_packs');
    const opened = await openPolicyPackCatalog(baseOptions({ backend: 'POSTGRES', postgresDsn: db.dsn, pools, migrate: false }));
    return seed(
      {
        catalog: opened.catalog,
        close: async () => {
          await opened.close();
          await pools.closeAll();
        },
      },
      packs,
    );
  },
  { writable: true },
);

afterAll(async () => {
  await contractDb?.drop();
});

describe('opening the catalog', () => {
  it('ENV_JSON: invalid JSON refuses to open with DPM_POLICY_PACK_CATALOG_JSON_INVALID', async () => {
    await expect(openPolicyPackCatalog(baseOptions({ backend: 'ENV_JSON', catalogJson: '{"a": ' }))).rejects.toMatchObject({
      code: 'DPM_POLICY_PACK_CATALOG_JSON_INVALID',
    });
    await expect(openPolicyPackCatalog(baseOptions({ backend: 'ENV_JSON', catalogJson: '["a"]' }))).rejects.toMatchObject({
      code: 'DPM_POLICY_PACK_CATALOG_JSON_INVALID',
    });
  });

  it('ENV_JSON: an invalid entry refuses to open, naming the pack and the field (never dropped)', async () => {
    const json = JSON.stringify({ good: { version: '1' }, ' bad_pack ': { turnover_policy: { max_turnover_pct: '2' } } });
    const error = await openPolicyPackCatalog(baseOptions({ backend: 'ENV_JSON', catalogJson: json })).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DPM_POLICY_PACK_DEFINITION_INVALID', fullCode: 'DPM_POLICY_PACK_DEFINITION_INVALID:bad_pack' });
    expect((error as Error).message).toContain('turnover_policy.max_turnover_pct');
  });

  it('ENV_JSON: blank is an empty catalog; keys are trimmed and win over an embedded id', async () => {
    expect(await (await openPolicyPackCatalog(baseOptions({ backend: 'ENV_JSON', catalogJson: '  ' }))).catalog.list()).toEqual([]);
    const opened = await openPolicyPackCatalog(baseOptions({ backend: 'ENV_JSON', catalogJson: '{" k ": {"policy_pack_id": "other"}}' }));
    expect((await opened.catalog.get('k'))?.definition).toEqual(definition('k', {}));
  });

  it('POSTGRES without any DSN → DPM_POLICY_PACK_POSTGRES_DSN_REQUIRED', async () => {
    await expect(openPolicyPackCatalog(baseOptions({ backend: 'POSTGRES', postgresDsn: '  ' }))).rejects.toMatchObject({
      code: 'DPM_POLICY_PACK_POSTGRES_DSN_REQUIRED',
    });
  });

  it('POSTGRES unreachable → DPM_POLICY_PACK_POSTGRES_CONNECTION_FAILED without the password', async () => {
    const pools = new PostgresPools({ ...POOL_OPTIONS, connectTimeoutMs: 2_000 });
    const error = await openPolicyPackCatalog(
      baseOptions({ backend: 'POSTGRES', postgresDsn: 'postgresql://u:hunter2@127.0.0.1:1/db', pools }),
    ).catch((e: unknown) => e);
    await pools.closeAll();
    expect(error).toMatchObject({ code: 'DPM_POLICY_PACK_POSTGRES_CONNECTION_FAILED' });
    expect((error as Error).message).not.toContain('hunter2');
  });
});

describe('catalog cache (SQLITE file, two catalogs = two replicas, injected clock)', () => {
  it('serves reads from the cache within the TTL and sees the other replica after it', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'policy-packs-')), 'catalog.db');
    let clock = Date.parse('2026-04-01T08:00:00.000Z');
    const now = (): number => clock;
    const a = await openPolicyPackCatalog(baseOptions({ sqlitePath: path, cacheTtlMs: 1000, now }));
    const b = await openPolicyPackCatalog(baseOptions({ sqlitePath: path, cacheTtlMs: 1000, now }));
    try {
      const bStats = (b.catalog as SqlPolicyPackCatalog).stats;
      const probesBefore = bStats.probes;
      for (let i = 0; i < 50; i += 1) await b.catalog.get('x');
      expect(bStats.probes).toBe(probesBefore); // 50 reads, no database access

      await a.catalog.upsert(definition('x', {}));
      expect(await b.catalog.get('x')).toBeNull(); // still within B's TTL
      clock += 1000;
      expect((await b.catalog.get('x'))?.revision).toBe(1); // TTL elapsed: probe saw the change

      const loads = bStats.loads;
      clock += 1000;
      await b.catalog.list();
      expect(bStats.loads).toBe(loads); // probe unchanged → no reload

      await a.catalog.delete('x');
      clock += 1000;
      expect(await b.catalog.get('x')).toBeNull(); // deletes are detected too
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('sees a rename (delete + create) by a replica whose clock is behind the newest timestamp', async () => {
    // Replica clocks differ; a summary probe (count, sum of versions, max timestamps) cannot
    // tell "old" from "new" here and would serve the deleted pack until the next change.
    const path = join(mkdtempSync(join(tmpdir(), 'policy-packs-')), 'catalog.db');
    const t0 = Date.parse('2026-04-01T08:00:00.000Z');
    let observerClock = t0;
    const behind = await openPolicyPackCatalog(baseOptions({ sqlitePath: path, cacheTtlMs: 1000, now: () => t0 }));
    const ahead = await openPolicyPackCatalog(baseOptions({ sqlitePath: path, cacheTtlMs: 1000, now: () => t0 + 10_000 }));
    const observer = await openPolicyPackCatalog(baseOptions({ sqlitePath: path, cacheTtlMs: 1000, now: () => observerClock }));
    try {
      await behind.catalog.upsert(definition('old', {}));
      await ahead.catalog.upsert(definition('keep', {}));
      observerClock += 1000;
      expect((await observer.catalog.list()).map((p) => p.definition.policy_pack_id)).toEqual(['keep', 'old']);

      await behind.catalog.delete('old');
      await behind.catalog.upsert(definition('new', {}));
      observerClock += 1000;
      expect((await observer.catalog.list()).map((p) => p.definition.policy_pack_id)).toEqual(['keep', 'new']);
    } finally {
      await behind.close();
      await ahead.close();
      await observer.close();
    }
  });
});

describe('POSTGRES: two replicas on one database', () => {
  const TTL_MS = 300;
  // Documented bound: cacheTtlMs plus one probe and reload; the slack absorbs a slow shared CI machine.
  const BOUND_MS = TTL_MS + 1_000;

  it(`an upsert and a delete through one replica are seen by the other within ${BOUND_MS} ms`, async () => {
    const db = await freshDatabase();
    const poolsA = new PostgresPools(POOL_OPTIONS);
    const poolsB = new PostgresPools(POOL_OPTIONS);
    try {
      await migratePostgres(poolsA.pool(db.dsn), 'policy_packs');
      const a = await openPolicyPackCatalog(baseOptions({ backend: 'POSTGRES', postgresDsn: db.dsn, pools: poolsA, migrate: false, cacheTtlMs: TTL_MS }));
      const b = await openPolicyPackCatalog(baseOptions({ backend: 'POSTGRES', postgresDsn: db.dsn, pools: poolsB, migrate: false, cacheTtlMs: TTL_MS }));
      expect(await b.catalog.get('shared')).toBeNull(); // B has a warm cache

      const waitUntil = async (predicate: () => Promise<boolean>): Promise<number> => {
        const started = Date.now();
        while (!(await predicate())) {
          if (Date.now() - started > BOUND_MS * 3) break;
          await sleep(20);
        }
        return Date.now() - started;
      };

      await a.catalog.upsert(definition('shared', { version: 'v1' }));
      const seen = await waitUntil(async () => (await b.catalog.get('shared'))?.definition.version === 'v1');
      expect(seen).toBeLessThanOrEqual(BOUND_MS);

      await a.catalog.upsert(definition('shared', { version: 'v2' }));
      const replaced = await waitUntil(async () => (await b.catalog.get('shared'))?.revision === 2);
      expect(replaced).toBeLessThanOrEqual(BOUND_MS);

      await a.catalog.delete('shared');
      const deleted = await waitUntil(async () => (await b.catalog.get('shared')) === null);
      expect(deleted).toBeLessThanOrEqual(BOUND_MS);

      await a.close();
      await b.close();
    } finally {
      await poolsA.closeAll();
      await poolsB.closeAll();
      await db.drop();
    }
  });

  it('a lost server is DPM_POLICY_PACK_POSTGRES_UNAVAILABLE, readiness reports it, and it recovers by itself', async () => {
    const db = await freshDatabase();
    const target = new URL(db.dsn);
    const sockets = new Set<Socket>();
    const proxy = createServer((client) => {
      const upstream = connect(Number(target.port), target.hostname);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('error', () => s.destroy());
        s.on('close', () => sockets.delete(s));
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const port = (proxy.address() as AddressInfo).port;
    const viaProxy = new URL(db.dsn);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(port);
    const pools = new PostgresPools({ ...POOL_OPTIONS, connectTimeoutMs: 2_000 });
    try {
      const opened = await openPolicyPackCatalog(baseOptions({ backend: 'POSTGRES', postgresDsn: viaProxy.toString(), pools, cacheTtlMs: 0 }));
      await opened.catalog.upsert(definition('p', {}));
      expect(await opened.check()).toEqual({ ready: true });

      await new Promise<void>((resolve) => {
        proxy.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      await expect(opened.catalog.list()).rejects.toMatchObject({ code: 'DPM_POLICY_PACK_POSTGRES_UNAVAILABLE' });
      expect(await opened.check()).toEqual({ ready: false, code: 'DPM_POLICY_PACK_POSTGRES_UNAVAILABLE' });

      await new Promise<void>((resolve) => proxy.listen(port, '127.0.0.1', resolve));
      expect((await opened.catalog.list()).map((pack) => pack.definition.policy_pack_id)).toEqual(['p']);
    } finally {
      await pools.closeAll();
      proxy.close();
      for (const s of sockets) s.destroy();
      await db.drop();
    }
  });
});

