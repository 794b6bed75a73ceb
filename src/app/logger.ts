import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * JSON logs on stdout (or `destination`: a CLI whose stdout is its report logs to stderr). Keys
 * that may hold secrets are censored by path; strings that embed a DSN are redacted where they
 * are built (config/redact.ts), since pino only redacts by key.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({
    level,
    base: { service: 'dpm-rebalance-service' },
    redact: {
      paths: ['*.dsn', '*.password', '*.adminToken', 'req.headers.authorization', 'headers.authorization'],
      censor: '***',
    },
  }, destination);
}
