/**
 * The demo's diagnoses (real races on the demo's embedded Azurite, captured by the library's policy) as HTML pages
 * in Chromium: one lane per worker, every request a mark, the failed one among them; screenshots for a person.
 */
import { Chalk } from 'chalk';
import { beforeAll, expect, it } from 'vitest';
import type { DiagnoseReport } from '../../src/core/diagnose/types.js';
import { renderReport } from '../../src/render/render.js';
import { describeInBrowser } from '../helpers/browser.js';
import { expectFitsWidth, expectSelfContained } from '../helpers/page-checks.js';
import { cleanEnv, runCli } from '../helpers/run-cli.js';

let diagnoses: DiagnoseReport[] = [];

beforeAll(async () => {
  const r = await runCli(['demo', '--json'], cleanEnv(), 120_000);
  expect(r.code).toBe(0);
  diagnoses = (JSON.parse(r.stdout) as { steps: { report?: { command: string } }[] }).steps
    .map((s) => s.report)
    .filter((x): x is DiagnoseReport => x?.command === 'diagnose');
  expect(diagnoses.length).toBeGreaterThan(0);
}, 120_000);

describeInBrowser("the demo's diagnoses as HTML pages, in Chromium", (browser) => {
  it('each one: a lane per caller, a mark per request, one failed request standing out, at 1440 and 390 px', async () => {
    for (const [i, report] of diagnoses.entries()) {
      const html = await renderReport(report, 'html', { chalk: new Chalk({ level: 0 }) });
      const timed = report.writers.filter((w) => w.time).length + (report.request.time ? 1 : 0);
      for (const width of [1440, 390]) {
        const p = await browser.open(`demo-diagnose-${i + 1}-${width}`, html, width);
        expectSelfContained(p);
        await expectFitsWidth(p, width);
        const callers = new Set([report.request, ...report.writers].map((w) => `${w.caller}|${w.userAgent}`));
        expect(await p.page.locator('.chart.lanes .lane-label[data-lane]').count()).toBe(callers.size);
        expect(await p.page.locator('.chart.lanes g.mark').count()).toBe(timed);
        expect(await p.page.locator('.chart.lanes g.mark.self').count()).toBe(report.request.time ? 1 : 0);
        await browser.screenshot(p, `demo-diagnose-${i + 1}-${width}`);
      }
    }
  }, 120_000);
});
