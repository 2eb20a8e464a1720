/**
 * Who produced the ETag a failed request supplied, and who replaced it. Captures carry the ETag string;
 * service logs render If-Match as a date in conditions-used (observed, undocumented), so there the ETag is matched
 * to the write whose Last-Modified (or tick-encoded ETag) falls in that second — and the report says so. Pure.
 */
import { sameEtag } from '../etag.js';
import { parseHttpDate } from '../http-date.js';
import { changesEtag, isBefore, producedAt, toWriter } from './timeline.js';
import type { AtFailure, EtagTimeline, Observed } from './types.js';

function suppliedOf(target: Observed): Pick<EtagTimeline, 'supplied' | 'suppliedAs'> {
  const h = target.capture?.request.headers;
  if (h) {
    const v = h['if-match'] ?? h['if-none-match'];
    return v ? { supplied: v, suppliedAs: 'etag' } : {};
  }
  const logged = target.conditionsUsed?.ifMatch ?? target.conditionsUsed?.ifNoneMatch;
  if (!logged) return {};
  return logged.trim() === '*' ? { supplied: '*', suppliedAs: 'etag' } : { supplied: logged, suppliedAs: 'date' };
}

/** loggedSecond's answers by date and the year it was read near: a workload's failures repeat both. */
const seconds = new Map<string, number | undefined>();

/** A request's own time as cnm writes it (toIsoUtc): its year is its first four digits. */
const ISO_TIME = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?Z$/;

/** The UTC year of `near` as new Date(near) reads it; undefined when it is not a time. */
function yearOf(near: string | undefined): number | undefined {
  if (!near) return undefined;
  // A day past the month's end rolls into the next month (as Date.parse does), never into another year.
  if (ISO_TIME.test(near)) return Number(near.slice(0, 4));
  const ms = Date.parse(near);
  return Number.isNaN(ms) ? undefined : new Date(ms).getUTCFullYear();
}

/** The second a logged condition date names (RFC-850 two-digit years are read near the request's own time). */
export function loggedSecond(value: string, near?: string): number | undefined {
  // Asked twice in a row for one failure's date (its readings, then its candidates): answered again at once.
  if (near !== undefined && value === lastValue && near === lastNear) return lastSecond;
  const year = yearOf(near);
  const second = secondNamed(value, near, year);
  // Kept only when `near` is a time: without one (or with one that is not a time) the clock's year decides.
  if (year !== undefined) {
    lastValue = value;
    lastNear = near;
    lastSecond = second;
  }
  return second;
}

/** loggedSecond's last answer read near a time (without one, the answer depends on the clock's year). */
let lastValue: string | undefined;
let lastNear: string | undefined;
let lastSecond: number | undefined;

const WEEKDAYS = new Set(['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']);
const MONTH_OF = new Map(
  ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].map((m, i) => [m, i]),
);

/** The two digits at `i` as a number, or NaN. */
function two(text: string, i: number): number {
  const a = text.charCodeAt(i) - 48;
  const b = text.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : NaN;
}

/**
 * `Tuesday, 24-Nov-26 18:00:00 GMT`, as `$logs` writes every date condition, read by its characters: the second
 * parseHttpDate's RFC 850 reading gives (a two-digit year in the century around `nowYear`, RFC 7231 §7.1.1.1), without
 * its regexes and Date objects. Undefined for anything else, in range or not (the general path reads it).
 */
function rfc850Second(value: string, nowYear: number): number | undefined {
  const c = value.length - 24;
  if (c < 6 || value.charCodeAt(c) !== 44 || !WEEKDAYS.has(value.slice(0, c))) return undefined;
  if (value[c + 1] !== ' ' || value[c + 4] !== '-' || value[c + 8] !== '-' || value[c + 11] !== ' ') return undefined;
  if (value[c + 14] !== ':' || value[c + 17] !== ':' || value.slice(c + 20) !== ' GMT') return undefined;
  const month = MONTH_OF.get(value.slice(c + 5, c + 8));
  const day = two(value, c + 2);
  const yy = two(value, c + 9);
  const hh = two(value, c + 12);
  const mm = two(value, c + 15);
  const ss = two(value, c + 18);
  if (month === undefined || !(hh <= 23 && mm <= 59 && ss <= 59 && day >= 1 && yy >= 0)) return undefined;
  let year = Math.floor(nowYear / 100) * 100 + yy;
  if (year > nowYear + 50) year -= 100;
  // Years before 100 (Date.UTC reads them as 19xx) and days past the month's end: the general path.
  const ms = Date.UTC(year, month, day, hh, mm, ss);
  if (year < 100 || new Date(Date.UTC(year, month, day)).getUTCDate() !== day) return undefined;
  return ms / 1000;
}

/** `year`: yearOf(near). */
function secondNamed(value: string, near: string | undefined, year: number | undefined): number | undefined {
  // Only the year of `now` matters (http-date.ts fullYear); without one, the clock's.
  const nowYear = year ?? new Date().getUTCFullYear();
  const fast = rfc850Second(value, nowYear);
  if (fast !== undefined) return fast;
  const key = `${value}\u0000${nowYear}`;
  if (seconds.has(key)) return seconds.get(key);
  const http = parseHttpDate(value, year === undefined ? {} : { now: new Date(near!) });
  const ms = http.ok ? http.value.getTime() : Date.parse(value);
  const second = Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
  if (seconds.size >= 10_000) seconds.clear();
  seconds.set(key, second);
  return second;
}

/** The ETag-changing writes before the target whose Last-Modified (or tick-encoded ETag) is the logged second. */
export function dateCandidates(before: readonly Observed[], date: string, near?: string): Observed[] {
  const second = loggedSecond(date, near);
  return second === undefined ? [] : before.filter((o) => changesEtag(o) && producedAt(o) === second);
}

/** The first write after `o` (and before the target) that gave the blob another ETag: `o`'s ETag was replaced. */
export function replacerOf(before: readonly Observed[], o: Observed): Observed | undefined {
  return before.find(
    (x) => x !== o && isBefore(o, x) && changesEtag(x) && !(x.etag && o.etag && sameEtag(x.etag, o.etag)),
  );
}

interface Produced {
  producer?: Observed;
  /** Two or more writes share the logged second. */
  candidates: Observed[];
}

function producerOf(
  before: Observed[],
  s: Pick<EtagTimeline, 'supplied' | 'suppliedAs'>,
  target: Observed,
  ifMatch: boolean,
): Produced {
  if (!s.supplied || s.supplied === '*') return { candidates: [] };
  if (s.suppliedAs === 'etag') {
    const withEtag = before.filter((o) => o.etag && sameEtag(o.etag, s.supplied!));
    return { producer: withEtag.find(changesEtag) ?? withEtag[0], candidates: [] };
  }
  const matches = dateCandidates(before, s.supplied, target.time);
  if (matches.length <= 1) return { producer: matches[0], candidates: [] };
  // If-Match with an ETag still current at the failure would have held: only a replaced one can have failed.
  const live = ifMatch ? matches.filter((o) => replacerOf(before, o) !== undefined) : [];
  return { producer: live.length === 1 ? live[0] : undefined, candidates: matches };
}

function ambiguity(t: EtagTimeline): string {
  const c = t.candidates ?? [];
  const list = c.map((w) => `${w.operation} ${w.requestId ?? ''} at ${w.time ?? '?'} → ${w.etag ?? '?'}`).join(', ');
  const head =
    `the date matches ${c.length} writes in that second (${list}): the logs cannot say which of their ETags ` +
    `was sent`;
  if (!t.producedBy) return head;
  return (
    `${head}; only ${t.producedBy.etag ?? 'one of them'} was replaced before the failure (If-Match with the ` +
    `other would have held), so that is most likely the ETag supplied`
  );
}

function describe(t: EtagTimeline, atFailure: AtFailure): string {
  const parts: string[] = [];
  if (!t.supplied)
    return 'the request carried no If-Match / If-None-Match: its failure is not about an ETag (see the origin)';
  if (t.suppliedAs === 'date') {
    parts.push(
      `the log renders the condition as the date "${t.supplied}", not as an ETag: the exact ETag string the client sent is not in the logs`,
    );
    parts.push(
      t.candidates?.length
        ? ambiguity(t)
        : t.inferredEtag
          ? `the write whose Last-Modified is that second produced ${t.inferredEtag}, so that is most likely the ` +
            `ETag supplied (matched by time, to the second)`
          : 'no write in the sources has a Last-Modified in that second',
    );
  } else if (t.producedBy) {
    parts.push(
      `${t.supplied} was produced by ${t.producedBy.operation} ${t.producedBy.requestId ?? ''} at ` +
        `${t.producedBy.time ?? 'an earlier line'}`,
    );
  } else if (t.supplied !== '*')
    parts.push(`no request in the sources produced ${t.supplied}: it is older than the window, or came from elsewhere`);
  if (t.replacedBy)
    parts.push(
      `it was replaced by ${t.replacedBy.operation} ${t.replacedBy.requestId ?? ''} at ` +
        `${t.replacedBy.time ?? 'a later line'} (caller ${t.replacedBy.caller ?? 'unknown'}, ` +
        `${t.replacedBy.userAgent ?? 'user agent unknown'}), which produced ` +
        `${t.replacedBy.etag ?? 'a new ETag'}`,
    );
  if (atFailure.etag) parts.push(`just before the failure the blob's ETag was ${atFailure.etag}`);
  return parts.join('; ').replace(/ +/g, ' ');
}

export function etagTimeline(history: readonly Observed[], target: Observed, atFailure: AtFailure): EtagTimeline {
  const s = suppliedOf(target);
  const before = history.filter((o) => o !== target && isBefore(o, target));
  const ifMatch = Boolean(target.capture?.request.headers['if-match'] ?? target.conditionsUsed?.ifMatch);
  const { producer, candidates } = producerOf(before, s, target, ifMatch);
  const suppliedEtag = s.suppliedAs === 'etag' ? s.supplied : producer?.etag;
  const after = producer ? before.filter((o) => isBefore(producer, o)) : before;
  const replacer =
    suppliedEtag && suppliedEtag !== '*'
      ? after.find((o) => changesEtag(o) && !(o.etag && sameEtag(o.etag, suppliedEtag)))
      : undefined;
  const t: EtagTimeline = { ...s, note: '' };
  if (s.suppliedAs === 'date' && producer?.etag) t.inferredEtag = producer.etag;
  if (candidates.length) t.candidates = candidates.map((o) => toWriter(o, 'other', target));
  if (producer) t.producedBy = toWriter(producer, 'produced-supplied-etag', target);
  if (replacer) t.replacedBy = toWriter(replacer, 'replaced-supplied-etag', target);
  if (atFailure.etag) t.currentAtFailure = atFailure.etag;
  t.note = describe(t, atFailure);
  return t;
}
