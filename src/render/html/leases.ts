/** The lease timeline: one lane per lease, a bar from acquire to its end (renewals ticked), refused requests marked. */
import type { LeaseEvent } from '../../core/diagnose/types.js';
import { shortenAtWord } from '../layout.js';
import { show } from '../style.js';
import { leaseBars, type LeaseBar } from './lease-bars.js';
import { LANE_HEIGHT, laneFrame } from './lane-frame.js';
import { html, num, type Html } from './markup.js';
import type { TimeScale } from './scale.js';

const END_TEXT: Record<LeaseBar['endedBy'], string> = {
  released: 'released',
  broken: 'broken',
  changed: 'changed',
  expired: 'expired',
  open: 'held past the window',
};

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function barHover(b: LeaseBar): string {
  return [
    `lease ${show(b.leaseId)}`,
    `acquired ${iso(b.start)}${b.duration !== undefined ? ` for ${b.duration < 0 ? 'infinite' : `${b.duration}s`}` : ''}`,
    ...b.renewals.map((t) => `renewed ${iso(t)}`),
    `${END_TEXT[b.endedBy]}${b.endedBy === 'open' ? '' : ` ${iso(b.end)}`}`,
    `caller ${show(b.caller)}`,
  ].join('\n');
}

function bar(b: LeaseBar, lane: number, scale: TimeScale): Html {
  const y = (lane + 1) * LANE_HEIGHT + 8;
  const h = LANE_HEIGHT - 16;
  const [x1, x2] = [scale.x(b.start), scale.x(Math.min(b.end, scale.to))];
  const label = END_TEXT[b.endedBy];
  const right = x2 > 80;
  return html`<g class="lease" data-lane="${lane}" data-ended="${b.endedBy}" data-renewals="${b.renewals.length}"
    ><title>${barHover(b)}</title>
    <rect
      class="lease-bar ended-${b.endedBy}"
      x="${x1}%"
      y="${y}"
      width="${num(Math.max(0.4, x2 - x1))}%"
      height="${h}"
      rx="3"
    ></rect>
    ${b.renewals.map((t) => html`<line class="renew" x1="${scale.x(t)}%" x2="${scale.x(t)}%" y1="${y - 3}" y2="${y + h + 3}"></line>`)}
    ${b.endedBy === 'open' ? '' : html`<line class="lease-end ${b.endedBy}" x1="${x2}%" x2="${x2}%" y1="${y - 5}" y2="${y + h + 5}"></line>`}
    <text
      class="tick"
      x="${right ? x1 : x2}%"
      dx="${right ? -4 : 4}"
      y="${y + h - 4}"
      text-anchor="${right ? 'end' : 'start'}"
      >${label}</text
    ></g
  >`;
}

function refusedMark(e: LeaseEvent, lane: number, scale: TimeScale): Html {
  const x = scale.x(Date.parse(e.time ?? ''));
  const hover = [`${show(e.time)} ${e.action} → ${e.status}`, e.leaseId ? `lease ${e.leaseId}` : '', show(e.caller)]
    .filter(Boolean)
    .join('\n');
  return html`<g class="mark failed lease-refused" data-lane="${lane}"
    ><title>${hover}</title
    ><svg x="${x}%" y="${(lane + 1) * LANE_HEIGHT + LANE_HEIGHT / 2}" overflow="visible"><circle r="5"></circle></svg
  ></g>`;
}

export function leasesChart(leases: LeaseEvent[], scale: TimeScale): Html {
  const { bars, refused } = leaseBars(leases, scale.to);
  const labels = bars.map((b) => ({
    main: show(b.caller),
    sub: `lease ${shortenAtWord(show(b.leaseId), 13)}`,
    full: `lease ${show(b.leaseId)}\n${show(b.caller)}`,
  }));
  if (refused.length)
    labels.push({ main: 'refused lease requests', sub: '', full: 'lease requests the service refused' });
  const chart = laneFrame({
    kind: 'leases',
    labels,
    scale,
    description: 'Leases on the blob over time',
    content: html`${bars.map((b, i) => bar(b, i, scale))} ${refused.map((e) => refusedMark(e, bars.length, scale))}`,
  });
  return html`${chart}
    <p class="legend">
      <span>▮ held</span><span>│ renewed</span><span class="bad">┃ broken</span><span>┆ expired</span
      ><span>┃ released</span>
    </p>`;
}
