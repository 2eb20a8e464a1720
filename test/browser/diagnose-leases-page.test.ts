/**
 * The diagnose page's lease timeline and origin section, drawn from a report that has `leases[]` and `origin`
 * (the race of race.log, from the real CLI, with test/helpers/lease-story.ts added): bars where the leases were
 * held, ending as each ended, renewals ticked, the refused acquire marked, the origin named.
 */
import { Chalk } from 'chalk';
import { beforeAll, expect, it } from 'vitest';
import type { DiagnoseReport } from '../../src/core/diagnose/types.js';
import { renderReport } from '../../src/render/render.js';
import { describeInBrowser } from '../helpers/browser.js';
import { LEASES, LEASE_ENDS, ORIGIN } from '../helpers/lease-story.js';
import { centre, deepCopy, expectFitsWidth, expectSelfContained } from '../helpers/page-checks.js';
import { cleanEnv, runCli } from '../helpers/run-cli.js';

const LOG = deepCopy(new URL('../fixtures/diagnose/race.log', import.meta.url));
let page = '';

beforeAll(async () => {
  const r = await runCli(
    ['diagnose', '--request-id', '470b9e55-201e-0137-5c45-cdd293000000', '--logs', LOG, '--json'],
    cleanEnv(),
  );
  const report = { ...(JSON.parse(r.stdout) as DiagnoseReport), leases: LEASES, origin: ORIGIN };
  page = await renderReport(report, 'html', { chalk: new Chalk({ level: 0 }) });
});

describeInBrowser('diagnose with leases and an origin, in Chromium', (browser) => {
  it('draws a bar per lease, ending as it ended, with renewals ticked and the refused acquire marked', async () => {
    const p = await browser.open('diagnose-leases', page, 1440);
    expectSelfContained(p);
    await expectFitsWidth(p, 1440);
    const bars = p.page.locator('.chart.leases g.lease');
    expect(await bars.evaluateAll((gs) => gs.map((g) => g.getAttribute('data-ended')))).toEqual(LEASE_ENDS);
    expect(await bars.first().getAttribute('data-renewals')).toBe('1');
    expect(await bars.first().locator('line.renew').count()).toBe(1);
    // The same time axis as the lanes: the break (17:59:20) ends bar 2 between the write at 17:58:00 (req-0)
    // and the one at 17:59:30 (req-1); the lease still held runs on past the failure.
    const brokenEnd = await centre(p, '.chart.leases g.lease[data-ended="broken"] line.lease-end');
    expect(brokenEnd.x).toBeGreaterThan((await centre(p, '#req-0 circle')).x);
    expect(brokenEnd.x).toBeLessThan((await centre(p, '#req-1 circle')).x);
    const open = await p.page.locator('.chart.leases g.lease[data-ended="open"] rect').boundingBox();
    expect(open!.x + open!.width).toBeGreaterThan((await centre(p, 'g.mark.self circle')).x);
    expect(await p.page.locator('.chart.leases g.lease-refused').count()).toBe(1);
    expect(await p.page.locator('.chart.leases g.lease[data-ended="broken"] title').textContent()).toContain(
      'bbbb2222-0000-4000-8000-000000000002',
    );
    await browser.screenshot(p, 'diagnose-leases-1440');
  });

  it('names the origin: its kind, how sure, the request that did it and the evidence', async () => {
    const p = await browser.open('diagnose-origin', page, 390);
    await expectFitsWidth(p, 390);
    const origin = p.page.locator('#origin');
    expect(await origin.getAttribute('data-kind')).toBe('other-writer');
    const text = await origin.textContent();
    for (const s of [
      'another caller changed the blob',
      'certain',
      ORIGIN.by!.requestId!,
      'acct (SharedKey)',
      ORIGIN.evidence[0]!,
    ])
      expect(text).toContain(s);
    await browser.screenshot(p, 'diagnose-leases-390');
  });
});
