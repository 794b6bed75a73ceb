/**
 * Secrets never leave the process: every DSN is redacted before it reaches a log line,
 * an error message or CLI output. pino's own redaction works by key path only, so strings
 * that embed a DSN go through these functions.
 */

const REDACTED = '***';

/** `postgres://user:secret@host/db` → `postgres://user:***@host/db`; `password=secret` → `password=***`. */
export function redactDsn(dsn: string): string {
  return redactSecrets(dsn);
}

// Greedy up to the last '@' before the host, so a password that itself contains '@' is covered.
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)([^\s/]*)(@)/gi;
const KEY_VALUE_PASSWORD = /(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s]*)/gi;

/** Redacts URL userinfo passwords and `password=` pairs anywhere in free text. */
export function redactSecrets(text: string): string {
  return text
    .replace(URL_PASSWORD, (_m, head: string, _pw: string, at: string) => `${head}${REDACTED}${at}`)
    .replace(KEY_VALUE_PASSWORD, (_m, head: string) => `${head}${REDACTED}`);
}
