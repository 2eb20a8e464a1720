/**
 * --since/--until bound every source (docs/diagnose.md), including local files whose names carry no hour: the failed
 * request must fall inside them; other requests on the blob may sit up to one window beyond, so a failure
 * near the edge still shows who wrote before it. Records without a time (the SDK log) are kept. Pure.
 */
import type { TimeBounds } from './time-options.js';
import type { Observed } from './types.js';

function inRange(time: string | undefined, from: number, to: number): boolean {
  if (!time) return true;
  const t = Date.parse(time);
  return Number.isNaN(t) || (t >= from && t <= to);
}

export function withinBounds(
  observed: readonly Observed[],
  bounds: TimeBounds,
  windowMs: number,
  isTarget: (o: Observed) => boolean,
): Observed[] {
  if (!bounds.from && !bounds.to) return [...observed];
  const from = bounds.from ? Date.parse(bounds.from) : -Infinity;
  const to = bounds.to ? Date.parse(bounds.to) : Infinity;
  return observed.filter((o) =>
    isTarget(o) ? inRange(o.time, from, to) : inRange(o.time, from - windowMs, to + windowMs),
  );
}
