/** A time axis in percent of the chart's width, with ticks at round steps, shared by the lane and lease charts. */
import { html, num, type Html } from './markup.js';

export interface TimeScale {
  from: number;
  to: number;
  /** Percent of the track (3–97: marks at the ends stay inside). */
  x(ms: number): number;
}

const STEPS_MS = [
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 15e3, 3e4, 6e4, 12e4, 3e5, 6e5, 9e5, 18e5, 36e5,
];

export function timeScale(times: number[]): TimeScale {
  const known = times.filter((t) => Number.isFinite(t));
  let from = known.length ? Math.min(...known) : 0;
  let to = known.length ? Math.max(...known) : 1000;
  if (to - from < 10) {
    from -= 500;
    to += 500;
  }
  return { from, to, x: (ms) => num(3 + (94 * (ms - from)) / (to - from)) };
}

function tickLabel(ms: number, step: number): string {
  const iso = new Date(ms).toISOString();
  return step < 1000 ? iso.slice(11, 23) : iso.slice(11, 19);
}

/** Gridlines and time labels along the top row (`height`: the chart's height in px). */
export function axis(scale: TimeScale, height: number, top: number): Html {
  const step = STEPS_MS.find((s) => (scale.to - scale.from) / s <= 5) ?? 36e5;
  const ticks: number[] = [];
  for (let t = Math.ceil(scale.from / step) * step; t <= scale.to; t += step) ticks.push(t);
  return html`<g class="axis"
    >${ticks.map(
      (t) =>
        html`<line class="gridline" x1="${scale.x(t)}%" x2="${scale.x(t)}%" y1="${top}" y2="${height}"></line
          ><text x="${scale.x(t)}%" y="${top - 10}" text-anchor="middle">${tickLabel(t, step)}</text>`,
    )}</g
  >`;
}
