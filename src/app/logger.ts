import pino, { type DestinationStream, type Logger } from 'pino';
import { CREDENTIAL_HEADERS } from '../config/redact.ts';

/** Credential headers of any logged headers object, at the top level or one object down (`req.headers`). */
const CREDENTIAL_HEADER_PATHS = CREDENTIAL_HEADERS.flatMap((name) => [`headers["${name}"]`, `*.headers["${name}"]`]);

/**
 * JSON logs on stdout, levels written as names (`"level":"warn"`), which is what log pipelines and
 * people search for. Keys that may hold secrets — credential headers included — are censored by
 * path; strings that embed a DSN or a credential in a URL are redacted where they are built
 * (config/redact.ts), since pino only redacts by key. What each
 * request's lines carry is in docs/operations.md#tracing-and-logs. `destination` (stdout by
 * default) lets a test read the lines.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'dpm-rebalance-service' },
    formatters: { level: (label) => ({ level: label }) },
    redact: {
      paths: ['*.dsn', '*.password', '*.adminToken', ...CREDENTIAL_HEADER_PATHS],
      censor: '***',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
