/**
 * The blob's requests in the window as a picture: one lane per caller (who called / from where / with what user
 * agent), every request a mark at its time, the failed one a red cross on a dashed line through every lane, and the
 * ETag handed from write to write drawn as arrows: the write that produced the supplied ETag → the write that
 * replaced it → the failed request.
 */
import type { DiagnoseReport, Writer } from '../../core/diagnose/types.js';
import { ROLE_TEXT, USER_AGENT_MAX, timelineRows, type TimelineRow } from '../diagnose-timeline.js';
import { shortenAtWord } from '../layout.js';
import { outcome, show } from '../style.js';
import { html, type Html } from './markup.js';
import { LANE_HEIGHT, laneFrame } from './lane-frame.js';
import type { TimeScale } from './scale.js';

/** More callers than this share a last lane: a chart of hundreds of lanes is read by nobody. */
const MAX_LANES = 24;

export interface Lane {
  key: string;
  /** Who called (identity / IP), for the label's first line. */
  caller: string;
  /** The user agent shortened at a word boundary, for its second line. */
  agent: string;
  /** Everything, for the hover text. */
  full: string;
}

export interface PlacedRow extends TimelineRow {
  index: number;
  lane: number;
  ms: number;
}

function laneKey(w: Writer): string {
  return `${w.caller ?? ''}\u0000${w.userAgent ?? ''}`;
}

/** Each request's lane: callers in order of first appearance, the rest merged once there are too many. */
export function placeRows(r: DiagnoseReport): { lanes: Lane[]; rows: PlacedRow[] } {
  const lanes: Lane[] = [];
  const byKey = new Map<string, number>();
  const rows = timelineRows(r).map((row, index) => {
    const key = laneKey(row.w);
    let lane = byKey.get(key);
    if (lane === undefined) {
      if (lanes.length < MAX_LANES - 1) {
        lane = lanes.length;
        lanes.push({
          key,
          caller: row.w.caller ?? 'caller not logged',
          agent: row.w.userAgent ? shortenAtWord(row.w.userAgent, USER_AGENT_MAX) : '',
          full: [row.w.caller ?? 'caller not logged', row.w.userAgent ?? 'no user agent'].join('\n'),
        });
      } else {
        lane = MAX_LANES - 1;
        if (lanes.length < MAX_LANES)
          lanes.push({ key: '', caller: 'other callers', agent: '', full: 'other callers' });
      }
      byKey.set(key, lane);
    }
    return { ...row, index, lane, ms: Date.parse(row.w.time ?? '') };
  });
  return { lanes, rows };
}

/** The mark's id in the page: by position, never from a logged value. */
export function markId(index: number): string {
  return `req-${index}`;
}

function markClass(row: PlacedRow): string {
  if (row.self) return 'self';
  const link = row.w.role === 'produced-supplied-etag' || row.w.role === 'replaced-supplied-etag' ? ' link' : '';
  return (row.w.status >= 300 || row.w.status === 0 ? 'failed' : 'ok') + link;
}

function hover(row: PlacedRow, r: DiagnoseReport): string {
  const w = row.w;
  return [
    `${show(w.time)} ${w.operation} → ${outcome(w.status, w.errorCode)}`,
    row.self ? `this request, supplied ${show(r.timeline.supplied)}` : `ETag ${show(w.etag)}`,
    ROLE_TEXT[w.role],
    `x-ms-request-id ${show(w.requestId)}`,
    `${show(w.caller)} · ${show(w.userAgent)}`,
  ]
    .filter(Boolean)
    .join('\n');
}

const laneY = (lane: number) => (lane + 1) * LANE_HEIGHT + LANE_HEIGHT / 2;

function mark(row: PlacedRow, scale: TimeScale, r: DiagnoseReport): Html {
  const shape = row.self
    ? html`<circle r="10"></circle><path class="cross" d="M-5,-5L5,5M5,-5L-5,5"></path>`
    : html`<circle r="${row.w.status >= 300 ? 5 : 6}"></circle>`;
  return html`<g
    class="mark ${markClass(row)}"
    id="${markId(row.index)}"
    data-lane="${row.lane}"
    data-role="${row.self ? 'self' : row.w.role}"
    data-x="${scale.x(row.ms)}"
    ><title>${hover(row, r)}</title
    ><svg x="${scale.x(row.ms)}%" y="${laneY(row.lane)}" overflow="visible">${shape}</svg></g
  >`;
}

function link(from: PlacedRow, to: PlacedRow, label: string, scale: TimeScale): Html {
  const [x1, x2, y1, y2] = [scale.x(from.ms), scale.x(to.ms), laneY(from.lane), laneY(to.lane)];
  return html`<g class="etag-hop" data-from="${markId(from.index)}" data-to="${markId(to.index)}"
    ><line class="etag-link" x1="${x1}%" y1="${y1}" x2="${x2}%" y2="${y2}" marker-end="url(#etag-arrow)"></line
    ><text class="etag-label" x="${(x1 + x2) / 2}%" y="${Math.min(y1, y2) - 8}" text-anchor="middle">${label}</text></g
  >`;
}

/** The hops of the ETag chain that the rows can show: produced → replaced → this request. */
function etagHops(rows: PlacedRow[], r: DiagnoseReport): { from: PlacedRow; to: PlacedRow; label: string }[] {
  const timed = rows.filter((x) => Number.isFinite(x.ms));
  const produced = timed.find((x) => x.w.role === 'produced-supplied-etag');
  const replaced = timed.find((x) => x.w.role === 'replaced-supplied-etag');
  const self = timed.find((x) => x.self);
  const hops: { from: PlacedRow; to: PlacedRow; label: string }[] = [];
  const supplied = show(r.timeline.inferredEtag ?? r.timeline.supplied);
  if (produced && replaced) hops.push({ from: produced, to: replaced, label: supplied });
  if (replaced && self) hops.push({ from: replaced, to: self, label: show(replaced.w.etag) });
  else if (produced && self) hops.push({ from: produced, to: self, label: supplied });
  return hops;
}

export function lanesChart(r: DiagnoseReport, scale: TimeScale): Html {
  const { lanes, rows } = placeRows(r);
  const height = (lanes.length + 1) * LANE_HEIGHT;
  const self = rows.find((x) => x.self && Number.isFinite(x.ms));
  const others = rows.filter((x) => !x.self && Number.isFinite(x.ms));
  const content = html`<defs>
      <marker
        id="etag-arrow"
        viewBox="0 0 10 10"
        refX="9"
        refY="5"
        markerWidth="7"
        markerHeight="7"
        orient="auto-start-reverse"
      >
        <path class="arrowhead" d="M0,0L10,5L0,10z"></path>
      </marker>
    </defs>
    ${
      self
        ? html`<line
            class="failure-line"
            x1="${scale.x(self.ms)}%"
            x2="${scale.x(self.ms)}%"
            y1="${LANE_HEIGHT}"
            y2="${height}"
          ></line>`
        : ''
    }
    ${etagHops(rows, r).map((h) => link(h.from, h.to, h.label, scale))} ${others.map((x) => mark(x, scale, r))}
    ${self ? mark(self, scale, r) : ''}`;
  return laneFrame({
    kind: 'lanes',
    labels: lanes.map((l) => ({ main: l.caller, sub: l.agent, full: l.full })),
    scale,
    description: 'Requests on the blob by caller over time',
    content,
  });
}
