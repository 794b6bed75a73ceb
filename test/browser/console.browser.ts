/**
 * The operations console in a real headless Chromium against the real service process, on
 * IN_MEMORY and on PostgreSQL, with data seeded through the public API. Every page is loaded,
 * filtered, paged and deep-linked, screenshotted (test-results/console/) and scanned with axe.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext } from './support/browser.ts';
import { CONSOLE_BACKENDS, POLICY_PACKS, startConsoleService, TENANT_WITH_PACK, type ConsoleService } from './support/console-service.ts';
import { checkPage, openPage } from './support/pages.ts';
import { apiAt, seed, type Api, type Seeded } from './support/seed.ts';
import { conformanceVector } from '../support/conformance.ts';

describe.each(CONSOLE_BACKENDS)('the console on %s', (backend) => {
  let running: ConsoleService;
  let api: Api;
  let data: Seeded;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    running = await startConsoleService(backend);
    api = apiAt(running.service.baseUrl);
    [data, browser] = await Promise.all([seed(api), launchBrowser()]);
    context = await newContext(browser);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await running?.stop();
  });

  const open = (address: string): Promise<Page> => openPage(context, running.service.baseUrl, address);

  const check = (page: Page, name: string): Promise<void> => checkPage(page, backend, name);

  const rowsOf = (page: Page, testId: string) => page.locator(`[data-testid="${testId}"] tbody tr`);
  const barsOf = (page: Page, series: string) => page.locator(`[data-testid="allocation-chart"] g.bar-${series} rect`);

  it('overview: runs per day, proposals by state, operations, store health', async () => {
    const page = await open('/console');
    await page.locator('#runs-per-day svg[role="img"]').waitFor();
    await page.locator('#proposals-by-state svg[role="img"]').waitFor();
    await page.locator('#operations-by-status svg[role="img"]').waitFor();
    await page.locator('#health dl').waitFor();
    expect(await page.locator('#runs-per-day').textContent()).toContain('READY');
    expect(await page.locator('#health').textContent()).toContain(backend);
    expect(await page.locator('#operations-by-status').textContent()).toMatch(/\d+ runs recorded/);
    await check(page, 'overview');
  });

  it('runs: 50 a page, a next page, filters that become the URL, deep links, keyboard navigation', async () => {
    const page = await open('/console/runs');
    await rowsOf(page, 'runs-table').first().waitFor();
    expect(await rowsOf(page, 'runs-table').count()).toBe(50);
    const firstPage = await page.locator('[data-testid="runs-table"] tbody tr td:first-child').allTextContents();
    await check(page, 'runs');

    await page.getByTestId('next-page').click();
    await page.waitForURL(/cursor=/);
    await page.getByRole('link', { name: 'First page' }).waitFor();
    await rowsOf(page, 'runs-table').first().waitFor();
    const secondPage = await page.locator('[data-testid="runs-table"] tbody tr td:first-child').allTextContents();
    expect(secondPage.length).toBeGreaterThan(0);
    expect(secondPage.filter((id) => firstPage.includes(id))).toEqual([]);

    await page.goto(`${running.service.baseUrl}/console/runs`);
    await rowsOf(page, 'runs-table').first().waitFor();
    await page.getByLabel('Status').selectOption('PENDING_REVIEW');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/status=PENDING_REVIEW/);
    await page.locator(`[data-testid="runs-table"] a[href$="${data.reviewRun}"]`).waitFor();
    const statuses = await page.locator('[data-testid="runs-table"] [data-status]').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
    expect(new Set(statuses)).toEqual(new Set(['PENDING_REVIEW']));

    const deep = await open('/console/runs?portfolio_id=pf_001&status=READY');
    await rowsOf(deep, 'runs-table').first().waitFor();
    expect(await deep.getByLabel('Portfolio').inputValue()).toBe('pf_001');
    const deepStatuses = await deep.locator('[data-testid="runs-table"] [data-status]').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
    expect(new Set(deepStatuses)).toEqual(new Set(['READY']));

    // Keyboard only: focus the first run link and open it with Enter.
    const firstLink = deep.locator('[data-testid="runs-table"] tbody tr:first-child a').first();
    await firstLink.focus();
    await deep.keyboard.press('Enter');
    await deep.waitForURL(/\/console\/runs\/rr_/);
    await deep.locator('#trades').waitFor();
  });

  it('from a correlation id to the run, its trades and why, its chart, and its support bundle', async () => {
    const page = await open('/console');
    await page.getByLabel('Run id, proposal id, operation id or correlation id').fill(data.twoInstrumentRun.correlationId);
    await page.keyboard.press('Enter');
    await page.waitForURL(/correlation_id=/);
    await page.locator(`[data-testid="runs-table"] a[href$="${data.twoInstrumentRun.runId}"]`).click();
    await page.waitForURL(new RegExp(`/console/runs/${data.twoInstrumentRun.runId}$`));

    // Scenario 02 holds two instruments: one row each, three bars per row.
    await barsOf(page, 'after').first().waitFor();
    for (const series of ['before', 'target', 'after']) expect(await barsOf(page, series).count()).toBe(2);
    expect(await rowsOf(page, 'trades-table').count()).toBe(2);
    expect(await page.getByTestId('trades-table').textContent()).toContain('DRIFT_REBALANCE');
    await page.locator('#identity').getByText(/^sha256:/).first().waitFor();
    await check(page, 'run');

    await page.getByLabel('By asset class').check();
    // Before: cash only; target and after: the two instruments' class and cash.
    await expect.poll(() => page.locator('#allocation .numbers tbody tr').count()).toBe(2);
    for (const series of ['before', 'target', 'after']) expect(await barsOf(page, series).count()).toBe(2);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-support-bundle').click()]);
    const bundle = JSON.parse(readFileSync(await download.path(), 'utf8')) as { run: { rebalance_run_id: string }; lineage: { edges: unknown[] } };
    expect(bundle.run.rebalance_run_id).toBe(data.twoInstrumentRun.runId);
    expect(bundle.lineage.edges.length).toBeGreaterThan(0);
  });

  it('a run is reviewed by clicking, and the review shows who decided; lineage and idempotency history are shown', async () => {
    const page = await open(`/console/runs/${data.reviewRun}`);
    await page.getByRole('button', { name: 'Approve' }).waitFor();
    await page.locator('#wf-actor').fill('risk_rita');
    await page.locator('#wf-reason').fill('LIMIT_BREACH_ACCEPTED');
    await page.locator('#wf-comment').fill('within tolerance for this client');
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByTestId('decisions-table').getByText('risk_rita').waitFor();
    expect(await page.locator('#review [data-status="APPROVED"]').count()).toBeGreaterThan(0);
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    const workflow = await api.call('GET', `/rebalance/runs/${data.reviewRun}/workflow`);
    expect(workflow['workflow_status']).toBe('APPROVED');

    await page.getByTestId('lineage-graph').waitFor();
    expect(await page.locator('#lineage table tbody tr').count()).toBeGreaterThanOrEqual(2);
    expect(await rowsOf(page, 'idempotency-table').count()).toBeGreaterThanOrEqual(1);
    await check(page, 'run-review');
  });

  it('the reproduce check is a report: every part matches for an untouched run; on PostgreSQL, a stored result altered behind the service shows the part and the difference', async () => {
    const page = await open(`/console/runs/${data.twoInstrumentRun.runId}`);
    await page.getByRole('button', { name: "Check that today's engine reproduces this run" }).click();
    await page.locator('[data-testid="reproduce-report"][data-verdict="IDENTICAL"]').waitFor();
    const verdicts = await page.locator('[data-testid="reproduce-parts"] tbody [data-status]').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
    expect(verdicts.length).toBeGreaterThan(5);
    expect(new Set(verdicts)).toEqual(new Set(['MATCH']));
    expect(await page.getByTestId('reproduce-differences').count()).toBe(0);
    await check(page, 'run-reproduced');
    if (!running.dsn) return;

    const request = conformanceVector<{ request: unknown }>('dpm', 'scenario_02_constraint_cap').request;
    const runId = (await api.call('POST', '/rebalance/simulate', request, { 'idempotency-key': 'console-reproduce-altered' }))['rebalance_run_id'] as string;
    const client = new pg.Client({ connectionString: running.dsn });
    await client.connect();
    try {
      const altered = await client.query(`UPDATE dpm_runs SET result_json = jsonb_set(result_json::jsonb, '{intents,0,quantity}', '"49"')::json WHERE rebalance_run_id = $1`, [runId]);
      expect(altered.rowCount).toBe(1);
    } finally {
      await client.end();
    }
    await page.goto(`${running.service.baseUrl}/console/runs/${runId}`);
    await page.getByRole('button', { name: "Check that today's engine reproduces this run" }).click();
    await page.locator('[data-testid="reproduce-report"][data-verdict="DIFFERENT"]').waitFor();
    expect(await page.locator('[data-testid="reproduce-parts"] tr:has([data-status="MISMATCH"]) td:first-child').allTextContents()).toEqual(['intents']);
    const difference = await rowsOf(page, 'reproduce-differences').allTextContents();
    expect(difference).toHaveLength(1);
    expect(difference[0]).toContain('intents[0].quantity');
    expect(difference[0]).toContain('CHANGED');
    expect(difference[0]).toMatch(/49.*50/);
    await check(page, 'run-reproduce-different');
  });

  it('the 1,000-position run draws one row of three bars per instrument it holds or targets', async () => {
    const run = (await api.call('GET', `/rebalance/runs/${data.largeRun}`)) as { result: { before: { allocation_by_instrument: { key: string }[] }; after_simulated: { allocation_by_instrument: { key: string }[] }; target: { targets: { instrument_id: string }[] } } };
    const instruments = new Set([
      ...run.result.before.allocation_by_instrument.map((a) => a.key),
      ...run.result.after_simulated.allocation_by_instrument.map((a) => a.key),
      ...run.result.target.targets.map((t) => t.instrument_id),
    ]);
    expect(instruments.size).toBeGreaterThan(500);
    const page = await open(`/console/runs/${data.largeRun}`);
    await barsOf(page, 'after').first().waitFor({ state: 'attached' });
    for (const series of ['before', 'target', 'after']) expect(await barsOf(page, series).count()).toBe(instruments.size);
    await check(page, 'run-large');
    // Scanning and photographing ~2,600 bars takes a while on a loaded machine.
  }, 240_000);

  it('an adviser creates a proposal and takes it from draft to executed by clicking', async () => {
    const page = await open('/console/proposals');
    await page.getByText('Create a proposal from a simulate request').click();
    await page.getByLabel('Start from an example').selectOption({ index: 1 });
    await page.locator('#np-created-by').fill('adviser_amy');
    await page.locator('#np-title').fill('Console proposal');
    await page.getByRole('button', { name: 'Create proposal' }).click();
    await page.waitForURL(/\/console\/proposals\/pp_/);
    const proposalId = decodeURIComponent(page.url().split('/').pop() ?? '');
    await page.locator('[data-testid="lifecycle-diagram"] [data-state="DRAFT"].current').waitFor();
    await check(page, 'proposal-draft');

    const steps: [string, string, string][] = [
      ['Submit for risk review', 'adviser_amy', 'RISK_REVIEW'],
      ['Approve (risk)', 'risk_rita', 'AWAITING_CLIENT_CONSENT'],
      ['Record client consent', 'client_carl', 'EXECUTION_READY'],
      ['Mark executed', 'ops_otto', 'EXECUTED'],
    ];
    for (const [button, actor, state] of steps) {
      await page.locator('#pa-actor').fill(actor);
      await page.getByRole('button', { name: button }).click();
      await page.locator(`[data-testid="lifecycle-diagram"] [data-state="${state}"].current`).waitFor();
    }
    await page.getByText('No move is possible').waitFor();
    expect(await page.locator('[data-testid="proposal-timeline"] li').count()).toBe(5);
    const approvals = await page.getByTestId('approvals-table').textContent();
    expect(approvals).toContain('risk_rita');
    expect(approvals).toContain('client_carl');
    const stored = (await api.call('GET', `/rebalance/proposals/${proposalId}`)) as { proposal: { current_state: string } };
    expect(stored.proposal.current_state).toBe('EXECUTED');
    await check(page, 'proposal-executed');
  });

  it('proposals: filtered lists are links, and a proposal with a model shows its drift', async () => {
    const page = await open('/console/proposals?state=RISK_REVIEW');
    await rowsOf(page, 'proposals-table').first().waitFor();
    expect(await page.getByLabel('State').inputValue()).toBe('RISK_REVIEW');
    const states = await page.locator('[data-testid="proposals-table"] [data-status]').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
    expect(new Set(states)).toEqual(new Set(['RISK_REVIEW']));
    await check(page, 'proposals');

    const drift = await open(`/console/proposals/${data.draftProposal}`);
    await drift.locator('#drift [data-testid="allocation-chart"] svg').waitFor();
    expect(await drift.locator('#drift').textContent()).toContain('mdl_14c_asset');
    await check(drift, 'proposal-drift');
  });

  it('operations: the analysis is listed, opens with its state and scenario runs', async () => {
    const page = await open('/console/operations');
    await page.locator(`[data-testid="operations-table"] a:has-text("${data.operationId}")`).click();
    await page.waitForURL(/operation_id=/);
    await page.locator('#operation [data-status="SUCCEEDED"]').waitFor();
    await check(page, 'operations');
    await page.locator('#operation a:has-text("run of correlation")').first().click();
    await page.waitForURL(/correlation_id=corr-seed-async/);
    await page.getByText('Showing the latest run of correlation id corr-seed-async').waitFor();
    expect(await rowsOf(page, 'runs-table').count()).toBe(1);
  });

  it('policy packs: the catalog, and which pack applies to a tenant', async () => {
    const page = await open('/console/policy-packs');
    await rowsOf(page, 'packs-table').first().waitFor();
    expect(await rowsOf(page, 'packs-table').count()).toBe(Object.keys(POLICY_PACKS).length);
    await page.getByLabel('X-Tenant-Id').fill(TENANT_WITH_PACK.tenant);
    await page.getByRole('button', { name: 'Resolve' }).click();
    await page.waitForURL(/tenant_id=/);
    await page.getByTestId('pack-resolution').getByText(TENANT_WITH_PACK.pack).waitFor();
    await check(page, 'policy-packs');
  });

  it('simulate: a documented example is run, recorded under a generated key, and charted', async () => {
    const page = await open('/console/simulate');
    expect(await page.getByTestId('records-note').textContent()).toContain('generated Idempotency-Key');
    await page.getByLabel('Start from an example').selectOption({ index: 1 });
    await page.getByRole('button', { name: 'Simulate' }).click();
    await page.locator('#outcome a[href^="/console/runs/rr_"]').waitFor();
    await page.locator('#allocation [data-testid="allocation-chart"] svg').waitFor();
    const runId = (await page.locator('#outcome a[href^="/console/runs/rr_"]').textContent()) ?? '';
    const recorded = await api.call('GET', `/rebalance/runs/${runId}`);
    expect(recorded['rebalance_run_id']).toBe(runId);
    await check(page, 'simulate');
  });

  it('errors are shown with their code and correlation id', async () => {
    const page = await open('/console/runs/rr_doesnotexist');
    await page.getByTestId('error-code').waitFor();
    expect(await page.getByTestId('error-code').textContent()).toBe('DPM_RUN_NOT_FOUND');
    expect(await page.getByTestId('error-correlation-id').textContent()).toMatch(/\S+/);
    await check(page, 'error-not-found');

    const invalid = await open('/console/runs?from=yesterday');
    await invalid.getByTestId('error-code').waitFor();
    expect(await invalid.getByTestId('error-code').textContent()).toBe('VALIDATION_ERROR');
    expect(await invalid.locator('.field-errors').textContent()).toContain('from');
  });
});
