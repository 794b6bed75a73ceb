import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One real PostgreSQL server for the whole run (embedded, or TEST_POSTGRES_URL).
    globalSetup: ['test/support/postgres-global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Two cores: a few workers keep e2e process spawns from starving each other.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
