/** `cnm replay --format html` against a real Azurite, in Chromium: the conditions supplied vs current, the verdict. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { useAzurite } from '../helpers/azurite.js';
import { describeInBrowser } from '../helpers/browser.js';
import { expectFitsWidth, expectSelfContained } from '../helpers/page-checks.js';
import { cleanEnv, runCli } from '../helpers/run-cli.js';

const fx = useAzurite();
const pages: Record<string, string> = {};
let stale = '';
let current = '';

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cnm-replay-html-'));
  const env = cleanEnv({ AZURE_STORAGE_CONNECTION_STRING: fx.az.connectionString });
  const c = fx.service.getContainerClient('replay-html');
  await c.create();
  const blob = c.getBlockBlobClient('manifest.json');
  stale = (await blob.upload('{"v":1}', 7)).etag!;
  current = (await blob.upload('{"v":2}', 7)).etag!;
  for (const [name, etag] of [
    ['stale', stale],
    ['fresh', current],
  ] as const) {
    const file = join(dir, `${name}.json`);
    writeFileSync(
      file,
      JSON.stringify({ request: { method: 'PUT', url: `${blob.url}?comp=metadata`, headers: { 'If-Match': etag } } }),
    );
    const r = await runCli(['replay', file, '--format', 'html'], env);
    expect(r.code).toBe(name === 'stale' ? 1 : 0);
    pages[name] = r.stdout;
  }
});

describeInBrowser('replay as an HTML page, in Chromium', (browser) => {
  it('a stale If-Match: the condition FAILS, supplied and current side by side, would fail, stale-etag', async () => {
    const p = await browser.open('replay-stale', pages.stale!, 1440);
    expectSelfContained(p);
    await expectFitsWidth(p, 1440);
    expect(await p.page.locator('#verdict').getAttribute('data-verdict')).toBe('would-fail');
    expect(await p.page.locator('#verdict').textContent()).toContain('Azure would answer 412 ConditionNotMet now');
    const cells = await p.page.locator('#conditions tbody tr td').allTextContents();
    expect(cells.slice(0, 4)).toEqual(['if-match', stale, current, 'FAILS']);
    expect(await p.page.locator('#cause h2 code').textContent()).toBe('stale-etag');
    expect(await p.page.locator('#fix li').count()).toBeGreaterThan(1);
    await browser.screenshot(p, 'replay-stale-1440');
    const phone = await browser.open('replay-stale-390', pages.stale!, 390);
    await expectFitsWidth(phone, 390);
    await browser.screenshot(phone, 'replay-stale-390');
  });

  it('the current ETag: the condition holds, would succeed, no cause', async () => {
    const p = await browser.open('replay-fresh', pages.fresh!, 1440);
    expectSelfContained(p);
    expect(await p.page.locator('#verdict').getAttribute('data-verdict')).toBe('would-succeed');
    expect(await p.page.locator('#conditions tbody td[data-label="verdict"]').textContent()).toBe('holds');
    expect(await p.page.locator('#cause').count()).toBe(0);
  });
});
