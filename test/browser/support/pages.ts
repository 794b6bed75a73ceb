/** What every page test does: open a console address, save a screenshot, scan it with axe. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { REPO_ROOT } from '../../support/paths.ts';

export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test-results', 'console');

export async function screenshot(page: Page, backend: string, name: string): Promise<void> {
  const dir = path.join(SCREENSHOT_DIR, backend.toLowerCase());
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}

export interface AxeFinding {
  readonly id: string;
  readonly impact: string | null | undefined;
  readonly help: string;
  readonly targets: string[];
}

/** A console address opened in a new tab of `context`. */
export async function openPage(context: BrowserContext, baseUrl: string, address: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${baseUrl}${address}`);
  return page;
}

/** Screenshot (under `folder`) and accessibility scan of the page as the user now sees it. */
export async function checkPage(page: Page, folder: string, name: string): Promise<void> {
  await screenshot(page, folder, name);
  const violations = await seriousViolations(page);
  expect(violations, `serious or critical accessibility violations on ${name}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
}

/** Serious and critical WCAG 2.x A/AA violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<AxeFinding[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
}
