import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { barTable, percent, rateChart } from '../../src/render/html/chart.js';
import { html } from '../../src/render/html/markup.js';
import { CONTENT_SECURITY_POLICY, page } from '../../src/render/html/page.js';
import { DEPLOY, HOT_BLOBS, SERIES } from '../helpers/rate-sample.js';

const unescape = (s: string) =>
  s
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&amp;', '&');

describe('markup escapes every interpolated value', () => {
  it('property: any string becomes text — no < > " \' left raw, and it reads back as sent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const out = html`<p title="${s}">${s}</p>`.text;
        const inner = out.slice('<p title="'.length, out.indexOf('">'));
        expect(inner).not.toMatch(/[<>"']/);
        expect(unescape(inner)).toBe(s);
      }),
    );
  });

  it('nested markup passes through once; arrays join; absent values are empty; numbers must be finite', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p>${inner}${['a', '<', html`<br />`]}${undefined}${null}${false}${NaN}</p>`.text).toBe(
      '<p><b>&lt;i&gt;</b>a&lt;<br />0</p>',
    );
  });
});

describe('the page shell', () => {
  const text = page({ title: 't <x>', command: 'diagnose', version: '1', body: html`<p>hi</p>` });

  it('forbids script and every remote load, and pins the one stylesheet by its hash', () => {
    expect(CONTENT_SECURITY_POLICY).toMatch(/default-src 'none'/);
    expect(CONTENT_SECURITY_POLICY).toMatch(/script-src 'none'/);
    const style = /<style>([\s\S]*?)<\/style>/.exec(text)![1]!;
    const hash = createHash('sha256').update(style).digest('base64');
    expect(text).toContain(`style-src &#39;sha256-${hash}&#39;`);
    expect(text.match(/<style>/g)).toHaveLength(1);
    expect(text).not.toMatch(/<script|<link|@import|url\(http|src=/i);
  });

  it('escapes the title, has a dark scheme and an A4 print layout', () => {
    expect(text).toContain('<title>t &lt;x&gt;</title>');
    expect(text).toContain('prefers-color-scheme:dark');
    expect(text).toContain('@page{size:A4');
  });
});

describe('charts for the stats page (the seam issue 11 builds on)', () => {
  it('one bar per bucket, heights in proportion to the failure rate, empty buckets drawn at zero', () => {
    const svg = rateChart({ series: SERIES }).text;
    const heights = [...svg.matchAll(/class="rate-bar"[^>]*height="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(heights).toHaveLength(24);
    expect(heights[3]).toBe(0);
    const rates = SERIES.map((b) => (b.requests ? b.failures / b.requests : 0));
    const k = heights[0]! / rates[0]!;
    heights.forEach((h, i) => expect(h).toBeCloseTo(rates[i]! * k, 0));
  });

  it('the deploy line sits at its time, with the rates before and after it', () => {
    const svg = rateChart({ series: SERIES, deploy: DEPLOY }).text;
    expect(svg).toMatch(/class="deploy" data-x="58\.33"/);
    expect(svg).toContain('before 5.00%');
    expect(svg).toContain('after 0.40%');
  });

  it('a deploy outside the range draws no line', () => {
    expect(rateChart({ series: SERIES, deploy: { ...DEPLOY, at: '2026-11-26T00:00:00Z' } }).text).not.toContain(
      'deploy-line',
    );
  });

  it('bar tables draw each value against the largest', () => {
    const t = barTable(
      ['blob', 'failures', ''],
      HOT_BLOBS.map((b) => ({ cells: [html`${b.blob}`, html`${b.failures}`], value: b.failures, bad: true })),
    ).text;
    expect([...t.matchAll(/class="bar bad"\s+width="([\d.]+)%"/g)].map((m) => Number(m[1]))).toEqual([
      100, 29.27, 2.93,
    ]);
  });

  it.each([
    [0.05, '5.00%'],
    [0.1234, '12.3%'],
    [0.0004, '0.040%'],
    [0, '0.00%'],
  ])('percent(%d) → %s', (rate, text) => {
    expect(percent(rate)).toBe(text);
  });
});
