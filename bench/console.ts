/**
 * `npm run bench:console [-- --rounds N] [-- --json]`: the operations console's budgets, measured
 * on this machine (docs/console.md), never asserted:
 *   - JavaScript: every script of the build, gzipped (budget 250 KB), and what the runs page loads;
 *   - the runs page: navigation start → 50 rows on screen, in a fresh browser profile (cold cache)
 *     and again in the same profile (warm), budget 500 ms;
 *   - the 1,000-position run page: navigation start → its chart on screen (budget 1 s), and the
 *     chart's drawing alone (the `chart:` performance measures the console records).
 * The service is the real process on IN_MEMORY, seeded through its API; the browser is the
 * Chromium the browser tests use.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newContext } from '../test/browser/support/browser.ts';
import { apiAt } from '../test/browser/support/seed.ts';
import { conformanceVector } from '../test/support/conformance.ts';
import { startService } from '../test/support/service-process.ts';
import { REPO_ROOT } from '../test/support/paths.ts';

const args = process.argv.slice(2);
const json = args.includes('--json');
const roundsAt = args.indexOf('--rounds');
const ROUNDS = roundsAt >= 0 ? Number(args[roundsAt + 1]) : 5;
const log = (line: string): void => void (json ? process.stderr : process.stdout).write(`${line}\n`);

const ASSETS = path.join(REPO_ROOT, 'console', 'dist', 'assets');
const BUDGET = { jsGzipKb: 250, runsPageMs: 500, largeChartMs: 1000 };

const kb = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0);
};

function bundleSizes(): { files: { file: string; gzipKb: number }[]; totalGzipKb: number } {
  const files = readdirSync(ASSETS)
    .filter((f) => f.endsWith('.js'))
    .map((file) => ({ file, gzipKb: kb(gzipSync(readFileSync(path.join(ASSETS, file)), { level: 9 }).length) }))
    .sort((a, b) => b.gzipKb - a.gzipKb);
  return { files, totalGzipKb: kb(files.reduce((sum, f) => sum + f.gzipKb * 1024, 0)) };
}

/** Milliseconds from navigation start until `ready` holds, read from the page's own clock. */
async function timeToReady(page: Page, url: string, ready: () => Promise<void>): Promise<number> {
  await page.goto(url);
  await ready();
  return page.evaluate(() => performance.now());
}

async function chartDrawMs(page: Page): Promise<number> {
  return page.evaluate(() => Math.max(0, ...performance.getEntriesByType('measure').filter((m) => m.name.startsWith('chart: Allocation by instrument')).map((m) => m.duration)));
}

async function measurePages(browser: Browser, baseUrl: string, largeRun: string, instruments: number) {
  const runsCold: number[] = [];
  const runsWarm: number[] = [];
  const largeCold: number[] = [];
  const largeDraw: number[] = [];
  const runsReady = (page: Page) => () => page.locator('[data-testid="runs-table"] tbody tr').nth(49).waitFor({ state: 'attached' });
  const largeReady = (page: Page) => () => page.locator('[data-testid="allocation-chart"] g.bar-after rect').nth(instruments - 1).waitFor({ state: 'attached' });
  for (let round = 0; round < ROUNDS; round += 1) {
    const context = await newContext(browser);
    const page = await context.newPage();
    runsCold.push(await timeToReady(page, `${baseUrl}/console/runs`, runsReady(page)));
    runsWarm.push(await timeToReady(page, `${baseUrl}/console/runs`, runsReady(page)));
    const large = await context.newPage();
    largeCold.push(await timeToReady(large, `${baseUrl}/console/runs/${largeRun}`, largeReady(large)));
    largeDraw.push(await chartDrawMs(large));
    await context.close();
  }
  return { runsCold, runsWarm, largeCold, largeDraw };
}

async function main(): Promise<void> {
  const sizes = bundleSizes();
  const service = await startService({ LOG_LEVEL: 'info' }, 60_000);
  let browser: Browser | undefined;
  try {
    const api = apiAt(service.baseUrl);
    const request = conformanceVector<{ request: unknown }>('dpm', 'scenario_01_cash_inflow').request;
    for (let i = 0; i < 60; i += 1) await api.call('POST', '/rebalance/simulate', request, { 'idempotency-key': `bench-console-${i}` });
    const large = conformanceVector<{ request: unknown }>('dpm-large', 'large_1000').request;
    const largeRun = (await api.call('POST', '/rebalance/simulate', large, { 'idempotency-key': 'bench-console-large' }))['rebalance_run_id'] as string;
    const run = (await api.call('GET', `/rebalance/runs/${largeRun}`)) as { result: { before: { allocation_by_instrument: { key: string }[] }; after_simulated: { allocation_by_instrument: { key: string }[] }; target: { targets: { instrument_id: string }[] } } };
    const instruments = new Set([...run.result.before.allocation_by_instrument.map((a) => a.key), ...run.result.after_simulated.allocation_by_instrument.map((a) => a.key), ...run.result.target.targets.map((t) => t.instrument_id)]).size;

    browser = await launchBrowser();
    // One unmeasured round: the browser's own first start (unpacking, font caches) is not the console's cost.
    const warmup = await newContext(browser);
    await (await warmup.newPage()).goto(`${service.baseUrl}/console/runs`);
    await warmup.close();

    const pages = await measurePages(browser, service.baseUrl, largeRun, instruments);
    const load = loadavg().map((l) => l.toFixed(2)).join(' ');
    const report = {
      machine: { cores: execFileSync('nproc').toString().trim(), load_average: load, rounds: ROUNDS },
      javascript: { total_gzip_kb: sizes.totalGzipKb, budget_kb: BUDGET.jsGzipKb, files: sizes.files },
      runs_page_50_rows_ms: { cold_median: median(pages.runsCold), warm_median: median(pages.runsWarm), samples_cold: pages.runsCold.map(Math.round), samples_warm: pages.runsWarm.map(Math.round), budget_ms: BUDGET.runsPageMs },
      large_run_chart_ms: { instruments, bars: instruments * 3, page_to_chart_median: median(pages.largeCold), draw_median: median(pages.largeDraw), samples: pages.largeCold.map(Math.round), budget_ms: BUDGET.largeChartMs },
    };
    if (json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    log(`machine: ${report.machine.cores} cores, load average ${load}; ${ROUNDS} rounds`);
    log(`JavaScript, gzipped: ${sizes.totalGzipKb} KB in total (budget ${BUDGET.jsGzipKb} KB)`);
    for (const f of sizes.files) log(`  ${f.file.padEnd(34)} ${f.gzipKb} KB`);
    log(`runs page, 50 rows: ${report.runs_page_50_rows_ms.cold_median} ms cold, ${report.runs_page_50_rows_ms.warm_median} ms warm (median; budget ${BUDGET.runsPageMs} ms)`);
    log(`1,000-position run: chart of ${instruments} rows (${instruments * 3} bars) on screen ${report.large_run_chart_ms.page_to_chart_median} ms after navigation, drawn in ${report.large_run_chart_ms.draw_median} ms (median; budget ${BUDGET.largeChartMs} ms)`);
  } finally {
    await browser?.close();
    await service.stop();
  }
}

await main();
