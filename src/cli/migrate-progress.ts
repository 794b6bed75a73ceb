/**
 * What `migrate` says while it works — waiting for another session's lock (naming it), and each
 * file it applied — on stderr, so that stdout keeps only the final report (one JSON document
 * with --json). People get plain lines; --json runs get the service's structured log records.
 */
import pino from 'pino';
import { createLogger } from '../app/logger.ts';
import { describeHolders, loggedMigrationProgress, type MigrationProgress } from '../stores/migrations/progress.ts';

// Below a second in milliseconds, so that a short POSTGRES_MIGRATION_LOCK_TIMEOUT_MS reads right.
const duration = (ms: number): string => (ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`);

export function migrateProgress(format: 'human' | 'json', logLevel: string): MigrationProgress {
  if (format === 'json') {
    // Synchronous, so no record is lost when the command exits right after a failure.
    return loggedMigrationProgress(createLogger(logLevel, pino.destination({ dest: 2, sync: true })).child({ command: 'migrate' }));
  }
  const line = (text: string): void => void process.stderr.write(`${text}\n`);
  return {
    lockWait: (wait) =>
      line(`${wait.namespace}: waiting for the migration lock (${duration(wait.waitedMs)} of ${duration(wait.timeoutMs)}), held by ${describeHolders(wait.holders)}`),
    applied: (file) => line(`${file.namespace}: applied ${file.fileName} (version ${file.version}) in ${file.durationMs} ms`),
  };
}
