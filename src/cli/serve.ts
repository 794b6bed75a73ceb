import cluster from 'node:cluster';
import { Command } from 'commander';
import { createApp } from '../app/app.ts';
import { superviseWorkers } from '../app/cluster.ts';
import { stopOnSignals } from '../app/lifecycle.ts';
import { createLogger } from '../app/logger.ts';
import { assessStartup, formatViolation } from '../config/startup-assessment.ts';
import type { Violation } from '../config/variables.ts';
import { EX_CONFIG } from './exit-codes.ts';

/**
 * `serve`: refuse to start on any configuration violation (every one printed, exit 78, port
 * never bound); otherwise serve until SIGTERM/SIGINT. There is no switch to skip the checks.
 * With WEB_CONCURRENCY above 1 this process becomes the cluster's primary (src/app/cluster.ts),
 * and each worker it forks runs this same command as one server process.
 */
export async function serve(): Promise<void> {
  const assessment = assessStartup();
  const { settings } = assessment;
  const worker = cluster.isWorker;
  const root = createLogger(settings.http.logLevel);
  const logger = worker ? root.child({ pid: process.pid }) : root;

  const refuse = (violations: readonly Violation[], message: string): void => {
    for (const violation of violations) process.stderr.write(`${formatViolation(violation)}\n`);
    logger.fatal({ profile: settings.profile, codes: violations.map((v) => v.code), violations }, message);
    process.exitCode = EX_CONFIG;
    // A worker's channel to the primary would keep it alive.
    if (worker) process.exit(EX_CONFIG);
  };
  if (assessment.violations.length > 0) {
    refuse(assessment.violations, 'Startup refused: configuration violates the persistence profile');
    return;
  }
  const warningCodes = assessment.productionWarnings.map((v) => v.code);
  // A group's primary speaks for its workers, once.
  if (!worker && settings.profile === 'PRODUCTION' && warningCodes.length > 0) {
    logger.warn({ warning_codes: warningCodes, warnings: assessment.productionWarnings }, 'PRODUCTION starts with warnings');
  } else if (!worker && (assessment.shadowViolations.length > 0 || warningCodes.length > 0)) {
    logger.warn(
      { codes: assessment.shadowViolations.map((v) => v.code), warning_codes: warningCodes },
      assessment.shadowViolations.length > 0 ? 'Shadow validation: PRODUCTION would refuse this configuration' : 'Shadow validation: PRODUCTION would start with warnings',
    );
  }

  if (!worker && settings.webConcurrency > 1) {
    superviseWorkers({
      workers: settings.webConcurrency,
      logger,
      shutdownGraceMs: settings.http.shutdownGraceMs,
      maxRestartBackoffMs: settings.resilience.retryMaxBackoffMs,
    });
    return;
  }

  const created = await createApp(assessment, logger, { clusterWorker: worker });
  if (!created.ok) {
    refuse(created.violations, 'Startup refused: a JSON setting is invalid or a store is not ready');
    return;
  }
  const { app } = created;
  stopOnSignals(app, logger, settings.http.shutdownGraceMs);
  await app.server.listen({ host: settings.http.host, port: settings.http.port });
  // In a cluster the primary says Serving once every worker listens.
  if (worker) logger.debug({ address: app.server.addresses() }, 'Server process listening');
  else logger.info({ profile: settings.profile, address: app.server.addresses() }, 'Serving');
}

export function serveCommand(): Command {
  return new Command('serve').description('Serve the HTTP API (the default command).').action(serve);
}
