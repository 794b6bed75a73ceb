/**
 * The compiled program, as the container image runs it: `npm run build` output started with plain
 * `node dist/main.js …` (no tsx), migrations read from dist/, a PRODUCTION server that drains and
 * exits 0 on SIGTERM.
 *
 * The build goes to a temporary folder laid out like an install (package.json, node_modules, dist/)
 * so the test never touches the checkout's own dist/.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../support/postgres.ts';
import { compiled, PROCESS_LIMIT_MS, productionEnv, runCli, startService, type Program } from '../support/service-process.ts';
import { REPO_ROOT } from '../support/paths.ts';

const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
/** The DPM migration versions the sources hold, e.g. ['0001', '0002']. */
const dpmVersions = readdirSync(join(REPO_ROOT, 'src/stores/postgres/migrations/dpm'))
  .filter((file) => file.endsWith('.sql'))
  .map((file) => file.slice(0, 4))
  .sort();

describe('the compiled program (npm run build → node dist/main.js)', () => {
  let install: string;
  let program: Program;
  let database: TestDatabase;

  beforeAll(async () => {
    install = mkdtempSync(join(tmpdir(), 'dpm-dist-'));
    const build = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts', '--out-dir', join(install, 'dist')], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: PROCESS_LIMIT_MS,
    });
    expect(build.status, `${build.stdout}\n${build.stderr}`).toBe(0);
    copyFileSync(join(REPO_ROOT, 'package.json'), join(install, 'package.json'));
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(install, 'node_modules'), 'dir');
    program = compiled(install);
    database = await freshDatabase();
  });

  afterAll(async () => {
    await database?.drop();
    rmSync(install, { recursive: true, force: true });
  });

  it('contains JavaScript and the SQL migrations, and no TypeScript', () => {
    const listed = spawnSync('find', [join(install, 'dist'), '-type', 'f'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
    expect(listed.filter((file) => file.endsWith('.ts'))).toEqual([]);
    expect(listed.some((file) => file.endsWith('/stores/postgres/migrations/dpm/0001_baseline.sql'))).toBe(true);
    expect(existsSync(join(install, 'dist', 'main.js'))).toBe(true);
  });

  it('--version reads the version and the commit recorded at build time', async () => {
    const build = JSON.parse(readFileSync(join(install, 'dist', 'build-info.json'), 'utf8')) as { commit: string };
    const run = await runCli(['--version'], {}, PROCESS_LIMIT_MS, program);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${pkg.version} (commit ${build.commit.slice(0, 12)})\n`);
  });

  it('migrate --status, migrate, and migrate --status again, with the migrations shipped in dist/', async () => {
    const env = productionEnv(database.dsn);
    const before = await runCli(['migrate', '--target', 'dpm', '--status', '--json'], env, PROCESS_LIMIT_MS, program);
    expect(JSON.parse(before.stdout)).toMatchObject({ namespaces: [{ namespace: 'dpm', applied: [], pending: dpmVersions }] });

    const applied = await runCli(['migrate', '--target', 'all'], env, PROCESS_LIMIT_MS, program);
    expect(applied.code, applied.stderr).toBe(0);

    const after = await runCli(['migrate', '--target', 'dpm', '--status', '--json'], env, PROCESS_LIMIT_MS, program);
    expect(after.code).toBe(0);
    expect(JSON.parse(after.stdout)).toMatchObject({ ok: true, namespaces: [{ namespace: 'dpm', applied: dpmVersions, pending: [] }] });
  });

  it('serves in PRODUCTION on the migrated database, then drains and exits 0 on SIGTERM', async () => {
    const service = await startService(productionEnv(database.dsn), PROCESS_LIMIT_MS, program);
    try {
      const ready = await fetch(`${service.baseUrl}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ profile: 'PRODUCTION' });
    } finally {
      expect(await service.stop('SIGTERM')).toBe(0);
    }
  });
});
