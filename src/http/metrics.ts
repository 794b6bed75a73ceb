/**
 * Request metrics and the Prometheus scrape endpoint. Requests are labelled by route pattern
 * (`/rebalance/runs/:rebalance_run_id`), so ids never become label values.
 */
import type { FastifyInstance } from 'fastify';
import type { ServiceMetrics } from '../services/observability/metrics.ts';
import { TAGS } from './openapi/tags.ts';

const UNMATCHED_ROUTE = 'unmatched';

export function registerMetrics(app: FastifyInstance, metrics: ServiceMetrics, scrape: () => Promise<string> = () => metrics.registry.metrics()): void {
  app.addHook('onResponse', async (request, reply) => {
    const labels = { method: request.method, route: request.routeOptions.url ?? UNMATCHED_ROUTE, status_code: String(reply.statusCode) };
    metrics.httpRequests.inc(labels);
    metrics.httpRequestDuration.observe(labels, reply.elapsedTime / 1000);
  });

  app.get(
    '/metrics',
    {
      schema: {
        tags: [TAGS.health],
        operationId: 'metrics_metrics_get',
        permission: 'monitoring.read',
        summary: 'Prometheus metrics (every name prefixed dpm_rebalance_): build, requests, DPM simulations, proposal lifecycle, async workers and queue, engine pool, PostgreSQL pools and outages, process runtime.',
        produces: ['text/plain; version=0.0.4; charset=utf-8'],
      },
    },
    async (_request, reply) => reply.type(metrics.registry.contentType).send(await scrape()),
  );
}
