/** What every page must be, whatever it shows: it loads nothing but itself, logs no error, runs nothing. */
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
