/**
 * Builds the operations console (docs/console.md) into console/dist, served by the service at
 * /console. Every file gets .br and .gz siblings so the server can send them precompressed.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

const consoleRoot = fileURLToPath(new URL('.', import.meta.url));
const outDir = path.join(consoleRoot, 'dist');
const COMPRESSIBLE = /\.(js|css|html|svg|json)$/;

function buildLabel(): string {
  const { version } = JSON.parse(readFileSync(path.join(consoleRoot, '..', 'package.json'), 'utf8')) as { version: string };
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: consoleRoot, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    return `${version} (${commit})`;
  } catch {
    return version; // a build outside a git checkout, e.g. the container's build stage
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/** Writes `file.br` and `file.gz` next to every text file of the build. */
function precompress(): Plugin {
  return {
    name: 'console-precompress',
    apply: 'build',
    closeBundle() {
      for (const file of filesUnder(outDir).filter((f) => COMPRESSIBLE.test(f))) {
        const bytes = readFileSync(file);
        writeFileSync(`${file}.gz`, gzipSync(bytes, { level: 9 }));
        writeFileSync(`${file}.br`, brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
      }
    },
  };
}

export default defineConfig({
  root: consoleRoot,
  base: '/console/',
  define: { __CONSOLE_BUILD__: JSON.stringify(buildLabel()) },
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  plugins: [precompress()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    // Budget: 250 KB gzipped for all of the console's JavaScript (bench/console.ts measures it).
    chunkSizeWarningLimit: 400,
    // The chart library in a chunk of its own name, loaded only by the pages that draw charts.
    rollupOptions: { output: { manualChunks: { plot: ['@observablehq/plot'] } } },
  },
  server: {
    // `npm run console:dev`: the app with hot reload, the API from a service on port 8000.
    proxy: Object.fromEntries(['/rebalance', '/health', '/openapi.json', '/console/config.json'].map((p) => [p, 'http://127.0.0.1:8000'])),
  },
});
