/**
 * Charts for a workload's picture (the stats page builds on these): the failure rate per time bucket as bars, with
 * a deploy drawn as a line and the rates either side of it, and tables whose last column is an inline bar.
 * Geometry is in percent of the width, so the chart reflows from a phone to a wide screen with text kept readable.
 */
import { html, num, type Html } from './markup.js';
import { cardTable } from './parts.js';

export interface RateBucket {
  /** ISO 8601 start of the bucket. */
  start: string;
  requests: number;
  failures: number;
}

export interface RateChartInput {
  series: RateBucket[];
  /** A deploy inside the range: a line, and the rate before and after it. */
  deploy?: { at: string; before: number; after: number };
}

const HEIGHT = 240;
const TOP = 28;
const BOTTOM = 28;

export function percent(rate: number): string {
  if (!Number.isFinite(rate)) return '—';
  return `${(rate * 100).toFixed(rate > 0 && rate < 0.001 ? 3 : rate < 0.1 ? 2 : 1)}%`;
}

/** A round ceiling for the y axis: 1, 2 or 5 times a power of ten. */
function niceMax(x: number): number {
  if (x <= 0) return 0.01;
  const p = 10 ** Math.floor(Math.log10(x));
  return ([1, 2, 5, 10].find((m) => m * p >= x) ?? 10) * p;
}

function rateOf(b: RateBucket): number {
  return b.requests ? b.failures / b.requests : 0;
}

export function rateChart(input: RateChartInput): Html {
  const n = Math.max(1, input.series.length);
  const max = niceMax(Math.max(0, ...input.series.map(rateOf)));
  const plot = HEIGHT - TOP - BOTTOM;
  const y = (rate: number) => num(TOP + plot * (1 - rate / max));
  const slot = 100 / n;
  const bars = input.series.map((b, i) => {
    const r = rateOf(b);
    return html`<g class="bucket" data-start="${b.start}" data-rate="${r}"
      ><title>${b.start}: ${b.failures} of ${b.requests} failed (${percent(r)})</title
      ><rect
        class="rate-bar"
        x="${num(i * slot + slot * 0.1)}%"
        y="${y(r)}"
        width="${num(slot * 0.8)}%"
        height="${num(HEIGHT - BOTTOM - y(r))}"
      ></rect
    ></g>`;
  });
  const first = Date.parse(input.series[0]?.start ?? '');
  const second = Date.parse(input.series[1]?.start ?? '');
  const bucketMs = Number.isFinite(second - first) ? second - first : 0;
  const deployX = (() => {
    if (!input.deploy || !bucketMs) return undefined;
    const x = ((Date.parse(input.deploy.at) - first) / (bucketMs * n)) * 100;
    return Number.isFinite(x) && x >= 0 && x <= 100 ? num(x) : undefined;
  })();
  const deploy =
    input.deploy && deployX !== undefined
      ? html`<g class="deploy" data-x="${deployX}"
          ><line class="deploy-line" x1="${deployX}%" x2="${deployX}%" y1="${TOP - 8}" y2="${HEIGHT - BOTTOM}"></line>
          <text class="deploy-label" x="${deployX}%" dx="-6" y="${TOP - 12}" text-anchor="end"
            >before ${percent(input.deploy.before)}</text
          >
          <text class="deploy-label" x="${deployX}%" dx="6" y="${TOP - 12}" text-anchor="start"
            >after ${percent(input.deploy.after)}</text
          ></g
        >`
      : '';
  const labelEvery = Math.ceil(n / 6);
  const xLabels = input.series.map((b, i) =>
    i % labelEvery
      ? ''
      : html`<text class="tick" x="${num(i * slot + slot / 2)}%" y="${HEIGHT - 10}" text-anchor="middle"
          >${b.start.slice(11, 16)}</text
        >`,
  );
  // Gridlines under the bars, their labels over them (haloed, so a bar never hides one).
  const levels = [0, 0.5, 1].map((f) => ({ y: y(max * f), label: percent(max * f) }));
  return html`<svg class="rate-chart" height="${HEIGHT}" role="img" aria-label="Failure rate per bucket">
    ${levels.map((l) => html`<line class="gridline" x1="0" x2="100%" y1="${l.y}" y2="${l.y}"></line>`)}
    ${bars}${xLabels}${deploy}
    ${levels.map((l) => html`<text class="tick y-tick" x="2" y="${l.y - 3}">${l.label}</text>`)}
  </svg>`;
}

export interface BarRow {
  cells: Html[];
  value: number;
  /** The bar drawn as a failure. */
  bad?: boolean;
}

/** A table whose last column draws each row's value as a bar against the largest. */
export function barTable(heads: string[], rows: BarRow[]): Html {
  const max = Math.max(0, ...rows.map((r) => r.value));
  return cardTable(
    heads,
    rows.map((r) => [
      ...r.cells,
      html`<span class="bar-cell" data-value="${r.value}"
        ><svg height="12" aria-hidden="true">
          <rect
            class="bar${r.bad ? ' bad' : ''}"
            width="${max ? num((100 * r.value) / max) : 0}%"
            height="12"
          ></rect></svg
      ></span>`,
    ]),
  );
}
