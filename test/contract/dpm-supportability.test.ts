import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDpmSupportabilityStore } from '../../src/stores/dpm-supportability/open.ts';
import type { DpmSupportabilityStore } from '../../src/stores/dpm-supportability/port.ts';
import { PostgresPools } from '../../src/stores/postgres/pools.ts';
import { freshDatabase } from '../support/postgres.ts';
import { dpmSupportabilityContract, type StoreHandle } from './dpm-supportability.contract.ts';

const poolOptions = { poolMax: 12, statementTimeoutMs: 10_000, connectTimeoutMs: 5_000 };

async function openWith(backend: 'IN_MEMORY' | 'SQL' | 'POSTGRES', location: { sqlitePath?: string; dsn?: string }, pools: PostgresPools): Promise<DpmSupportabilityStore> {
  const { store } = await openDpmSupportabilityStore({
    backend,
    sqlitePath: location.sqlitePath ?? '',
    postgresDsn: location.dsn ?? '',
    pools,
    migrate: true,
  });
  return store;
}

dpmSupportabilityContract('IN_MEMORY', async () => {
  const pools = new PostgresPools(poolOptions);
  const store = await openWith('IN_MEMORY', {}, pools);
  return { store, close: () => store.close() } satisfies StoreHandle;
});

dpmSupportabilityContract('SQLITE', async () => {
  const sqlitePath = join(mkdtempSync(join(tmpdir(), 'dpm-store-')), 'dpm.db');
  const pools = new PostgresPools(poolOptions);
  let store = await openWith('SQL', { sqlitePath }, pools);
  return {
    store,
    reopen: async () => {
      await store.close();
      store = await openWith('SQL', { sqlitePath }, pools);
      return store;
    },
    close: () => store.close(),
  } satisfies StoreHandle;
});

dpmSupportabilityContract('POSTGRES', async () => {
  const database = await freshDatabase();
  let pools = new PostgresPools(poolOptions);
  let store = await openWith('POSTGRES', { dsn: database.dsn }, pools);
  return {
    store,
    reopen: async () => {
      await pools.closeAll();
      pools = new PostgresPools(poolOptions);
      store = await openWith('POSTGRES', { dsn: database.dsn }, pools);
      return store;
    },
    close: async () => {
      await pools.closeAll();
      await database.drop();
    },
  } satisfies StoreHandle;
});
