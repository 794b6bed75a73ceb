import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'coverage/', '.data/', 'console/dist/', 'console/src/api/schema.d.ts', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Only src/config reads process.env.' },
      ],
    },
  },
  // The layers' one-way arrows (docs/architecture.md#layers), held by the linter so they stay.
  {
    files: ['src/domain/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/config/**', '**/services/**', '**/stores/**', '**/http/**', '**/app/**', '**/cli/**'], message: 'domain/ is pure: it imports only domain/ (docs/architecture.md#layers).' },
            { group: ['pg', 'better-sqlite3', 'fastify', 'fastify/**', '@fastify/**', 'pino', 'node:fs', 'node:fs/**', 'node:net', 'node:http', 'node:child_process', 'node:worker_threads'], message: 'domain/ does no I/O (docs/architecture.md#layers).' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/http/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '(^|/)stores/(?![\\w-]+/port\\.ts$)', message: 'http/ sees a store only through its port (docs/architecture.md#layers).' },
            // A port names the records a route renders; calling a store is a service's job.
            { group: ['**/stores/*/port.ts'], allowTypeImports: true, message: 'http/ imports store ports for their types only; it calls services (docs/architecture.md#layers).' },
            { group: ['pg', 'better-sqlite3'], message: 'http/ never talks to a database (docs/architecture.md#layers).' },
            // The shapes app/ hands to routes (a readiness report) may be named; app/'s code may not be called.
            { group: ['**/app/**', '**/cli/**'], allowTypeImports: true, message: 'http/ is wired by app/, never the other way (docs/architecture.md#layers).' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/services/**', 'src/stores/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/http/**', '**/app/**', '**/cli/**'], message: 'Services and stores know nothing of HTTP or wiring (docs/architecture.md#layers).' }] },
      ],
    },
  },
  {
    files: ['src/config/**', 'test/**', 'bench/**', 'scripts/**', 'vitest.config.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
