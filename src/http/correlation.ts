import type { FastifyInstance, FastifyRequest } from 'fastify';
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

function correlationIdOf(request: FastifyRequest): string {
  const given = request.headers[HEADER];
  const value = Array.isArray(given) ? given[0] : given;
  return value !== undefined && ACCEPTABLE.test(value) ? value : generateCorrelationId();
}

/** Every response carries `X-Correlation-Id`: the caller's, or one generated for this request. */
export function registerCorrelation(app: FastifyInstance): void {
  app.decorateRequest('correlationId', '');
  app.addHook('onRequest', async (request, reply) => {
    request.correlationId = correlationIdOf(request);
    reply.header('X-Correlation-Id', request.correlationId);
  });
}
