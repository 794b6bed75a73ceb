/**
 * Maps node-postgres failures to stable reason codes. "Unavailable" means the server cannot be
 * reached or went away; "timeout" means a statement, lock wait, query or transaction outlasted
 * its limit. A caller should retry both later (HTTP 503 + Retry-After); anything else is a real
 * error of the query.
 */
import { ReasonError } from '../../config/reason-codes.ts';
import { redactDsn, redactSecrets } from '../../config/redact.ts';

/** The store names of the reason codes (`<STORE>_POSTGRES_CONNECTION_FAILED`, `_UNAVAILABLE`, `_TIMEOUT`). */
export type StorePrefix = 'DPM_SUPPORTABILITY' | 'PROPOSAL' | 'DPM_POLICY_PACK';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);
// 08: connection exception; 57P01–57P03: admin/crash shutdown, cannot connect now; 53300: too many connections.
const SERVER_CODES = /^(08...|57P0[1-3]|53300)$/;
// node-postgres reports a dropped socket or a connect timeout as a plain Error without a code.
const CLIENT_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connect ECONNREFUSED/i;
// 28: bad credentials; 3D000: the database does not exist. Not outages, but still "cannot connect".
const SETUP_CODES = /^(28...|3D000)$/;
// 57014: statement cancelled (statement_timeout); 55P03: lock not available (lock_timeout);
// 40001 / 40P01: the server ended a serialization conflict or a deadlock by rolling this
// transaction back. Our transactions take their locks in one order, so neither is expected; if
// one happens it answers like a lock wait that ran out (503, nothing written, retry), not a 500.
const TIMEOUT_CODES = new Set(['57014', '55P03', '40001', '40P01']);
// node-postgres's own query_timeout.
const CLIENT_TIMEOUT_MESSAGE = /^Query read timeout$/;

/** A limit this service enforces on its side of the connection (a whole transaction). */
export class ClientTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClientTimeoutError';
  }
}

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

/** A statement, lock wait, query or transaction outlasted its limit: the database may be fine, but busy or frozen. */
export function isTimeout(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error instanceof ClientTimeoutError || CLIENT_TIMEOUT_MESSAGE.test(error.message)) return true;
  const code = sqlState(error);
  return code !== undefined && TIMEOUT_CODES.has(code);
}

/**
 * The session cannot be trusted any more — it is gone, or a query on it never got its answer —
 * so it must be discarded rather than rolled back and reused (closing it rolls back on the server).
 */
export function isSessionLost(error: unknown): boolean {
  // A store call's failure may already carry its reason code; the driver's error is its cause.
  const driverError = error instanceof ReasonError ? error.cause : error;
  if (!(driverError instanceof Error)) return false;
  return isUnavailable(driverError) || driverError instanceof ClientTimeoutError || CLIENT_TIMEOUT_MESSAGE.test(driverError.message);
}

const OUTAGE_CODE = /_POSTGRES_(UNAVAILABLE|CONNECTION_FAILED|TIMEOUT)$/;

/** A store call failed because of its database, not because of the caller's data: retry it later. */
export function isStoreOutage(error: unknown): boolean {
  return error instanceof ReasonError && OUTAGE_CODE.test(error.code);
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

/** A run-time statement, lock, query or transaction timeout of one store. */
export function timedOut(store: StorePrefix, error: unknown): ReasonError {
  return new ReasonError(`${store}_POSTGRES_TIMEOUT`, messageOf(error), { cause: error });
}
