/**
 * /metrics of the real process on PostgreSQL (docs/operations.md#metrics): after three proposal
 * creates over HTTP the counter says 3, the one pool that the DPM and proposal stores share is
 * reported once with both names, build_info names this checkout's commit, and the previous
 * release's names still carry the same samples.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBody, readyRequest } from '../support/proposal-api.ts';
import { parseMetrics, valueOf } from '../support/metrics.ts';
import { freshDatabase, type TestDatabase } from '../support/postgres.ts';
import { startService, type RunningService } from '../support/service-process.ts';
import { REPO_ROOT } from '../support/paths.ts';

describe('GET /metrics of the real process on PostgreSQL', () => {
  let database: TestDatabase;
  let service: RunningService;

  beforeAll(async () => {
    database = await freshDatabase();
    service = await startService({
      DPM_SUPPORTABILITY_STORE_BACKEND: 'POSTGRES',
      DPM_SUPPORTABILITY_POSTGRES_DSN: database.dsn,
      PROPOSAL_STORE_BACKEND: 'POSTGRES',
      PROPOSAL_POSTGRES_DSN: database.dsn,
    });
  });

  afterAll(async () => {
    await service?.stop();
    await database?.drop();
  });

  it('counts 3 proposal creates, reports the shared pool once, names the build, keeps the old names', async () => {
    for (const n of [1, 2, 3]) {
      const response = await fetch(`${service.baseUrl}/rebalance/proposals`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `e2e-metrics-${n}` },
        body: JSON.stringify(createBody(readyRequest(`pf_e2e_metrics_${n}`))),
      });
      expect(response.status).toBe(200);
    }
    const response = await fetch(`${service.baseUrl}/metrics`);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const families = parseMetrics(await response.text());

    expect(families.get('dpm_rebalance_proposal_creates_total')?.type).toBe('counter');
    expect(valueOf(families, 'dpm_rebalance_proposal_creates_total', { mode: 'sync', outcome: 'created' })).toBe(3);
    expect(valueOf(families, 'dpm_rebalance_proposal_transitions_total', { event: 'CREATED', to_state: 'DRAFT' })).toBe(3);

    const pools = families.get('dpm_rebalance_postgres_pool_connections');
    expect(pools?.samples.map((s) => s.labels)).toEqual([{ store: 'dpm_supportability,proposals' }]);
    expect(pools?.samples[0]?.value).toBeGreaterThanOrEqual(1);
    expect(families.get('dpm_rebalance_store_unavailable')?.samples.map((s) => [s.labels['store'], s.value])).toEqual([
      ['dpm_supportability', 0],
      ['proposals', 0],
    ]);

    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    const build = families.get('dpm_rebalance_build_info')?.samples[0];
    expect(build).toMatchObject({ labels: { version: '0.1.0', commit }, value: 1 });
    expect(build?.labels['node_version']).toMatch(/^v\d+\.\d+\.\d+$/);

    const created = { method: 'POST', route: '/rebalance/proposals', status_code: '200' };
    expect(valueOf(families, 'dpm_rebalance_http_requests_total', created)).toBe(3);
    expect(valueOf(families, 'http_requests_total', created)).toBe(3);
    expect(families.get('http_requests_total')?.help).toMatch(/^Deprecated: renamed dpm_rebalance_http_requests_total; /);
    expect(valueOf(families, 'dpm_rebalance_process_start_time_seconds')).toBe(valueOf(families, 'process_start_time_seconds'));
  });
});
