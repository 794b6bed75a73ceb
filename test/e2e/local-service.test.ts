/** The newcomer's path: the LOCAL default starts with nothing installed, serves, and stops cleanly. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type RunningService } from '../support/service-process.ts';

describe('LOCAL service', () => {
  let service: RunningService;

  beforeAll(async () => {
    service = await startService({});
  });

  afterAll(async () => {
    await service.stop('SIGKILL');
  });

  it('is live', async () => {
    const response = await fetch(`${service.baseUrl}/health/live`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('is ready and shows what PRODUCTION would refuse', async () => {
    const response = await fetch(`${service.baseUrl}/health/ready`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'ready', profile: 'LOCAL' });
    expect(body['production_readiness']).toEqual({
      ready: false,
      violations: [
        expect.objectContaining({ code: 'PERSISTENCE_PROFILE_REQUIRES_DPM_POSTGRES' }),
        expect.objectContaining({ code: 'PERSISTENCE_PROFILE_REQUIRES_DPM_POSTGRES_DSN' }),
        expect.objectContaining({ code: 'PERSISTENCE_PROFILE_REQUIRES_ADVISORY_POSTGRES' }),
        expect.objectContaining({ code: 'PERSISTENCE_PROFILE_REQUIRES_ADVISORY_POSTGRES_DSN' }),
      ],
      warnings: [expect.objectContaining({ code: 'PRODUCTION_AUTHENTICATION_DISABLED' })],
    });
  });

  it('logged the shadow violations once at startup as a warning', () => {
    const warnings = service
      .output()
      .split('\n')
      .filter((line) => line.includes('Shadow validation'));
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0] ?? '{}')).toMatchObject({ level: 'warn', codes: expect.arrayContaining(['PERSISTENCE_PROFILE_REQUIRES_DPM_POSTGRES']) });
  });

  it('serves Swagger UI at /docs and the OpenAPI document at /openapi.json', async () => {
    const docs = await fetch(`${service.baseUrl}/docs`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger');
    const openapi = (await (await fetch(`${service.baseUrl}/openapi.json`)).json()) as { openapi: string; paths: object };
    expect(openapi.openapi).toMatch(/^3\./);
    expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(['/health/live', '/health/ready']));
  });

  it('serves the policy-pack routes from the ENV_JSON catalog', async () => {
    const effective = await fetch(`${service.baseUrl}/rebalance/policies/effective`);
    expect(effective.status).toBe(200);
    const catalog = await fetch(`${service.baseUrl}/rebalance/policies/catalog`);
    expect(catalog.status).toBe(200);
    expect(await catalog.json()).toMatchObject({ enabled: false, total: 0, items: [] });
    const admin = await fetch(`${service.baseUrl}/rebalance/policies/catalog/pack_a`, { method: 'DELETE' });
    expect(admin.status).toBe(404);
    expect(await admin.json()).toMatchObject({ detail: 'DPM_POLICY_PACK_ADMIN_APIS_DISABLED' });
  });

  it('echoes or generates X-Correlation-Id and answers unknown routes with a coded 404', async () => {
    const echoed = await fetch(`${service.baseUrl}/health/live`, { headers: { 'X-Correlation-Id': 'corr-test-1' } });
    expect(echoed.headers.get('x-correlation-id')).toBe('corr-test-1');
    const missing = await fetch(`${service.baseUrl}/no/such/route`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-correlation-id')).toMatch(/^corr_[0-9a-f]{24}$/);
    expect(await missing.json()).toMatchObject({ detail: 'Not Found', code: 'ROUTE_NOT_FOUND' });
  });
});

describe('graceful stop', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('%s exits 0 after finishing', async (signal) => {
    const service = await startService({});
    expect((await fetch(`${service.baseUrl}/health/live`)).status).toBe(200);
    expect(await service.stop(signal)).toBe(0);
    expect(service.output()).toContain('Shutdown complete');
  });
});
