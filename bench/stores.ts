/**
 * `npm run bench:stores [-- --json] [-- --large N]`: store figures per backend (DPM supportability,
 * and the proposal store via bench/stores/proposals.ts when that file exists).
 * PostgreSQL is an embedded server started here (durable settings: fsync on), or BENCH_POSTGRES_URL.
 * Figures are measurements of this machine, not assertions; see docs/performance.md.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDpmRunStore } from '../src/stores/dpm-runs/open.ts';
import { PostgresPools } from '../src/stores/postgres/pools.ts';
import { benchPostgres } from './support/postgres.ts';
import { benchProposalStore } from './stores/proposals.ts';
import { bulkLoadPostgres, measureReads, writeRuns } from './stores/dpm.ts';

const args = process.argv.slice(2);
const json = args.includes('--json');
const largeIndex = args.indexOf('--large');
const LARGE = largeIndex >= 0 ? Number(args[largeIndex + 1]) : 1_000_000;
const SMALL = 10_000;
const log = (line: string): void => void (json ? process.stderr : process.stdout).write(`${line}\n`);

async function main(): Promise<void> {
  const server = await benchPostgres();
  const pools = new PostgresPools({ poolMax: 16, statementTimeoutMs: 60_000, connectTimeoutMs: 5_000 });
  const results: Record<string, unknown> = {};
  const dpm: Record<string, unknown> = {};
  try {
    const backends = [
      { backend: 'IN_MEMORY' as const, sqlitePath: '', dsn: '' },
      { backend: 'SQL' as const, sqlitePath: join(mkdtempSync(join(tmpdir(), 'bench-')), 'dpm.db'), dsn: '' },
      { backend: 'POSTGRES' as const, sqlitePath: '', dsn: await server.createDatabase('bench') },
    ];
    for (const { backend, sqlitePath, dsn } of backends) {
      const { store } = await openDpmRunStore({ backend, sqlitePath, postgresDsn: dsn, pools, migrate: true });
      log(`${backend}: writing ${SMALL} runs…`);
      const recordsPerSecond = await writeRuns(store, 0, SMALL, backend === 'POSTGRES' ? 16 : 1);
      const figures: Record<string, unknown> = { records_per_second: recordsPerSecond, at_10k: await measureReads(store, SMALL) };
      if (backend === 'POSTGRES' && LARGE > SMALL) {
        log(`${backend}: bulk-loading to ${LARGE} runs…`);
        await bulkLoadPostgres(dsn, SMALL, LARGE);
        figures[`at_${LARGE >= 1_000_000 ? `${LARGE / 1_000_000}M` : LARGE}`] = await measureReads(store, LARGE);
      }
      dpm[backend] = figures;
      log(JSON.stringify({ [backend]: figures }, null, 2));
      if (backend !== 'POSTGRES') await store.close();
    }
    const proposals: Record<string, Awaited<ReturnType<typeof benchProposalStore>>> = {};
    for (const backend of ['IN_MEMORY', 'SQLITE', 'POSTGRES'] as const) {
      log(`proposals ${backend}…`);
      proposals[backend] = await benchProposalStore(
        backend === 'POSTGRES'
          ? { backend, dsn: await server.createDatabase('bench') }
          : backend === 'SQLITE'
            ? { backend, sqlitePath: join(mkdtempSync(join(tmpdir(), 'bench-')), 'proposals.db') }
            : { backend },
      );
      log(JSON.stringify({ [backend]: proposals[backend] }, null, 2));
    }
    results['proposals'] = proposals;
  } finally {
    await pools.closeAll();
    await server.stop();
  }
  if (json) process.stdout.write(`${JSON.stringify({ dpm_supportability: dpm, ...results })}\n`);
}

await main();
