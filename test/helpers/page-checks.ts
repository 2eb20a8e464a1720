/** What every page must be, whatever it shows: it loads nothing but itself, logs no error, runs nothing. */
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { expect } from 'vitest';
import type { OpenedPage } from './browser.js';

export function expectSelfContained(p: OpenedPage): void {
  expect(p.requests).toEqual([p.url]);
  expect(p.consoleErrors).toEqual([]);
  expect(p.dialogs).toEqual([]);
}

/** No sideways scrolling: the page fits the viewport it was opened at. */
export async function expectFitsWidth(p: OpenedPage, width: number): Promise<void> {
  expect(await p.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
}

/** Centre of an element, in page pixels. */
export async function centre(p: OpenedPage, selector: string): Promise<{ x: number; y: number }> {
  const box = await p.page.locator(selector).first().boundingBox();
  if (!box) throw new Error(`${selector} is not drawn`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/**
 * A copy of a fixture under a deep folder, so a page that quotes the path (the retest line, the notes) is tested
 * with the kind of long path a CI runner's checkout has: one that only fits a phone if the page wraps it.
 */
export function deepCopy(fixture: URL): string {
  const folder = join(
    mkdtempSync(join(tmpdir(), 'cnm-deep-')),
    'a_checkout_folder_named_as_long_as_a_ci_runner_workspace_0123456789',
    'test',
    'fixtures',
  );
  mkdirSync(folder, { recursive: true });
  const path = join(folder, basename(fixture.pathname));
  copyFileSync(fixture, path);
  return path;
}
