/**
 * Graceful stop: on SIGTERM or SIGINT stop accepting, finish requests in flight, close the
 * stores and exit 0. If that takes longer than the grace period the process exits 1, so an
 * orchestrator never waits on a hung shutdown.
 */
import type { Logger } from 'pino';
import type { App } from './app.ts';

export function stopOnSignals(app: App, logger: Logger, graceMs: number): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'Shutting down: finishing requests in flight');
    const deadline = setTimeout(() => {
      logger.error({ graceMs }, 'Shutdown grace period exceeded; exiting');
      process.exit(1);
    }, graceMs);
    deadline.unref();
    app.close().then(
      () => {
        logger.info('Shutdown complete');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'Shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
