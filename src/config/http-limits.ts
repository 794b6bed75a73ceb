/**
 * The HTTP server's own limits (docs/operations.md#http-server-limits): how long a client may take
 * to send its headers and its whole request, how long an idle connection is kept, how many
 * connections are served at once. Without them a few hundred slow or idle clients hold the server:
 * Fastify's defaults have no request timeout at all, and Node checks the header timeout only every
 * 30 s.
 */
import { integerVariable, type ValuesOf, type Variable, type Violation } from './variables.ts';

export interface HttpLimits {
  /** The request line and headers must arrive within this (408 REQUEST_TIMEOUT). */
  readonly headersTimeoutMs: number;
  /** The whole request, body included, must arrive within this (408 REQUEST_TIMEOUT). */
  readonly requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  readonly keepAliveTimeoutMs: number;
  /** A connection with no traffic either way for this long is closed (a client that stopped reading). */
  readonly socketIdleTimeoutMs: number;
  /** Connections beyond this are closed as they arrive. */
  readonly maxConnections: number;
  /** A keep-alive connection is closed after this many requests; 0: no limit. */
  readonly maxRequestsPerSocket: number;
  /** The request line and headers together (431 REQUEST_HEADER_FIELDS_TOO_LARGE above it). */
  readonly maxHeaderBytes: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const HTTP_LIMIT_VARIABLES = {
  httpHeadersTimeoutMs: {
    ...integerVariable({
      name: 'HTTP_HEADERS_TIMEOUT_MS',
      description:
        'A client must send the request line and all headers within this (slow headers, or a connection that sends nothing): 408 REQUEST_TIMEOUT, connection closed. At most HTTP_REQUEST_TIMEOUT_MS.',
      defaultValue: 10_000,
      min: 100,
      max: HOUR,
    }),
    codes: ['CONFIG_INTEGER_INVALID', 'HTTP_HEADERS_TIMEOUT_ABOVE_REQUEST_TIMEOUT'],
  } satisfies Variable<number>,
  httpRequestTimeoutMs: integerVariable({
    name: 'HTTP_REQUEST_TIMEOUT_MS',
    description:
      'A client must send the whole request, body included, within this (a slow body): 408 REQUEST_TIMEOUT, connection closed. The default takes a 16 MiB body at ~2.3 Mbit/s; processing time does not count.',
    defaultValue: MINUTE,
    min: 100,
    max: HOUR,
  }),
  httpKeepAliveTimeoutMs: integerVariable({
    name: 'HTTP_KEEP_ALIVE_TIMEOUT_MS',
    description: 'An idle keep-alive connection is closed after this. Keep it above the idle timeout of a load balancer in front (60 s on most), so the balancer closes first.',
    defaultValue: 72_000,
    min: 100,
    max: HOUR,
  }),
  httpSocketIdleTimeoutMs: integerVariable({
    name: 'HTTP_SOCKET_IDLE_TIMEOUT_MS',
    description:
      'A connection with no traffic in either direction for this long is closed — e.g. a client that stopped reading its response. It also cuts a request that computes longer without sending a byte, so keep it above the longest request (engine and database limits together).',
    defaultValue: 2 * MINUTE,
    min: 1_000,
    max: HOUR,
  }),
  httpMaxConnections: integerVariable({
    name: 'HTTP_MAX_CONNECTIONS',
    description: 'Open client connections served at once; a connection beyond it is closed as it arrives (logged, at most once a minute). Keep it below the process file-descriptor limit (ulimit -n).',
    defaultValue: 1_000,
    min: 1,
    max: 1_000_000,
  }),
  httpMaxRequestsPerSocket: integerVariable({
    name: 'HTTP_MAX_REQUESTS_PER_SOCKET',
    description: 'A keep-alive connection is closed after this many requests, so clients reconnect and spread over replicas; 0: no limit.',
    defaultValue: 0,
    min: 0,
    max: 1_000_000,
  }),
  httpMaxHeaderBytes: integerVariable({
    name: 'HTTP_MAX_HEADER_BYTES',
    description: 'The request line and headers together; larger: 431 REQUEST_HEADER_FIELDS_TOO_LARGE, connection closed (Node.js default).',
    defaultValue: 16 * 1024,
    min: 1024,
    max: 1024 * 1024,
  }),
};

type HttpLimitValues = ValuesOf<typeof HTTP_LIMIT_VARIABLES>;

export function httpLimits(v: HttpLimitValues): HttpLimits {
  return {
    headersTimeoutMs: v.httpHeadersTimeoutMs,
    requestTimeoutMs: v.httpRequestTimeoutMs,
    keepAliveTimeoutMs: v.httpKeepAliveTimeoutMs,
    socketIdleTimeoutMs: v.httpSocketIdleTimeoutMs,
    maxConnections: v.httpMaxConnections,
    maxRequestsPerSocket: v.httpMaxRequestsPerSocket,
    maxHeaderBytes: v.httpMaxHeaderBytes,
  };
}

/** Node.js refuses to create a server whose header timeout exceeds its request timeout. */
export function httpLimitViolations(limits: HttpLimits): Violation[] {
  if (limits.headersTimeoutMs <= limits.requestTimeoutMs) return [];
  const { httpHeadersTimeoutMs: headers, httpRequestTimeoutMs: request } = HTTP_LIMIT_VARIABLES;
  return [
    {
      code: 'HTTP_HEADERS_TIMEOUT_ABOVE_REQUEST_TIMEOUT',
      variable: headers.name,
      message: `${headers.name} (${limits.headersTimeoutMs}) is above ${request.name} (${limits.requestTimeoutMs}); the headers are part of the request.`,
    },
  ];
}
