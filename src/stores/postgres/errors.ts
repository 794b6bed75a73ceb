/**
 * Maps node-postgres failures to stable reason codes. "Unavailable" means the server cannot be
 * reached or went away, which a caller should retry later (HTTP 503 + Retry-After); anything
 * else is a real error of the query.
 */
import { ReasonError } from '../../config/reason-codes.ts';
import { redactDsn, redactSecrets } from '../../config/redact.ts';

/** The store names of the reason codes (`<STORE>_POSTGRES_CONNECTION_FAILED`, `<STORE>_POSTGRES_UNAVAILABLE`). */
export type StorePrefix = 'DPM_SUPPORTABILITY' | 'PROPOSAL' | 'DPM_POLICY_PACK';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);
// 08: connection exception; 57P01–57P03: admin/crash shutdown, cannot connect now; 53300: too many connections.
const SERVER_CODES = /^(08...|57P0[1-3]|53300)$/;
// node-postgres reports a dropped socket or a connect timeout as a plain Error without a code.
const CLIENT_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connect ECONNREFUSED/i;
// 28: bad credentials; 3D000: the database does not exist. Not outages, but still "cannot connect".
const SETUP_CODES = /^(28...|3D000)$/;

function sqlState(error: Error): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** The server cannot be reached or went away: worth retrying later. */
export function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = sqlState(error);
  if (code !== undefined && (NETWORK_CODES.has(code) || SERVER_CODES.test(code))) return true;
  if (error instanceof AggregateError) return error.errors.some(isUnavailable);
  return CLIENT_MESSAGES.test(error.message);
}

/** No session could be opened: the server is unavailable, or refuses these credentials or this database. */
export function isConnectionFailure(error: unknown): boolean {
  if (isUnavailable(error)) return true;
  const code = error instanceof Error ? sqlState(error) : undefined;
  return code !== undefined && SETUP_CODES.test(code);
}

function messageOf(error: unknown): string {
  return redactSecrets(error instanceof Error ? error.message || error.constructor.name : String(error));
}

/** A startup connection failure of one store; the DSN, when given, is named with its password redacted. */
export function connectionFailed(store: StorePrefix, error: unknown, dsn?: string): ReasonError {
  const where = dsn === undefined ? '' : ` (${redactDsn(dsn)})`;
  return new ReasonError(`${store}_POSTGRES_CONNECTION_FAILED`, `Cannot connect to PostgreSQL${where}: ${messageOf(error)}`, { cause: error });
}

/** A run-time loss of the database for one store. */
export function unavailable(store: StorePrefix, error: unknown): ReasonError {
  return new ReasonError(`${store}_POSTGRES_UNAVAILABLE`, messageOf(error), { cause: error });
}
