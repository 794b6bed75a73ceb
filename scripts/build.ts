/**
 * `npm run build [-- --out-dir DIR]`: a clean `dist/` (or DIR) that runs every command with plain
 * `node dist/main.js …`.
 *
 * 1. removes the previous `dist/` (tsc never deletes what a renamed source left behind);
 * 2. compiles `src/` with tsconfig.build.json;
 * 3. copies the files the program reads at run time that tsc does not emit (the SQL migrations),
 *    keeping their paths relative to the module that loads them;
 * 4. records the git commit in `dist/build-info.json` (an image built from `dist/` has no .git):
 *    GIT_COMMIT when set (a container build passes it as a build argument), else the checkout's.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');
const outDirFlag = process.argv.indexOf('--out-dir');
const dist = outDirFlag >= 0 ? resolve(process.argv[outDirFlag + 1] ?? 'dist') : join(root, 'dist');
/** Run-time data files tsc does not copy. */
const ASSET = /\.sql$/;

rmSync(dist, { recursive: true, force: true });

const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', dist], {
  stdio: 'inherit',
});
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

let copied = 0;
for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !ASSET.test(entry.name)) continue;
  const from = join(entry.parentPath, entry.name);
  cpSync(from, join(dist, relative(src, from)));
  copied += 1;
}

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}
const commit = process.env['GIT_COMMIT']?.trim() || gitCommit();
writeFileSync(join(dist, 'build-info.json'), `${JSON.stringify({ commit, built_at: new Date().toISOString() }, null, 2)}\n`);
process.stdout.write(`dist/ built: ${copied} SQL files copied, commit ${commit ?? 'unknown'}; run it with node ${relative(process.cwd(), join(dist, 'main.js'))}\n`);
