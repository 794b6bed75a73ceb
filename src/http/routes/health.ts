import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { ReadinessSource } from '../../app/readiness.ts';
import { TAGS } from '../openapi/tags.ts';

const StoreStatus = Type.Object({
  backend: Type.String(),
  ready: Type.Optional(Type.Boolean()),
  code: Type.Optional(Type.String()),
});

const ReadinessBody = Type.Object(
  {
  status: Type.Union([Type.Literal('ready'), Type.Literal('not_ready')]),
  profile: Type.Union([Type.Literal('LOCAL'), Type.Literal('PRODUCTION')]),
  stores: Type.Record(Type.String(), StoreStatus),
  production_readiness: Type.Object({
    ready: Type.Boolean({ description: 'PRODUCTION would start with this configuration (warnings do not count).' }),
    violations: Type.Array(Type.Object({ code: Type.String(), message: Type.String() }), { description: 'What PRODUCTION would refuse.' }),
    warnings: Type.Array(Type.Object({ code: Type.String(), message: Type.String() }), { description: 'What PRODUCTION reports but allows, e.g. PRODUCTION_AUTHENTICATION_DISABLED.' }),
  }),
  },
  { title: 'ReadinessReport' },
);

export function healthRoutes(readiness: ReadinessSource) {
  return async function register(fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/health/live',
      {
        schema: {
          tags: [TAGS.health],
          operationId: 'health_live_health_live_get',
          permission: 'monitoring.read',
          summary: 'The process is up and serving HTTP.',
          response: { 200: Type.Object({ status: Type.Literal('ok') }) },
        },
      },
      async () => ({ status: 'ok' as const }),
    );

    app.get(
      '/health/ready',
      {
        schema: {
          tags: [TAGS.health],
          operationId: 'health_ready_health_ready_get',
          permission: 'monitoring.read',
          summary: 'Every store is reachable; also reports what PRODUCTION would refuse (shadow validation).',
          response: { 200: ReadinessBody, 503: { ...ReadinessBody, description: 'A store is unreachable (the same body, status not_ready).' } },
        },
      },
      async (_request, reply) => {
        const { ready, ...report } = await readiness.report();
        return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', ...report });
      },
    );
  };
}
