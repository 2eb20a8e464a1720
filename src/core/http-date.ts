/**
 * HTTP dates for If-Modified-Since and friends: RFC 1123 (what the SDK sends via toUTCString), RFC 850 and
 * asctime (RFC 7231 §7.1.1.1). The header has one-second resolution, so every comparison is in whole
 * seconds (learn.microsoft.com/rest/api/storageservices/representation-of-date-time-values-in-headers).
 * Errors are data, never thrown.
 */

type HttpDateFormat = 'rfc1123' | 'rfc850' | 'asctime';

export type HttpDateResult =
  { ok: true; value: Date; format: HttpDateFormat } | { ok: false; issue: { input: string; message: string } };

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY = '(?:mon|tue|wed|thu|fri|sat|sun)';
const LONG_DAY = '(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)';
const MON = '(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)';
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';

const RFC1123 = new RegExp(`^${DAY}, (\\d{1,2}) ${MON} (\\d{4}) ${TIME} (?:GMT|UTC)$`, 'i');
const RFC850 = new RegExp(`^${LONG_DAY}, (\\d{2})-${MON}-(\\d{2}) ${TIME} GMT$`, 'i');
const ASCTIME = new RegExp(`^${DAY} ${MON} ([ \\d]\\d) ${TIME} (\\d{4})$`, 'i');

interface Fields {
  year: number;
  month: string;
  day: string;
  hh: string;
  mm: string;
  ss: string;
}

/** RFC 7231: a two-digit year more than 50 years in the future means the most recent past such year. */
function fullYear(twoDigits: number, now: Date): number {
  const nowYear = now.getUTCFullYear();
  let year = Math.floor(nowYear / 100) * 100 + twoDigits;
  if (year > nowYear + 50) year -= 100;
  return year;
}

function matchFields(text: string, now: Date): { fields: Fields; format: HttpDateFormat } | undefined {
  // Each format can match only one way at the fourth character (`Sun,` `Sun ` `Sunday,`): one regex is tried, not
  // three (service logs render every If-Match as a date, and a workload summary reads thousands).
  const fourth = text.charCodeAt(3);
  if (fourth === 44) {
    const m = RFC1123.exec(text);
    return m
      ? { format: 'rfc1123', fields: { day: m[1]!, month: m[2]!, year: Number(m[3]), hh: m[4]!, mm: m[5]!, ss: m[6]! } }
      : undefined;
  }
  if (fourth === 32) {
    const m = ASCTIME.exec(text);
    return m
      ? { format: 'asctime', fields: { month: m[1]!, day: m[2]!, hh: m[3]!, mm: m[4]!, ss: m[5]!, year: Number(m[6]) } }
      : undefined;
  }
  const m = RFC850.exec(text);
  if (!m) return undefined;
  const year = fullYear(Number(m[3]), now);
  return { format: 'rfc850', fields: { day: m[1]!, month: m[2]!, year, hh: m[4]!, mm: m[5]!, ss: m[6]! } };
}

function toDate(f: Fields): Date | undefined {
  const month = MONTHS.indexOf(f.month.toLowerCase());
  const day = Number(f.day.trim());
  const hh = Number(f.hh);
  const mm = Number(f.mm);
  const ss = Number(f.ss);
  if (hh > 23 || mm > 59 || ss > 59) return undefined;
  const date = new Date(Date.UTC(f.year, month, day, hh, mm, ss));
  date.setUTCFullYear(f.year); // Date.UTC maps years 0–99 to 1900–1999
  return date.getUTCDate() === day && date.getUTCMonth() === month ? date : undefined;
}

/**
 * Whitespace before a closing `GMT` made one space, as `.replace(/\s+GMT$/i, ' GMT')` would, without that regex: it
 * retried its `\s+` from every space of a long run not followed by `GMT` (seconds for a 40,000-space text).
 */
function gmtSpaced(text: string): string {
  if (text.length < 4 || text.slice(-3).toLowerCase() !== 'gmt') return text;
  const head = text.slice(0, -3);
  const trimmed = head.trimEnd();
  return trimmed.length < head.length ? `${trimmed} GMT` : text;
}

export function parseHttpDate(input: string, options: { now?: Date } = {}): HttpDateResult {
  const text = gmtSpaced(input.trim());
  // Every format starts with a day's name: an ISO time (a Last-Modified as cnm writes it) is none of them.
  const matched = /^[a-z]/i.test(text) ? matchFields(text, options.now ?? new Date()) : undefined;
  if (!matched) {
    return {
      ok: false,
      issue: {
        input,
        message: `"${input}" is not an HTTP date (expected RFC 1123, e.g. "Sun, 06 Nov 1994 08:49:37 GMT")`,
      },
    };
  }
  const value = toDate(matched.fields);
  if (!value) return { ok: false, issue: { input, message: `"${input}" names a day or time that does not exist` } };
  return { ok: true, value, format: matched.format };
}

/** RFC 1123, as the SDK writes it: milliseconds dropped. */
export function formatHttpDate(date: Date): string {
  return date.toUTCString();
}

/** Whole seconds since the epoch: the resolution of the header and of Last-Modified. */
export function toEpochSeconds(date: Date | string): number {
  const ms = typeof date === 'string' ? Date.parse(date) : date.getTime();
  return Math.floor(ms / 1000);
}
