import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * JSON logs on stdout, levels written as names (`"level":"warn"`), which is what log pipelines and
 * people search for. Keys that may hold secrets are censored by path; strings that embed a DSN are
 * redacted where they are built (config/redact.ts), since pino only redacts by key. What each
 * request's lines carry is in docs/operations.md#tracing-and-logs. `destination` (stdout by
 * default) lets a test read the lines.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'dpm-rebalance-service' },
    formatters: { level: (label) => ({ level: label }) },
    redact: {
      paths: ['*.dsn', '*.password', '*.adminToken', 'req.headers.authorization', 'headers.authorization'],
      censor: '***',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
