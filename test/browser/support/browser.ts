/**
 * The Chromium the browser tests drive. It comes from the npm package @sparticuz/chromium (a
 * Chromium build shipped inside the package, unpacked on first use), so `npm ci` is all a machine
 * needs; CONSOLE_TEST_CHROMIUM points at another binary (e.g. Debian's /usr/bin/chromium).
 * No browser is a failure, never a skip.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sparticuz from '@sparticuz/chromium';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { REPO_ROOT } from '../../support/paths.ts';

/** Quiet on a closed network: no background traffic, no updates, no sync. */
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--font-render-hinting=none',
];

async function executable(): Promise<string> {
  const given = process.env['CONSOLE_TEST_CHROMIUM']?.trim();
  if (given) return given;
  // The package unpacks into the temporary folder and reuses any `chromium` it finds there, even
  // another version's: give it a folder of its own version.
  const { version } = JSON.parse(readFileSync(path.join(REPO_ROOT, 'node_modules', '@sparticuz', 'chromium', 'package.json'), 'utf8')) as { version: string };
  const folder = path.join(tmpdir(), `dpm-console-chromium-${version}`);
  mkdirSync(folder, { recursive: true });
  const saved = process.env['TMPDIR'];
  process.env['TMPDIR'] = folder;
  try {
    return await sparticuz.executablePath();
  } catch (error) {
    throw new Error(`No browser for the console tests: @sparticuz/chromium could not unpack its Chromium (${String(error)}). Run \`npm ci\`, or set CONSOLE_TEST_CHROMIUM to a Chromium binary.`);
  } finally {
    if (saved === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = saved;
  }
}

export async function launchBrowser(): Promise<Browser> {
  const executablePath = await executable();
  try {
    return await chromium.launch({ executablePath, headless: true, args: FLAGS });
  } catch (error) {
    throw new Error(`Chromium at ${executablePath} did not start: ${String(error)}`);
  }
}

/** A fresh profile per context (cookies, sessionStorage), at the 1280×800 the console is designed for. */
export function newContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true, locale: 'en-GB', timezoneId: 'UTC' });
}

