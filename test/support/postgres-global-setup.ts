/**
 * One real PostgreSQL server for the whole test run: the server at TEST_POSTGRES_URL when
 * given, otherwise an embedded one started here and removed afterwards. Tests never skip for
 * lack of a database — if the server cannot start, the run fails.
 */
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from './embedded-postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env['TEST_POSTGRES_URL']?.trim();
  if (given) {
    project.provide('postgresAdminUrl', given);
    return async () => {};
  }
  const server = await startEmbeddedPostgres();
  project.provide('postgresAdminUrl', server.adminUrl);
  return () => server.stop();
}
