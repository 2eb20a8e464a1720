/** `--since 2h`, `--until 2026-11-24T18:00Z`, `--window 5m`, `--time …`: parsed as data, never thrown. Pure. */

export type TimeResult<T> = { ok: true; value: T } | { ok: false; message: string };

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90s`, `5m`, `1h30m`, `2d` → milliseconds. */
export function parseDuration(text: string): TimeResult<number> {
  const trimmed = text.trim();
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== trimmed) {
    return { ok: false, message: `"${text}" is not a duration (e.g. 90s, 5m, 1h30m, 2d)` };
  }
  return { ok: true, value: parts.reduce((sum, p) => sum + Number(p[1]) * UNITS[p[2]!]!, 0) };
}

/** A duration means "that long before now"; anything else must be an ISO 8601 time. */
export function parseTimeArg(text: string, now: Date): TimeResult<string> {
  const d = parseDuration(text);
  if (d.ok) return { ok: true, value: new Date(now.getTime() - d.value).toISOString() };
  const zoned = /(?:Z|[+-]\d\d:?\d\d)$/i.test(text.trim()) ? text : `${text.trim()}Z`;
  const ms = Date.parse(zoned);
  if (Number.isNaN(ms)) return { ok: false, message: `"${text}" is neither a duration (2h) nor an ISO 8601 time (2026-11-24T18:00:00Z)` };
  return { ok: true, value: new Date(ms).toISOString() };
}

export interface TimeBounds {
  from?: string;
  to?: string;
}

/** --since/--until as given; with only --time, the hour either side of it (logs bucket by completion hour). */
export function boundsOf(since: string | undefined, until: string | undefined, time: string | undefined): TimeBounds {
  if (since || until) return { ...(since ? { from: since } : {}), ...(until ? { to: until } : {}) };
  if (!time) return {};
  const t = Date.parse(time);
  return { from: new Date(t - 3_600_000).toISOString(), to: new Date(t + 3_600_000).toISOString() };
}

/** The UTC hours a bounded search must look in, widened one hour each side (late delivery, completion hour). */
export function hoursOf(bounds: TimeBounds, maxHours = 72): Date[] {
  if (!bounds.from || !bounds.to) return [];
  const start = Math.floor(Date.parse(bounds.from) / 3_600_000) - 1;
  const end = Math.floor(Date.parse(bounds.to) / 3_600_000) + 1;
  const hours: Date[] = [];
  for (let h = start; h <= end && hours.length < maxHours; h++) hours.push(new Date(h * 3_600_000));
  return hours;
}

/** Does the hour starting at `hourStart` overlap the bounds (with a one-hour margin on both sides)? */
export function hourInBounds(hourStart: number, bounds: TimeBounds): boolean {
  const from = bounds.from ? Date.parse(bounds.from) - 3_600_000 : -Infinity;
  const to = bounds.to ? Date.parse(bounds.to) + 3_600_000 : Infinity;
  return hourStart + 3_600_000 > from && hourStart <= to;
}
