/**
 * The chart helpers the stats page is built from (stats-page.test.ts has the page itself), on a page of their own in
 * Chromium: a bar per bucket left to right, taller where the rate is higher, the deploy line between the buckets
 * either side of it, inline bars in proportion — at 1440 and 390 px.
 */
import { expect, it } from 'vitest';
import { barTable, percent, rateChart } from '../../src/render/html/chart.js';
import { html } from '../../src/render/html/markup.js';
import { page } from '../../src/render/html/page.js';
import { describeInBrowser } from '../helpers/browser.js';
import { centre, expectFitsWidth, expectSelfContained } from '../helpers/page-checks.js';
import { DEPLOY, HOT_BLOBS, SERIES } from '../helpers/rate-sample.js';

const PREVIEW = page({
  title: 'cnm chart helpers',
  command: 'stats',
  version: 'preview',
  body: html`<h1>Failure rate per hour</h1>
    <section id="rate">${rateChart({ series: SERIES, deploy: DEPLOY })}</section>
    <section id="blobs">
      <h2>Hot blobs</h2>
      ${barTable(
        ['blob', 'requests', 'failures', 'rate', ''],
        HOT_BLOBS.map((b) => ({
          cells: [
            html`<code>${b.blob}</code>`,
            html`${b.requests}`,
            html`${b.failures}`,
            html`${percent(b.failures / b.requests)}`,
          ],
          value: b.failures,
          bad: true,
        })),
      )}
    </section>`,
});

describeInBrowser('the chart helpers in Chromium (the stats page seam)', (browser) => {
  it.each([1440, 390])(
    'at %i px: bars in time order and height by rate, the deploy line between 13:00 and 14:00',
    async (width) => {
      const p = await browser.open(`charts-${width}`, PREVIEW, width);
      expectSelfContained(p);
      await expectFitsWidth(p, width);
      const bars = p.page.locator('.rate-chart g.bucket rect');
      expect(await bars.count()).toBe(SERIES.length);
      const boxes = await bars.evaluateAll((rs) => rs.map((r) => r.getBoundingClientRect().toJSON() as DOMRect));
      for (let i = 1; i < boxes.length; i++) expect(boxes[i]!.x).toBeGreaterThan(boxes[i - 1]!.x);
      // 00:00 (4.0%) is taller than 14:00 (0.4%); the empty bucket at 03:00 has no height.
      expect(boxes[0]!.height).toBeGreaterThan(boxes[14]!.height * 5);
      expect(boxes[3]!.height).toBe(0);
      const deploy = await centre(p, '.rate-chart line.deploy-line');
      expect(deploy.x).toBeGreaterThan(boxes[13]!.x + boxes[13]!.width);
      expect(deploy.x).toBeLessThan(boxes[14]!.x);
      expect(await p.page.locator('.deploy').textContent()).toMatch(/before 5\.00%[\s\S]*after 0\.40%/);
      const inline = await p.page
        .locator('#blobs .bar-cell rect')
        .evaluateAll((rs) => rs.map((r) => r.getBoundingClientRect().width));
      expect(inline[0]).toBeGreaterThan(inline[1]!);
      expect(inline[1]).toBeGreaterThan(inline[2]!);
      await browser.screenshot(p, `stats-charts-preview-${width}`);
    },
  );
});
