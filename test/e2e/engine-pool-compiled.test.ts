/**
 * The compiled service (`npm run build`) runs the engine in its worker threads: the worker entry
 * is emitted next to the pool and found from the pool's own location, without tsx. Built into a
 * temporary folder with the project's build configuration.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/paths.ts';

const run = promisify(execFile);

// Runs in the build folder: one call forced into a worker thread, one inline, both printed.
const SCRIPT = `
import { readFileSync } from 'node:fs';
import { createEnginePool, INLINE_ENGINE } from './dist/services/engine/engine-pool.js';
import { validateRebalanceRequest } from './dist/domain/dpm/index.js';
const vector = JSON.parse(readFileSync(process.argv[1], 'utf8'));
const paths = [];
const pool = createEnginePool({ threads: 1, queueMax: 1, callTimeoutMs: 60000, inlineMaxRows: 0 }, { settled: (path, outcome) => paths.push(path + ':' + outcome) });
const input = { request: validateRebalanceRequest(vector.request).value, context: { runId: 'rr_compiled', correlationId: 'corr_compiled', requestHash: 'sha256:compiled' } };
const pooled = await pool.run('rebalance', input);
const inline = await INLINE_ENGINE.run('rebalance', input);
await pool.close();
console.log(JSON.stringify({ paths, same: JSON.stringify(pooled) === JSON.stringify(inline), status: pooled.status }));
`;

describe('engine worker pool, compiled', () => {
  const folder = mkdtempSync(join(tmpdir(), 'engine-build-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('runs a call in a worker thread from dist/, byte-identical to inline', { timeout: 240_000 }, async () => {
    await run(process.execPath, [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(REPO_ROOT, 'tsconfig.build.json'), '--outDir', join(folder, 'dist')], { cwd: REPO_ROOT });
    // An ES module package with the project's dependencies, as in an image built from dist/.
    copyFileSync(join(REPO_ROOT, 'package.json'), join(folder, 'package.json'));
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(folder, 'node_modules'));
    const vector = join(REPO_ROOT, 'test/fixtures/conformance/dpm-large/large_200.json');
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', SCRIPT, vector], { cwd: folder, env: { PATH: process.env['PATH'] } });
    expect(JSON.parse(stdout)).toEqual({ paths: ['pool:ok'], same: true, status: expect.any(String) });
  });
});
