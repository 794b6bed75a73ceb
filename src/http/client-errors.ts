/**
 * Requests Node's HTTP parser refuses before Fastify sees them (docs/errors.md#refused-before-routing):
 * a control character in a header, a header block over HTTP_MAX_HEADER_BYTES, headers or a body that
 * arrive too slowly. Node's own answer has no body and Fastify's default has none of ours; this one
 * is the catalogued error body with its code and an `X-Correlation-Id` — the request's own when it
 * was already being served (a slow body), else a generated one — and one log line with that id.
 *
 * The parser's error object carries the raw bytes it refused (`rawPacket`, credentials included),
 * so only its code and message are logged.
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { REASON_CODES, ReasonError, type ReasonCode } from '../config/reason-codes.ts';
import { generateCorrelationId } from './correlation.ts';
import { errorBody } from './errors.ts';

/** Node's and llhttp's error codes → the catalogue (as Node's own answers map them). */
const CODES: Readonly<Record<string, ReasonCode>> = {
  ERR_HTTP_REQUEST_TIMEOUT: 'REQUEST_TIMEOUT',
  HPE_HEADER_OVERFLOW: 'REQUEST_HEADER_FIELDS_TOO_LARGE',
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 'PAYLOAD_TOO_LARGE',
};

const MESSAGES: Readonly<Partial<Record<ReasonCode, string>>> = {
  REQUEST_TIMEOUT: 'The request did not arrive in time; the connection is closed.',
  REQUEST_HEADER_FIELDS_TOO_LARGE: 'The request line and headers are too large; the connection is closed.',
  PAYLOAD_TOO_LARGE: 'The chunk extensions are too large; the connection is closed.',
};

/** Correlation ids of the requests being served, by connection, for a refusal that interrupts one. */
const inFlight = new WeakMap<Socket, string>();

/** Remembers which request each connection is serving until its response is sent. */
export function registerConnectionTracking(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    inFlight.set(request.raw.socket, request.correlationId);
  });
  app.addHook('onResponse', async (request) => {
    inFlight.delete(request.raw.socket);
  });
}

/** The raw response: status line, our headers, the JSON error body, and the connection closed. */
export function clientErrorResponse(code: ReasonCode, message: string, correlationId: string): string {
  const body = JSON.stringify(errorBody(new ReasonError(code, message)));
  const status = REASON_CODES[code].status ?? 400;
  return [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    `X-Correlation-Id: ${correlationId}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

/** Fastify's `clientErrorHandler`, logging through the server's logger. */
export function clientErrorHandler(logger: FastifyBaseLogger): (error: Error & { code?: string }, socket: Socket) => void {
  return (error, socket) => {
    // A connection reset by the client needs no answer (and cannot get one).
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const code = CODES[error.code ?? ''] ?? 'BAD_REQUEST';
    const correlationId = inFlight.get(socket) ?? generateCorrelationId();
    const message = MESSAGES[code] ?? `The request is not valid HTTP (${error.message}).`;
    logger.info({ correlation_id: correlationId, status: REASON_CODES[code].status, error_code: code, reason: error.code ?? error.message }, 'request refused by the HTTP parser');
    if (socket.writable) socket.end(clientErrorResponse(code, message, correlationId));
    socket.destroy();
  };
}
