/**
 * The repository is the whole product: a fresh clone in a directory only its owner may enter
 * (mode 0700, as `mktemp -d` makes it) runs the same code paths as `npm test` — the global setup
 * that starts an embedded PostgreSQL, a store test on it, and a conformance test — with nothing
 * beside it. As root this is the case where PostgreSQL's unprivileged user cannot reach the
 * binaries inside the clone.
 *
 * The clone is of the committed HEAD. Its node_modules are hard links to ours (same files, so no
 * install), which keeps them inside the 0700 directory just like a real install; where hard links
 * are impossible (another file system) they are a symbolic link instead.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROCESS_LIMIT_MS } from '../support/service-process.ts';
import { REPO_ROOT } from '../support/paths.ts';

function run(command: string, args: readonly string[], cwd: string): void {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: PROCESS_LIMIT_MS });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr || result.error?.message}`);
}

/** Runs the clone's own vitest on `files`; resolves with its exit code and output. */
function vitestIn(clone: string, files: readonly string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    // A clean environment: no TEST_POSTGRES_URL (the clone must start its own server), nothing of ours.
    const child = spawn(process.execPath, [join(clone, 'node_modules/vitest/vitest.mjs'), 'run', ...files], {
      cwd: clone,
      env: { PATH: process.env['PATH'], HOME: process.env['HOME'], CI: 'true', NO_COLOR: '1' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), PROCESS_LIMIT_MS * 2);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('a fresh clone in a 0700 directory', () => {
  let parent: string;
  let clone: string;

  beforeAll(() => {
    parent = mkdtempSync(join(tmpdir(), 'dpm-clone-'));
    chmodSync(parent, 0o700);
    clone = join(parent, 'service');
    run('git', ['clone', '--quiet', '--no-hardlinks', REPO_ROOT, clone], parent);
    const linked = spawnSync('cp', ['-al', join(REPO_ROOT, 'node_modules'), join(clone, 'node_modules')]);
    if (linked.status !== 0) symlinkSync(join(REPO_ROOT, 'node_modules'), join(clone, 'node_modules'), 'dir');
  });

  afterAll(() => {
    if (parent) rmSync(parent, { recursive: true, force: true });
  });

  it('has nothing beside it: no shared folder, and its parent is private', () => {
    expect(existsSync(join(clone, '..', 'shared'))).toBe(false);
    expect(statSync(parent).mode & 0o777).toBe(0o700);
  });

  it('starts its own PostgreSQL and passes a store test and the conformance vectors', async () => {
    const { code, output } = await vitestIn(clone, ['test/stores/postgres/harness.test.ts', 'test/domain/dpm/conformance.test.ts']);
    expect(code, output).toBe(0);
    expect(output).toMatch(/Test Files {2}2 passed \(2\)/);
  });
});
