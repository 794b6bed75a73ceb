import { Command } from 'commander';
import { createApp } from '../app/app.ts';
import { stopOnSignals } from '../app/lifecycle.ts';
import { createLogger } from '../app/logger.ts';
import { assessStartup, formatViolation } from '../config/startup-assessment.ts';
import type { Violation } from '../config/variables.ts';
import { EX_CONFIG } from './exit-codes.ts';

/**
 * `serve`: refuse to start on any configuration violation (every one printed, exit 78, port
 * never bound); otherwise serve until SIGTERM/SIGINT. There is no switch to skip the checks.
 */
export async function serve(): Promise<void> {
  const assessment = assessStartup();
  const { settings } = assessment;
  const logger = createLogger(settings.http.logLevel);

  const refuse = (violations: readonly Violation[], message: string): void => {
    for (const violation of violations) process.stderr.write(`${formatViolation(violation)}\n`);
    logger.fatal({ profile: settings.profile, codes: violations.map((v) => v.code), violations }, message);
    process.exitCode = EX_CONFIG;
  };
  if (assessment.violations.length > 0) {
    refuse(assessment.violations, 'Startup refused: configuration violates the persistence profile');
    return;
  }
  const warningCodes = assessment.productionWarnings.map((v) => v.code);
  if (settings.profile === 'PRODUCTION' && warningCodes.length > 0) {
    logger.warn({ warning_codes: warningCodes, warnings: assessment.productionWarnings }, 'PRODUCTION starts with warnings');
  } else if (assessment.shadowViolations.length > 0 || warningCodes.length > 0) {
    logger.warn(
      { codes: assessment.shadowViolations.map((v) => v.code), warning_codes: warningCodes },
      assessment.shadowViolations.length > 0 ? 'Shadow validation: PRODUCTION would refuse this configuration' : 'Shadow validation: PRODUCTION would start with warnings',
    );
  }

  const created = await createApp(assessment, logger);
  if (!created.ok) {
    refuse(created.violations, 'Startup refused: a JSON setting is invalid or a store is not ready');
    return;
  }
  const { app } = created;
  stopOnSignals(app, logger, settings.http.shutdownGraceMs);
  await app.server.listen({ host: settings.http.host, port: settings.http.port });
  logger.info({ profile: settings.profile, address: app.server.addresses() }, 'Serving');
}

export function serveCommand(): Command {
  return new Command('serve').description('Serve the HTTP API (the default command).').action(serve);
}
