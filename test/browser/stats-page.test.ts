/**
 * `cnm stats --format html` of the generated workload (test/helpers/stats-workload.ts), in Chromium: a bar per
 * hour in time order, the empty hour flat, the deploy line between 03:00 and 04:00 with the rates either side, the
 * hot blob first with the longest bar, the next command to copy — at 1440 and 390 px, self-contained.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { describeInBrowser } from '../helpers/browser.js';
import { centre, expectFitsWidth, expectSelfContained } from '../helpers/page-checks.js';
import { runCli } from '../helpers/run-cli.js';
import { analyticsText, DEPLOY, HOT, START, UNTIL } from '../helpers/stats-workload.js';

let PAGE = '';

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cnm-stats-html-'));
  const file = join(dir, 'v2.log');
  writeFileSync(file, analyticsText('2.0'));
  const r = await runCli(
    ['stats', '--logs', file, '--since', START, '--until', UNTIL, '--bucket', '1h', '--deployed-at', DEPLOY].concat([
      '--format',
      'html',
    ]),
  );
  expect(r.code, r.stderr).toBe(0);
  PAGE = r.stdout;
});

describeInBrowser('cnm stats as an HTML page, in Chromium', (browser) => {
  it.each([1440, 390])('at %i px: the rate per hour, the deploy, the hot blobs, the next command', async (width) => {
    const p = await browser.open(`stats-${width}`, PAGE, width);
    expectSelfContained(p);
    await expectFitsWidth(p, width);
    const bars = p.page.locator('.rate-chart g.bucket rect');
    expect(await bars.count()).toBe(9);
    const boxes = await bars.evaluateAll((rs) => rs.map((r) => r.getBoundingClientRect().toJSON() as DOMRect));
    for (let i = 1; i < boxes.length; i++) expect(boxes[i]!.x).toBeGreaterThan(boxes[i - 1]!.x);
    // 00:00 (12%) is taller than 04:00 (7%); 05:00 had no request.
    expect(boxes[0]!.height).toBeGreaterThan(boxes[4]!.height * 1.5);
    expect(boxes[5]!.height).toBe(0);
    const deploy = await centre(p, '.rate-chart line.deploy-line');
    expect(deploy.x).toBeGreaterThan(boxes[3]!.x + boxes[3]!.width);
    expect(deploy.x).toBeLessThan(boxes[4]!.x);
    // The y-axis labels are readable: drawn over the bars, not hidden behind them.
    const ticks = await p.page.locator('.rate-chart .y-tick').evaluateAll((ts) =>
      ts.map((t) => {
        const b = t.getBoundingClientRect();
        return { text: t.textContent, top: document.elementFromPoint(b.x + b.width / 2, b.y + b.height / 2) === t };
      }),
    );
    expect(ticks.map((t) => t.text)).toEqual(['0.00%', '10.0%', '20.0%']);
    expect(ticks.every((t) => t.top)).toBe(true);
    expect(await p.page.locator('.deploy').textContent()).toMatch(/before 10\.0%[\s\S]*after 5\.00%/);
    expect(await p.page.locator('#compare').textContent()).toMatch(/exact conditional binomial test/);
    const rows = p.page.locator('#blobs tbody tr');
    expect(await rows.first().textContent()).toContain(HOT);
    expect(await rows.nth(1).textContent()).toMatch(/expected: event-hubs-ownership/);
    const inline = await p.page
      .locator('#blobs .bar-cell rect')
      .evaluateAll((rs) => rs.map((r) => r.getBoundingClientRect().width));
    expect(inline[0]).toBeGreaterThan(inline[1]!);
    expect(await p.page.locator('#next code').textContent()).toMatch(/^cnm diagnose --request-id \S+ --logs /);
    await browser.screenshot(p, `stats-page-${width}`);
  });
});
