/**
 * Secrets never leave the process: every DSN is redacted before it reaches a log line,
 * an error message or CLI output, and so are credentials a client puts in a URL or a header
 * (docs/operations.md#log-lines). pino's own redaction works by key path only, so strings that
 * embed a secret go through these functions, and the logger censors credential headers by path.
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

/**
 * Query parameters whose values are credentials: any name containing one of these words
 * (`token`, `access_token`, `X-Amz-Signature`, `client_secret`, `api_key`, `sessionid`, …), or
 * one of the short names OAuth and API gateways use. None of the service's own parameters match.
 */
const CREDENTIAL_PARAMETER = /token|secret|passw|pwd|api[-_]?key|credential|signature|session|jwt|bearer|cookie|^(?:auth|authorization|key|sig|code)$/i;

/** Request headers that carry credentials; the logger censors them wherever a headers object is logged. */
export const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'x-auth-token', 'x-amz-security-token'] as const;

function decoded(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

/** A request URL as it may be logged: the value of every credential-like query parameter is `***`. */
export function redactUrl(url: string): string {
  const start = url.indexOf('?');
  if (start === -1) return url;
  const pairs = url
    .slice(start + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = equals === -1 ? pair : pair.slice(0, equals);
      return equals !== -1 && CREDENTIAL_PARAMETER.test(decoded(name)) ? `${name}=${REDACTED}` : pair;
    });
  return `${url.slice(0, start)}?${pairs.join('&')}`;
}
