/**
 * The HTTP server's timeouts and connection limits (docs/operations.md#http-server-limits), as
 * Fastify and Node.js options, and the connection cap, which Node sets on the server itself.
 */
import type { Server } from 'node:http';
import type { FastifyBaseLogger, FastifyHttpOptions } from 'fastify';
import type { HttpLimits } from '../config/http-limits.ts';

/**
 * How often Node checks the header and request timeouts. Its default, 30 s, lets a slow client
 * outlive HTTP_HEADERS_TIMEOUT_MS by up to that much; checking every second costs one pass over the
 * open connections.
 */
export const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

/** Node's default header block size, used when a bare test server has no limits. */
const DEFAULT_MAX_HEADER_BYTES = 16 * 1024;

/** A line about refused connections at most this often, with how many since the last one. */
const DROP_LOG_INTERVAL_MS = 60_000;

type LimitOptions = Pick<FastifyHttpOptions<Server>, 'requestTimeout' | 'keepAliveTimeout' | 'connectionTimeout' | 'maxRequestsPerSocket' | 'http' | 'routerOptions'>;

export function serverLimitOptions(limits: HttpLimits | undefined): LimitOptions {
  // A path parameter cannot be longer than the header block it arrives in: the router never
  // refuses one for length, so an over-long id is the route schema's 422 naming the field.
  const routerOptions = { maxParamLength: limits?.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES };
  if (!limits) return { routerOptions };
  return {
    routerOptions,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionTimeout: limits.socketIdleTimeoutMs,
    maxRequestsPerSocket: limits.maxRequestsPerSocket,
    http: {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      maxHeaderSize: limits.maxHeaderBytes,
      connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
    },
  };
}

/**
 * Caps open connections: Node closes one beyond `maxConnections` as it arrives. Each such drop is
 * counted, and a warning says so at most once a minute — a flood of connections must not become a
 * flood of log lines.
 */
export function applyConnectionLimit(server: Server, limits: HttpLimits, logger: FastifyBaseLogger): void {
  server.maxConnections = limits.maxConnections;
  let dropped = 0;
  let lastLine = -Infinity;
  server.on('drop', () => {
    dropped += 1;
    const now = Date.now();
    if (now - lastLine < DROP_LOG_INTERVAL_MS) return;
    logger.warn({ dropped_connections: dropped, max_connections: limits.maxConnections }, 'Connection limit reached; new connections are closed as they arrive');
    dropped = 0;
    lastLine = now;
  });
}
