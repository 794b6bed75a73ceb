/**
 * One real PostgreSQL server for the whole test run: the server at TEST_POSTGRES_URL when
 * given, otherwise an embedded one started here and removed afterwards. Tests never skip for
 * lack of a database — if the server cannot start, the run fails and says why on stderr.
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
  try {
    const server = await startEmbeddedPostgres();
    project.provide('postgresAdminUrl', server.adminUrl);
    return () => server.stop();
  } catch (error) {
    // Printed here as well as thrown: the runner's own report of a failed global setup can be terse.
    process.stderr.write(
      `\nThe test run needs a PostgreSQL server and could not start the embedded one.\n` +
        `Set TEST_POSTGRES_URL to a superuser URL to use another server.\n\n${(error as Error).message}\n\n`,
    );
    throw error;
  }
}
