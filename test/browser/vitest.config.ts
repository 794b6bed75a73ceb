/**
 * `npm run test:browser`: the console in a real headless Chromium against the real service
 * process, on IN_MEMORY and on the run's real PostgreSQL server. Kept out of `npm test` (whose
 * files end in .test.ts); these end in .browser.ts.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/browser/**/*.browser.ts'],
    globalSetup: ['test/support/postgres-global-setup.ts'],
    testTimeout: 90_000,
    hookTimeout: 180_000,
    // One browser and one service at a time: two loaded cores.
    fileParallelism: false,
    maxWorkers: 1,
    minWorkers: 1,
  },
});
