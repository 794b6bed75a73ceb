/**
 * Maps node-postgres failures to stable reason codes. "Unavailable" means the server cannot be
 * reached or went away, which a caller should retry later (HTTP 503 + Retry-After); anything
 * else is a real error of the query.
 */
import { ReasonError } from '../../config/reason-codes.ts';
import { redactSecrets } from '../../config/redact.ts';

export type StorePrefix = 'DPM_SUPPORTABILITY' | 'PROPOSAL' | 'DPM_POLICY_PACK';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'EPIPE']);
// 08: connection exception; 57P01–57P03: admin/crash shutdown, cannot connect now; 53300: too many connections.
const SERVER_CODES = /^(08...|57P0[1-3]|53300)$/;
const CLIENT_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connect ECONNREFUSED/i;

export function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || SERVER_CODES.test(code))) return true;
  if (error instanceof AggregateError) return error.errors.some(isUnavailable);
  return CLIENT_MESSAGES.test(error.message);
}

/** A startup connection failure of one store, with the DSN's password redacted. */
export function connectionFailed(store: StorePrefix, error: unknown): ReasonError {
  const message = error instanceof Error ? error.message || error.constructor.name : String(error);
  return new ReasonError(`${store}_POSTGRES_CONNECTION_FAILED`, redactSecrets(message), { cause: error });
}

/** A run-time loss of the database for one store. */
export function unavailable(store: StorePrefix, error: unknown): ReasonError {
  const message = error instanceof Error ? error.message : String(error);
  return new ReasonError(`${store}_POSTGRES_UNAVAILABLE`, redactSecrets(message), { cause: error });
}
