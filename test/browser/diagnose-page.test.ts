/**
 * `cnm diagnose --format html` in a real Chromium: the race in test/fixtures/diagnose/race.log (writer A's PutBlob
 * produced an ETag, writer B's SetBlobMetadata replaced it, writer A's PutBlob with the old ETag failed 412 and
 * retried) drawn as lanes, marks and the ETag chain where the report says, at 1440 and 390 px, light and dark.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeInBrowser } from '../helpers/browser.js';
import { centre, deepCopy, expectFitsWidth, expectSelfContained } from '../helpers/page-checks.js';
import { cleanEnv, runCli } from '../helpers/run-cli.js';

const LOG = deepCopy(new URL('../fixtures/diagnose/race.log', import.meta.url));
const ARGS = ['diagnose', '--request-id', '470b9e55-201e-0137-5c45-cdd293000000', '--logs', LOG];

let page = '';
let report: any;

beforeAll(async () => {
  const [h, j] = await Promise.all([
    runCli([...ARGS, '--format', 'html'], cleanEnv()),
    runCli([...ARGS, '--json'], cleanEnv()),
  ]);
  expect(h.code).toBe(0);
  expect(h.stderr).toBe('');
  page = h.stdout;
  report = JSON.parse(j.stdout);
});

describeInBrowser('diagnose as an HTML page, in Chromium', (browser) => {
  it('loads nothing, logs no error, and draws one lane per caller with every request a mark in its lane', async () => {
    const p = await browser.open('diagnose-race', page, 1440);
    expectSelfContained(p);
    await expectFitsWidth(p, 1440);
    const labels = p.page.locator('.chart.lanes .lane-label[data-lane]');
    expect(await labels.count()).toBe(3);
    expect(await labels.allTextContents()).toEqual([
      expect.stringContaining('10.0.0.5'),
      expect.stringContaining('10.0.0.6'),
      expect.stringContaining('10.0.0.4'),
    ]);
    expect(await labels.nth(1).getAttribute('title')).toBe('acct @ 10.0.0.6:50000\nwriter-B/2.0');
    const marks = p.page.locator('.chart.lanes g.mark');
    expect(await marks.count()).toBe(report.writers.length + 1);
    // Each mark sits in its caller's lane (same height as the lane's label) and left to right in time order.
    const xs: number[] = [];
    for (let i = 0; i < report.writers.length + 1; i++) {
      const lane = await p.page.locator(`#req-${i}`).getAttribute('data-lane');
      const m = await centre(p, `#req-${i} circle`);
      const label = await p.page.locator(`.chart.lanes .lane-label[data-lane="${lane}"]`).boundingBox();
      expect(m.y).toBeGreaterThan(label!.y);
      expect(m.y).toBeLessThan(label!.y + label!.height);
      xs.push(m.x);
    }
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
    // The failed request stands out: the one red cross, on the failure line, in writer A's (10.0.0.4) lane.
    const self = p.page.locator('g.mark.self');
    expect(await self.count()).toBe(1);
    expect(await self.getAttribute('data-lane')).toBe('2');
    const line = await p.page.locator('line.failure-line').boundingBox();
    expect(Math.abs((await centre(p, 'g.mark.self circle')).x - (line!.x + line!.width / 2))).toBeLessThan(1.5);
    expect(await self.locator('title').textContent()).toContain('470b9e55-201e-0137-5c45-cdd293000000');
    await browser.screenshot(p, 'diagnose-race-1440');
  });

  it('draws the ETag chain: the write that produced the supplied ETag → the write that replaced it → the 412', async () => {
    const p = await browser.open('diagnose-race-chain', page, 1440);
    const produced = p.page.locator('.chain [data-step="produced"]');
    const replaced = p.page.locator('.chain [data-step="replaced"]');
    expect(await produced.textContent()).toContain(report.timeline.producedBy.etag);
    expect(await replaced.textContent()).toContain(report.timeline.replacedBy.etag);
    expect(await p.page.locator('.chain [data-step="failed"]').textContent()).toContain('412 ConditionNotMet');
    // Each card links to its mark, and the mark is the writer the report names.
    const producedMark = (await produced.locator('a').getAttribute('href'))!.slice(1);
    const replacedMark = (await replaced.locator('a').getAttribute('href'))!.slice(1);
    expect(await p.page.locator(`#${producedMark}`).getAttribute('data-role')).toBe('produced-supplied-etag');
    expect(await p.page.locator(`#${replacedMark}`).getAttribute('data-role')).toBe('replaced-supplied-etag');
    expect(await p.page.locator(`#${producedMark} title`).textContent()).toContain(
      report.timeline.producedBy.requestId,
    );
    // The arrows in the chart run produced → replaced → this request.
    const hops = await p.page
      .locator('g.etag-hop')
      .evaluateAll((gs) => gs.map((g) => [g.getAttribute('data-from'), g.getAttribute('data-to')]));
    const selfId = await p.page.locator('g.mark.self').getAttribute('id');
    expect(hops).toEqual([
      [producedMark, replacedMark],
      [replacedMark, selfId],
    ]);
    // The conditions, the cause and the line to copy are there as text.
    expect(await p.page.locator('#conditions').textContent()).toContain('FAILS');
    expect(await p.page.locator('#cause h2 code').textContent()).toBe('stale-etag');
    expect(await p.page.locator('#retest pre').textContent()).toBe(report.replay);
  });

  it('reads on a phone (390 px, no sideways scrolling) and in dark mode', async () => {
    const phone = await browser.open('diagnose-race-390', page, 390);
    expectSelfContained(phone);
    await expectFitsWidth(phone, 390);
    expect(await phone.page.locator('g.mark').count()).toBe(report.writers.length + 1);
    await browser.screenshot(phone, 'diagnose-race-390');
    const dark = await browser.open('diagnose-race-dark', page, 1440, 'dark');
    const bg = await dark.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).toBe('rgb(13, 17, 23)');
    await browser.screenshot(dark, 'diagnose-race-1440-dark');
  });

  it('prints on A4 without losing a section', async () => {
    const p = await browser.open('diagnose-race-print', page, 1440);
    await p.page.emulateMedia({ media: 'print' });
    expect(await p.page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(255, 255, 255)');
    const pdf = await p.page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    for (const id of ['requests', 'conditions', 'cause', 'steps', 'fix', 'retest'])
      expect(await p.page.locator(`#${id}`).isVisible()).toBe(true);
  });
});
