/**
 * Runs after every test file: a test that failed or timed out may have left a service or CLI
 * process running; kill it so it cannot hold ports, databases or CPU for the rest of the run.
 */
import { afterAll } from 'vitest';
import { killLeftoverProcesses } from './service-process.ts';

afterAll(async () => {
  await killLeftoverProcesses();
});
