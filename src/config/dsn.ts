/**
 * PostgreSQL DSNs (docs/configuration.md "DSNs"). node-postgres takes URLs only: it reads a
 * libpq `key=value` string as a relative URL and then tries to connect to a host named `base`.
 * So a `key=value` DSN is turned into the URL it means here, once, when the settings are read —
 * every store, the migrate CLI and the cutover check then connect with exactly what the check
 * accepted. Keys node-postgres would silently ignore are refused instead.
 */

/** libpq keys → what they are in the URL node-postgres parses (pg-connection-string). */
const QUERY_KEYS = new Set([
  'sslmode',
  'sslcert',
  'sslkey',
  'sslrootcert',
  'sslnegotiation',
  'application_name',
  'fallback_application_name',
  'options',
  'client_encoding',
]);
const AUTHORITY_KEYS = new Set(['host', 'port', 'dbname', 'user', 'password']);

export type DsnParse = { readonly ok: true; readonly url: string } | { readonly ok: false; readonly reason: string };

const PAIR = /\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?:'((?:[^'\\]|\\.)*)'|([^\s'=]+))/y;

/** libpq's `key=value` pairs (values may be single-quoted with `\'` and `\\` escapes); null when malformed. */
function pairs(text: string): Map<string, string> | null {
  const out = new Map<string, string>();
  PAIR.lastIndex = 0;
  while (PAIR.lastIndex < text.length) {
    if (text.slice(PAIR.lastIndex).trim() === '') break;
    const match = PAIR.exec(text);
    if (!match) return null;
    const [, key = '', quoted, bare] = match;
    out.set(key, quoted === undefined ? (bare ?? '') : quoted.replace(/\\(.)/g, '$1'));
  }
  return out.size > 0 ? out : null;
}

/** `host=db port=5432 dbname=app user=app password='p w'` → `postgresql://app:p%20w@db:5432/app`. */
export function keyValueDsnToUrl(text: string): DsnParse {
  const found = pairs(text);
  if (!found) return { ok: false, reason: 'is neither a postgres:// / postgresql:// URL nor a key=value DSN' };
  const unsupported = [...found.keys()].filter((key) => !QUERY_KEYS.has(key) && !AUTHORITY_KEYS.has(key));
  if (unsupported.length > 0) {
    return { ok: false, reason: `has keys the PostgreSQL driver does not honour: ${unsupported.join(', ')} (connection timeouts are POSTGRES_CONNECT_TIMEOUT_MS)` };
  }
  const host = found.get('host') ?? '';
  if (host.includes(',')) return { ok: false, reason: 'names several hosts; the PostgreSQL driver connects to one' };
  const port = found.get('port') ?? '';
  if (port !== '' && !/^\d{1,5}$/.test(port)) return { ok: false, reason: 'has a port that is not a number' };

  const query = new URLSearchParams();
  // A socket directory cannot be a URL host: the driver takes it as the `host` parameter.
  const socket = host.startsWith('/');
  if (socket) query.set('host', host);
  if (socket && port !== '') query.set('port', port);
  for (const [key, value] of found) if (QUERY_KEYS.has(key)) query.set(key, value);

  const user = found.get('user');
  const password = found.get('password');
  const credentials = user === undefined && password === undefined ? '' : `${encodeURIComponent(user ?? '')}${password === undefined ? '' : `:${encodeURIComponent(password)}`}@`;
  const hostPart = socket ? '' : `${host.includes(':') ? `[${host}]` : encodeURIComponent(host)}${port === '' ? '' : `:${port}`}`;
  const search = query.toString();
  return { ok: true, url: `postgresql://${credentials}${hostPart}/${encodeURIComponent(found.get('dbname') ?? '')}${search === '' ? '' : `?${search}`}` };
}

/** A DSN as node-postgres will use it: a URL as given, a `key=value` DSN converted; else why not. */
export function normalisePostgresDsn(value: string): DsnParse {
  if (/^postgres(?:ql)?:\/\//i.test(value)) {
    try {
      // A URL with an unresolvable shape (e.g. bad port) is a configuration error now, not a connect error later.
      const url = new URL(value);
      return url.pathname !== '' || url.hostname !== '' ? { ok: true, url: value } : { ok: false, reason: 'is not a usable URL' };
    } catch {
      return { ok: false, reason: 'is not a usable URL' };
    }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return { ok: false, reason: 'is a URL of another scheme than postgres:// or postgresql://' };
  return keyValueDsnToUrl(value);
}
