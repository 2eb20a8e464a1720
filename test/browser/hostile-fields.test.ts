/**
 * Log fields are attacker-controlled: user agents, blob names, metadata, client request ids. Markup, script,
 * javascript: URLs and CSS-breaking text go through every string of a diagnose and a replay report (and, through
 * the real CLI, through a $logs user agent and client request id); in Chromium nothing runs, nothing loads, nothing
 * is hidden, and the text reads exactly as sent — with the page's CSP and with it stripped, so escaping alone is
 * what holds. Secrets in a capture stay out of the page.
 */
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chalk } from 'chalk';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/core/reports.js';
import { renderReport } from '../../src/render/render.js';
import { useAzurite } from '../helpers/azurite.js';
import { describeInBrowser, type OpenedPage } from '../helpers/browser.js';
import { LEASES, ORIGIN } from '../helpers/lease-story.js';
import { expectSelfContained } from '../helpers/page-checks.js';
import { cleanEnv, runCli } from '../helpers/run-cli.js';

const PAYLOADS = [
  '<script>window.__pwned=1</script>',
  '"><img src=x onerror="window.__pwned=2">',
  "'><svg onload=window.__pwned=3>",
  'javascript:window.__pwned=4',
  '</style><style>body{display:none}</style>',
  '*/}body{display:none}main{visibility:hidden}/*',
  '</title></g></svg><iframe src="https://example.invalid/"></iframe>',
  '&lt;b&gt; entities stay literal &amp;amp; <!-- ]]>',
];
const HOSTILE = PAYLOADS.join(' ');
/** Keys whose values must stay times for the charts to place marks (the marks' hover texts are hostile anyway). */
const KEEP = new Set(['time', 'lastModified', 'command', 'kind', 'role', 'verdict', 'mode', 'confidence']);

/** Every string leaf of the report with the payloads appended (numbers, booleans and times left as they are). */
function hostile<T>(value: T, key = ''): T {
  if (typeof value === 'string') return (KEEP.has(key) ? value : `${value} ${HOSTILE}`) as T;
  if (Array.isArray(value)) return value.map((v) => hostile(v, key)) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, hostile(v, k)])) as T;
  return value;
}

const html = (report: Report) => renderReport(report, 'html', { chalk: new Chalk({ level: 0 }) });
const stripCsp = (page: string) => page.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '');

const fx = useAzurite();
const dir = mkdtempSync(join(tmpdir(), 'cnm-hostile-'));
const LOG = new URL('../fixtures/diagnose/race.log', import.meta.url).pathname;
const pages: Record<string, string> = {};
const HOSTILE_UA = 'writer-B/2.0 <script>window.__pwned=9</script> "><img src=x onerror=window.__pwned=10>';
const HOSTILE_CRID = '<b onmouseover=window.__pwned=11>crid</b>';

beforeAll(async () => {
  const env = cleanEnv({ AZURE_STORAGE_CONNECTION_STRING: fx.az.connectionString });
  const d = await runCli(
    ['diagnose', '--request-id', '470b9e55-201e-0137-5c45-cdd293000000', '--logs', LOG, '--json'],
    env,
  );
  pages.diagnose = await html(hostile({ ...JSON.parse(d.stdout), leases: LEASES, origin: ORIGIN }));

  const c = fx.service.getContainerClient('hostile');
  await c.create();
  const blob = c.getBlockBlobClient('manifest.json');
  const stale = (await blob.upload('1', 1)).etag!;
  await blob.upload('2', 1, { metadata: { owner: 'x' } });
  const capture = join(dir, 'stale.json');
  writeFileSync(
    capture,
    JSON.stringify({ request: { method: 'PUT', url: `${blob.url}?comp=metadata`, headers: { 'If-Match': stale } } }),
  );
  const r = await runCli(['replay', capture, '--json'], env);
  pages.replay = await html(hostile(JSON.parse(r.stdout)));

  // Through the real CLI: a $logs user agent and client request id carry markup ($logs writes " as &quot;).
  const log = readFileSync(LOG, 'utf8')
    .replace('"writer-B/2.0"', `"${HOSTILE_UA.replaceAll('"', '&quot;')}"`)
    .replace('"aaaaaaaa-0000-4000-8000-000000000003"', `"${HOSTILE_CRID}"`);
  writeFileSync(join(dir, 'hostile.log'), log);
  const cli = await runCli(
    [
      'diagnose',
      '--request-id',
      '470b9e55-201e-0137-5c45-cdd293000000',
      '--logs',
      join(dir, 'hostile.log'),
      '--format',
      'html',
    ],
    cleanEnv(),
  );
  expect(cli.code).toBe(0);
  pages.cli = cli.stdout;
}, 60_000);

async function expectNothingRan(p: OpenedPage, sent: string[]): Promise<void> {
  expect(p.dialogs).toEqual([]);
  expect(await p.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  const injected = await p.page.evaluate(
    () =>
      document.querySelectorAll(
        'script, img, iframe, object, embed, body style, [onerror], [onload], [onmouseover], a[href]:not([href^="#"])',
      ).length,
  );
  expect(injected).toBe(0);
  expect(await p.page.evaluate(() => getComputedStyle(document.body).display)).toBe('block');
  expect(await p.page.evaluate(() => getComputedStyle(document.querySelector('main')!).visibility)).toBe('visible');
  const text = await p.page.evaluate(() => document.body.textContent ?? '');
  for (const s of sent) expect(text).toContain(s);
}

describeInBrowser('hostile log fields in Chromium: escaped, inert, and read as sent', (browser) => {
  it.each(['diagnose', 'replay'])(
    '%s: every string field carries the payloads; nothing runs, with or without the CSP',
    async (name) => {
      const withCsp = await browser.open(`hostile-${name}`, pages[name]!, 1440);
      expectSelfContained(withCsp);
      await expectNothingRan(withCsp, PAYLOADS);
      await browser.screenshot(withCsp, `hostile-${name}-1440`);
      const bare = await browser.open(`hostile-${name}-no-csp`, stripCsp(pages[name]!), 1440);
      expectSelfContained(bare);
      await expectNothingRan(bare, PAYLOADS);
    },
  );

  it('through the CLI: a hostile $logs user agent and client request id read as sent, in text and on hover', async () => {
    const p = await browser.open('hostile-cli', stripCsp(pages.cli!), 1440);
    expectSelfContained(p);
    await expectNothingRan(p, [HOSTILE_UA, HOSTILE_CRID]);
    const titles = await p.page
      .locator('.chart.lanes .lane-label')
      .evaluateAll((ls) => ls.map((l) => l.getAttribute('title')));
    expect(titles).toContain(`acct @ 10.0.0.6:50000\n${HOSTILE_UA}`);
  });

  it('the checks catch a page that runs script or loads from the network', async () => {
    const bad = `<!doctype html><img src="https://example.invalid/x.png"><script>window.__pwned=1</script>`;
    const p = await browser.open('bad-page', bad, 800);
    expect(p.requests).toContain('https://example.invalid/x.png');
    expect(await p.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBe(1);
  });
});

describe('secrets stay out of the page', () => {
  it('a capture with a SAS signature and an Authorization header → the HTML has neither', async () => {
    const capture = join(dir, 'secret.json');
    writeFileSync(
      capture,
      JSON.stringify({
        request: {
          method: 'PUT',
          url: 'https://acct.blob.core.windows.net/c/b.json?sv=2025-01-05&sig=abcSECRETsig%2Bdef',
          headers: { 'If-Match': '"0x1"', Authorization: 'SharedKey acct:SECRETsharedKEY=' },
        },
        response: { status: 412, headers: { 'x-ms-error-code': 'ConditionNotMet', 'x-ms-request-id': 'r-1' } },
      }),
    );
    const r = await runCli(['diagnose', capture, '--format', 'html'], cleanEnv());
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('sig=REDACTED');
    expect(r.stdout).not.toMatch(/SECRET/);
  });
});
