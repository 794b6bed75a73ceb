/**
 * Every route the server registers, collected as it is registered: the OpenAPI document is built
 * from it (src/http/openapi/document.ts), and the not-found handler uses it to tell an unknown
 * path (404) from a known path with another method (405).
 */
import type { FastifyInstance, FastifySchema, HTTPMethods } from 'fastify';

export interface RegisteredRoute {
  readonly method: HTTPMethods;
  /** Fastify's pattern, e.g. `/rebalance/runs/:rebalance_run_id`. */
  readonly url: string;
  readonly schema: FastifySchema | undefined;
}

export class RouteRegistry {
  readonly routes: RegisteredRoute[] = [];
  #patterns: { method: string; pattern: RegExp }[] = [];

  /** Registers the onRoute hook; call before any route is added. */
  collect(app: FastifyInstance): void {
    app.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) {
        if (method === 'HEAD') continue;
        this.routes.push({ method, url: route.url, schema: route.schema });
        const pattern = route.url.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z0-9_]+/g, '[^/]+').replace(/\*/g, '.*');
        this.#patterns.push({ method, pattern: new RegExp(`^${pattern}$`) });
      }
    });
  }

  /** The methods a concrete path has (empty: the path is unknown). */
  methodsOf(path: string): string[] {
    return [...new Set(this.#patterns.filter((p) => p.pattern.test(path)).map((p) => p.method))];
  }
}
