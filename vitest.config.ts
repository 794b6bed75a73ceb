import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One real PostgreSQL server for the whole run (embedded, or TEST_POSTGRES_URL).
    globalSetup: ['test/support/postgres-global-setup.ts'],
    // Kills what a failed or timed-out test left running (services, CLI runs).
    setupFiles: ['test/support/leftover-processes.ts'],
    // Bounds for a hang, sized for a loaded two-core machine where one test may start several
    // real processes; tests wait on conditions, so a passing test never waits for these.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Two cores: a few workers keep e2e process spawns from starving each other.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
