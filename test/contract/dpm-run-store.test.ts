import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDpmRunStore, type OpenedDpmStore } from '../../src/stores/dpm-runs/open.ts';
import { PostgresPools } from '../../src/stores/postgres/pools.ts';
import { freshDatabase } from '../support/postgres.ts';
import { dpmRunStoreContract, type StoreHandle } from './dpm-run-store.contract.ts';

// poolMax ≥ 10, so the concurrency tests race on real, separate PostgreSQL connections.
const poolOptions = { poolMax: 12, statementTimeoutMs: 10_000, connectTimeoutMs: 5_000 };

function openWith(backend: 'IN_MEMORY' | 'SQL' | 'POSTGRES', location: { sqlitePath?: string; dsn?: string }, pools: PostgresPools): Promise<OpenedDpmStore> {
  return openDpmRunStore({
    backend,
    sqlitePath: location.sqlitePath ?? '',
    postgresDsn: location.dsn ?? '',
    pools,
    migrate: true,
  });
}

/** A handle whose reopen closes the current store and opens the same location again. */
async function handleFor(durable: boolean, open: () => Promise<OpenedDpmStore>, closeLocation: () => Promise<void>): Promise<StoreHandle> {
  let opened = await open();
  return {
    durable,
    get store() {
      return opened.store;
    },
    async reopen() {
      await opened.close();
      opened = await open();
      return opened.store;
    },
    check: () => opened.check(),
    async close() {
      await opened.close();
      await closeLocation();
    },
  };
}

dpmRunStoreContract('IN_MEMORY', () => {
  const pools = new PostgresPools(poolOptions);
  return handleFor(false, () => openWith('IN_MEMORY', {}, pools), () => pools.closeAll());
});

dpmRunStoreContract('SQLITE', () => {
  const sqlitePath = join(mkdtempSync(join(tmpdir(), 'dpm-store-')), 'dpm.db');
  const pools = new PostgresPools(poolOptions);
  return handleFor(true, () => openWith('SQL', { sqlitePath }, pools), () => pools.closeAll());
});

dpmRunStoreContract('POSTGRES', async () => {
  const database = await freshDatabase();
  let pools = new PostgresPools(poolOptions);
  return handleFor(
    true,
    async () => {
      // A restart is a new process: new pools, and the migrations find the schema in place.
      await pools.closeAll();
      pools = new PostgresPools(poolOptions);
      return openWith('POSTGRES', { dsn: database.dsn }, pools);
    },
    async () => {
      await pools.closeAll();
      await database.drop();
    },
  );
});
