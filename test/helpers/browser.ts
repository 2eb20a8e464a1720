/**
 * A real headless Chromium (Debian's `chromium` package, installed by .ci/run) driven by playwright-core: no
 * browser is downloaded. Without the background-networking flags Chromium tries to reach Google's services, which
 * this closed network refuses. Locally, without a browser, the browser tests say so and skip; under CI=true a
 * missing browser is a failure, never a skip.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';

const CHROMIUM = process.env.CNM_CHROMIUM ?? '/usr/bin/chromium';
const HAS_BROWSER = existsSync(CHROMIUM);

/** Screenshots for a person to look at (git-ignored). */
const SCREENSHOTS = new URL('../../test-output/screenshots/', import.meta.url).pathname;

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** `describe`, when a browser is there; a skip that says why locally; a failing test under CI. */
export function describeInBrowser(name: string, body: (b: BrowserFixture) => void): void {
  if (HAS_BROWSER) {
    describe(name, () => body(useBrowser()));
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('has a browser (CI installs chromium: .ci/run)', () => {
        throw new Error(`no browser at ${CHROMIUM}: apt-get install chromium (or set CNM_CHROMIUM)`);
      });
    });
    return;
  }
  console.warn(`browser tests skipped: no browser at ${CHROMIUM} (apt-get install chromium, or set CNM_CHROMIUM)`);
  describe.skip(name, () => body({} as BrowserFixture));
}

export interface OpenedPage {
  page: Page;
  url: string;
  /** Every URL the page asked for (the page itself included). */
  requests: string[];
  consoleErrors: string[];
  dialogs: string[];
}

export interface BrowserFixture {
  /** Writes `html` to a file and opens it from file:// at `width` px. */
  open(name: string, html: string, width: number, colorScheme?: 'light' | 'dark'): Promise<OpenedPage>;
  screenshot(opened: OpenedPage, name: string): Promise<string>;
}

function useBrowser(): BrowserFixture {
  let context: BrowserContext;
  const profile = mkdtempSync(join(tmpdir(), 'cnm-chromium-'));
  const pages = mkdtempSync(join(tmpdir(), 'cnm-pages-'));
  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
    });
  }, 60_000);
  afterAll(async () => {
    await context?.close();
    rmSync(profile, { recursive: true, force: true });
    rmSync(pages, { recursive: true, force: true });
  });
  return {
    async open(name, html, width, colorScheme = 'light') {
      const file = join(pages, `${name}.html`);
      writeFileSync(file, html);
      const url = pathToFileURL(file).href;
      const page = await context.newPage();
      const opened: OpenedPage = { page, url, requests: [], consoleErrors: [], dialogs: [] };
      page.on('request', (r) => opened.requests.push(r.url()));
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') opened.consoleErrors.push(m.text());
      });
      page.on('pageerror', (e) => opened.consoleErrors.push(e.message));
      page.on('dialog', (d) => {
        opened.dialogs.push(d.message());
        void d.dismiss();
      });
      // Anything but the page itself is refused before it leaves (and recorded above, so the test fails).
      await page.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
      await page.setViewportSize({ width, height: 900 });
      await page.emulateMedia({ colorScheme });
      await page.goto(url, { waitUntil: 'load' });
      return opened;
    },
    async screenshot(opened, name) {
      mkdirSync(SCREENSHOTS, { recursive: true });
      const path = join(SCREENSHOTS, `${name}.png`);
      await opened.page.screenshot({ path, fullPage: true });
      return path;
    },
  };
}
