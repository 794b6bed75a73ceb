import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { newId } from '../services/ids.ts';

declare module 'fastify' {
  interface FastifyRequest {
    correlationId: string;
  }
}

const HEADER = 'x-correlation-id';
/** Bounded and printable, so a caller cannot smuggle log lines or huge values through the header. */
const ACCEPTABLE = /^[\x21-\x7e]{1,128}$/;

export function generateCorrelationId(): string {
  return newId('corr');
}

/**
 * The request's correlation id: the caller's `X-Correlation-Id`, or a generated one. It is also
 * Fastify's request id (`genReqId`), so every log line of the request carries it.
 */
export function correlationIdOf(headers: IncomingHttpHeaders): string {
  const given = headers[HEADER];
  const value = Array.isArray(given) ? given[0] : given;
  return value !== undefined && ACCEPTABLE.test(value) ? value : generateCorrelationId();
}

/** Every response carries `X-Correlation-Id`: the caller's, or the one generated for this request. */
export function registerCorrelation(app: FastifyInstance): void {
  app.decorateRequest('correlationId', '');
  app.addHook('onRequest', async (request, reply) => {
    request.correlationId = request.id;
    reply.header('X-Correlation-Id', request.correlationId);
  });
}
