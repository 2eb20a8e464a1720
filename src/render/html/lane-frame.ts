/** The frame the lane charts share: a column of two-line labels (hover: the whole text) beside one SVG of lanes. */
import { html, type Html } from './markup.js';
import { axis, type TimeScale } from './scale.js';

export const LANE_HEIGHT = 34;

interface LaneLabel {
  main: string;
  sub: string;
  /** Everything, for the hover text. */
  full: string;
}

export interface LaneFrame {
  /** The chart's class beside `chart` (lanes, leases). */
  kind: string;
  labels: LaneLabel[];
  scale: TimeScale;
  /** What a screen reader announces for the drawing. */
  description: string;
  /** SVG drawn over the lanes' backgrounds and the axis. */
  content: Html;
}

export function laneFrame(f: LaneFrame): Html {
  const height = (f.labels.length + 1) * LANE_HEIGHT;
  return html`<div class="chart ${f.kind}" data-lanes="${f.labels.length}">
    <div class="labels">
      <div class="lane-label axis-label"></div>
      ${f.labels.map(
        (l, i) =>
          html`<div class="lane-label" data-lane="${i}" title="${l.full}">
            <span>${l.main}</span><span class="ua">${l.sub}</span>
          </div>`,
      )}
    </div>
    <svg height="${height}" role="img" aria-label="${f.description}">
      ${f.labels.map(
        (l, i) =>
          html`<rect
            class="lane-bg${i % 2 ? ' alt' : ''}"
            x="0"
            y="${(i + 1) * LANE_HEIGHT}"
            width="100%"
            height="${LANE_HEIGHT}"
            ><title>${l.full}</title></rect
          >`,
      )}
      ${axis(f.scale, height, LANE_HEIGHT)} ${f.content}
    </svg>
  </div>`;
}
