/**
 * The Fastify instance: JSON logging, OpenAPI (`/openapi.json`, Swagger UI at `/docs`),
 * correlation ids, one error format, and the feature routes handed in by the app.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import type { Logger } from 'pino';
import { registerCorrelation } from './correlation.ts';
import { registerErrorHandling } from './errors.ts';
import { buildPartAwareValidator } from './validation.ts';
import type { ServiceMetrics } from '../services/metrics.ts';
import { registerMetrics } from './metrics.ts';

export interface ServerOptions {
  readonly logger: Logger;
  readonly routes: readonly FastifyPluginAsync[];
  /** Counts every request and serves GET /metrics; omitted in tests that build a bare server. */
  readonly metrics?: ServiceMetrics;
  /** HTTP_BODY_LIMIT_BYTES; Fastify's own 1 MiB when omitted. */
  readonly bodyLimitBytes?: number;
}

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    // Widened to Fastify's logger interface so plugins typed against the default instance fit.
    loggerInstance: options.logger as FastifyBaseLogger,
    // Close keep-alive sockets on shutdown so `close()` waits only for requests in flight.
    forceCloseConnections: 'idle',
    ...(options.bodyLimitBytes === undefined ? {} : { bodyLimit: options.bodyLimitBytes }),
    schemaController: { compilersFactory: { buildValidator: buildPartAwareValidator } },
  });

  registerCorrelation(app);
  registerErrorHandling(app, (code) => options.metrics?.storeErrors.inc({ code }));
  if (options.metrics) registerMetrics(app, options.metrics);

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Private Banking Rebalance API',
        version: '0.1.0',
        description: 'DPM rebalance simulation, supportability and advisory proposal lifecycle (RFC-0025 persistence profiles).',
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  for (const routes of options.routes) await app.register(routes);
  return app;
}
