/**
 * The Fastify instance: JSON logging, OpenAPI (`/openapi.json`, Swagger UI at `/docs`),
 * correlation ids and trace context on every log line of a request, one error format — also for
 * requests refused before routing — the server's timeouts and connection limits, and the feature
 * routes handed in by the app.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import type { Logger } from 'pino';
import type { HttpLimits } from '../config/http-limits.ts';
import { clientErrorHandler, registerConnectionTracking } from './client-errors.ts';
import { correlationIdOf, registerCorrelation } from './correlation.ts';
import { errorRenderer, frameworkErrorHandler, registerErrorHandling } from './errors.ts';
import { registerJsonBodies } from './json-body.ts';
import { RouteRegistry } from './route-registry.ts';
import { buildPartAwareValidator } from './validation.ts';
import type { ServiceMetrics } from '../services/observability/metrics.ts';
import { registerMetrics } from './metrics.ts';
import { buildOpenApiDocument } from './openapi/document.ts';
import { API_INFO, API_TAGS } from './openapi/tags.ts';
import { CORRELATION_ID_LOG_KEY, registerErrorCodeCapture, RequestLogController } from './request-log.ts';
import { beginRequestTrace, registerRequestTracing, traceLogFields } from './request-trace.ts';
import { applyConnectionLimit, serverLimitOptions } from './server-limits.ts';
import { NO_ACCESS_CONTROL, type AccessControl } from './auth/access-control.ts';
import { registerAccessControl } from './auth/guard.ts';

export interface ServerOptions {
  readonly logger: Logger;
  readonly routes: readonly FastifyPluginAsync[];
  /** Counts every request and serves GET /metrics; omitted in tests that build a bare server. */
  readonly metrics?: ServiceMetrics;
  /** What GET /metrics answers, when not this process's registry alone (a cluster worker answers for the whole group). */
  readonly scrapeMetrics?: () => Promise<string>;
  /** HTTP_BODY_LIMIT_BYTES; Fastify's own 1 MiB when omitted. */
  readonly bodyLimitBytes?: number;
  /** Timeouts and connection limits (docs/operations.md#http-server-limits); omitted in tests that only inject. */
  readonly limits?: HttpLimits;
  /**
   * Who may call what (API_AUTH_*). The app always passes it, and then every documented route must
   * declare its permission; bare servers of tests omit it (no authentication, no such check).
   */
  readonly access?: AccessControl;
}

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const logger = options.logger as FastifyBaseLogger;
  const render = errorRenderer({ onStoreUnavailable: (code) => options.metrics?.storeErrors.inc({ code }) });
  const app: FastifyInstance = Fastify({
    // Widened to Fastify's logger interface so plugins typed against the default instance fit.
    loggerInstance: logger,
    // The correlation id is the request id, so Fastify binds it to every line the request logs;
    // the trace ids are bound next to it where the request's logger is made.
    genReqId: (raw) => correlationIdOf(raw.headers),
    logController: new RequestLogController(),
    childLoggerFactory: (logger, bindings, childOptions, raw) =>
      logger.child({ ...bindings, ...traceLogFields(beginRequestTrace(raw, String(bindings[CORRELATION_ID_LOG_KEY]))) }, childOptions),
    // Close keep-alive sockets on shutdown so `close()` waits only for requests in flight.
    forceCloseConnections: 'idle',
    ...(options.bodyLimitBytes === undefined ? {} : { bodyLimit: options.bodyLimitBytes }),
    ...serverLimitOptions(options.limits),
    // Requests refused before routing answer with our error body and a correlation id too.
    frameworkErrors: frameworkErrorHandler(render),
    clientErrorHandler: clientErrorHandler(logger),
    schemaController: { compilersFactory: { buildValidator: buildPartAwareValidator } },
  });
  if (options.limits) applyConnectionLimit(app.server, options.limits, logger);

  const registry = new RouteRegistry();
  registry.collect(app);
  registerCorrelation(app);
  registerConnectionTracking(app);
  registerJsonBodies(app);
  registerErrorCodeCapture(app);
  registerRequestTracing(app);
  registerErrorHandling(app, { routes: registry, render });
  const access = options.access ?? NO_ACCESS_CONTROL;
  registerAccessControl(app, access, { requireDeclarations: options.access !== undefined });
  if (options.metrics) registerMetrics(app, options.metrics, options.scrapeMetrics);

  // @fastify/swagger only hands the document to Swagger UI: it skips every route (`hide`), and
  // the document is built from the registered routes by src/http/openapi/document.ts.
  await app.register(swagger, {
    openapi: {},
    transform: ({ url }) => ({ schema: { hide: true }, url }),
    transformObject: () => buildOpenApiDocument(registry.routes, { info: API_INFO, tags: API_TAGS, access }) as never,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  for (const routes of options.routes) await app.register(routes);
  return app;
}
