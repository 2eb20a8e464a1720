/** `--since 2h`, `--until 2026-11-24T18:00Z`, `--window 5m`, `--time …`: parsed as data, never thrown. Pure. */

export type TimeResult<T> = { ok: true; value: T } | { ok: false; message: string };

const HOUR = 3_600_000;
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: HOUR, d: 24 * HOUR };
/** About a century: longer than any log retention (Log Analytics keeps 12 years at most), and far inside Date's range. */
const MAX_DURATION_DAYS = 36_500;

const DURATION = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;

/** `90s`, `5m`, `1h30m`, `2d` → milliseconds. */
export function parseDuration(text: string): TimeResult<number> {
  const trimmed = text.trim();
  if (!DURATION.test(trimmed)) return { ok: false, message: `"${text}" is not a duration (e.g. 90s, 5m, 1h30m, 2d)` };
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  const ms = parts.reduce((sum, p) => sum + Number(p[1]) * UNITS[p[2]!]!, 0);
  if (!(ms <= MAX_DURATION_DAYS * UNITS.d!))
    return { ok: false, message: `"${text}" is too long (at most ${MAX_DURATION_DAYS}d)` };
  return { ok: true, value: ms };
}

/** YYYY-MM-DD, then optionally [T ]hh:mm[:ss[.fff]] and a zone (Z or ±hh[:]mm); no zone means UTC. */
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

function zoneOffsetMs(zone: string | undefined): number | undefined {
  if (!zone || /^z$/i.test(zone)) return 0;
  const [, sign, hh, mm] = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
  if (Number(hh) > 23 || Number(mm) > 59) return undefined;
  return (sign === '-' ? -1 : 1) * (Number(hh) * 60 + Number(mm)) * 60_000;
}

/**
 * An ISO 8601 date or date-time → epoch ms, or undefined. Checked field by field rather than with Date.parse,
 * which takes "5Z" or "2026" for dates (V8 reads "5Z" as 2001-05-01): a bare number is never a time here.
 */
export function parseIsoTime(text: string): number | undefined {
  const m = ISO.exec(text.trim());
  if (!m) return undefined;
  const [y, mo, d, h = 0, mi = 0, s = 0] = m
    .slice(1, 7)
    .map((v) => (v === undefined ? undefined : Number(v))) as number[];
  const offset = zoneOffsetMs(m[8]);
  if (offset === undefined || mo! < 1 || mo! > 12 || d! < 1 || h > 23 || mi > 59 || s > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(y!, mo! - 1, d);
  if (date.getUTCMonth() !== mo! - 1 || date.getUTCDate() !== d) return undefined; // 2026-02-30
  date.setUTCHours(h, mi, s, Number((m[7] ?? '').padEnd(3, '0').slice(0, 3)));
  return date.getTime() - offset;
}

/** A duration means "that long before now"; anything else must be an ISO 8601 date or date-time. */
export function parseTimeArg(text: string, now: Date): TimeResult<string> {
  const d = parseDuration(text);
  if (d.ok) return { ok: true, value: new Date(now.getTime() - d.value).toISOString() };
  if (DURATION.test(text.trim())) return d; // shaped like a duration, but too long
  const ms = parseIsoTime(text);
  if (ms === undefined) {
    return {
      ok: false,
      message: `"${text}" is neither a duration (30s, 5m, 2h, 7d) nor an ISO 8601 time (2026-11-24T18:00:00Z)`,
    };
  }
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
  return { from: new Date(t - HOUR).toISOString(), to: new Date(t + HOUR).toISOString() };
}

export interface LogHours {
  /** Hour starts, oldest first. */
  hours: Date[];
  /** Empty, or one note saying which older hours were left out over the cap. */
  notes: string[];
}

const hourText = (h: number) => new Date(h * HOUR).toISOString().slice(0, 13) + ':00Z';

/**
 * The UTC hours a bounded search must look in, widened one hour each side (late delivery, completion hour).
 * No `to` means now (`--since 2h` alone). Over `maxHours` the NEWEST hours are kept: a failure being diagnosed is
 * more often recent, and the skipped older hours are named in a note so the user can narrow --since/--until.
 */
export function logHours(
  bounds: TimeBounds,
  { maxHours = 72, now = new Date() }: { maxHours?: number; now?: Date } = {},
): LogHours {
  if (!bounds.from) return { hours: [], notes: [] };
  const start = Math.floor(Date.parse(bounds.from) / HOUR) - 1;
  const end = Math.floor((bounds.to ? Date.parse(bounds.to) : now.getTime()) / HOUR) + 1;
  if (!(start <= end)) return { hours: [], notes: [] };
  const first = Math.max(start, end - maxHours + 1);
  const hours: Date[] = [];
  for (let h = first; h <= end; h++) hours.push(new Date(h * HOUR));
  if (first === start) return { hours, notes: [] };
  const skipped = first - start;
  return {
    hours,
    notes: [
      `--analytics-logs searched the newest ${maxHours} hours of $logs (${hourText(first)} to ${hourText(end + 1)}); ` +
        `the ${skipped} older hour${skipped === 1 ? '' : 's'} from ${hourText(start)} to ${hourText(first)} ` +
        `were not searched — narrow --since/--until to search them`,
    ],
  };
}

/** The hours of `logHours`, without its note. */
export function hoursOf(bounds: TimeBounds, maxHours = 72, now = new Date()): Date[] {
  return logHours(bounds, { maxHours, now }).hours;
}

/** Does the hour starting at `hourStart` overlap the bounds (with a one-hour margin on both sides)? */
export function hourInBounds(hourStart: number, bounds: TimeBounds): boolean {
  const from = bounds.from ? Date.parse(bounds.from) - HOUR : -Infinity;
  const to = bounds.to ? Date.parse(bounds.to) + HOUR : Infinity;
  return hourStart + HOUR > from && hourStart <= to;
}
