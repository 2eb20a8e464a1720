/**
 * One Storage Analytics `$logs` line, versions 1.0 (30 fields) and 2.0 (38 fields)
 * (learn.microsoft.com/rest/api/storageservices/storage-analytics-log-format).
 * Fields are `;`-separated; a field that may hold `"`, `;` or a newline is HTML-encoded and quoted. The
 * published samples (on that page and learn.microsoft.com/azure/storage/common/storage-analytics-logging)
 * break that rule in three ways the splitter must survive: doubled quotes
 * around ETags, unquoted URLs whose `&amp;` ends in a `;`, raw JSON quotes inside a quoted field.
 */
import type { SourceLocation } from '../core/types.js';
import { fail, ok, type ParseResult } from '../core/issue.js';
import {
  errorCodeOf,
  identityOf,
  parseConditionsUsed,
  splitObjectKey,
  statusOf,
  toIsoUtc,
  numberOf,
} from './log-entry.js';
import { quoteEtag } from '../core/etag.js';
import type { LogEntry } from './types.js';

/** Fields per version: a Map, so a version such as `constructor` is no key of it. */
const FIELD_COUNT = new Map([
  ['1.0', 30],
  ['2.0', 38],
]);

/** A `;` that closes an HTML entity (`&amp;`) is part of the value, not a delimiter. */
const ENTITY_BEFORE = /&(?:amp|quot|lt|gt|apos|#\d+|#x[0-9a-f]+)$/i;

/**
 * Splits a line into fields, toggling on every `"`: from one `;` to the next by indexOf (a loop over every
 * character cost several times more), counting the quotes and noting the last `&` in between. Returns the count;
 * `at[i]` is where field i starts (for i below `cap`), and one past the last field's end follows it: field i is
 * `line.slice(at[i], at[i + 1] - 1)`.
 */
function splitBounds(line: string, at: Int32Array | number[], cap: number): number {
  let n = 0;
  let start = 0;
  let quoted = false;
  // The last `&` before the `;` at hand: an entity can close only with one in the same field (the regex runs only
  // then).
  let amp = -1;
  let nextQuote = line.indexOf('"');
  let nextAmp = line.indexOf('&');
  at[0] = 0;
  for (let semi = line.indexOf(';'); semi !== -1; semi = line.indexOf(';', semi + 1)) {
    for (; nextQuote !== -1 && nextQuote < semi; nextQuote = line.indexOf('"', nextQuote + 1)) quoted = !quoted;
    for (; nextAmp !== -1 && nextAmp < semi; nextAmp = line.indexOf('&', nextAmp + 1)) amp = nextAmp;
    // An entity's name ends in a letter or a digit: a `;` after a closing quote (a quoted ETag's) closes none.
    if (
      quoted ||
      (amp >= start &&
        line.charCodeAt(semi - 1) !== 34 &&
        ENTITY_BEFORE.test(line.slice(Math.max(start, semi - 10), semi)))
    )
      continue;
    start = semi + 1;
    if (++n < cap) at[n] = start;
  }
  if (n + 1 < cap) at[n + 1] = line.length + 1;
  return n + 1;
}

function rawField(line: string, at: Int32Array | number[], i: number): string {
  return line.slice(at[i], at[i + 1]! - 1);
}

/** Splits a line into raw fields (quotes kept), as a line's parse reads them. */
export function splitAnalyticsLine(line: string): string[] {
  const at: number[] = [];
  const count = splitBounds(line, at, Infinity);
  return Array.from({ length: count }, (_, i) => rawField(line, at, i));
}

/**
 * Where a parsed line's fields start (splitBounds): a line's parse reads about half of its fields, so it slices only
 * those. A line of more fields than this is one of neither version, refused by its count.
 */
const BOUNDS = new Int32Array(64);

const NAMED: Record<string, string> = { amp: '&', quot: '"', lt: '<', gt: '>', apos: "'" };

const ENTITY = /^(?:amp|quot|lt|gt|apos|#\d+|#x[0-9a-f]+)$/i;

/** `&name;` → its character (`name` as ENTITY), or the text as it was. */
function entity(whole: string, name: string): string {
  const lower = name.toLowerCase();
  if (!lower.startsWith('#')) return NAMED[lower] ?? whole;
  const code = lower.startsWith('#x') ? parseInt(lower.slice(2), 16) : parseInt(lower.slice(1), 10);
  return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
}

/** The character of `&quot;` or `&amp;` (lower-case) at `amp`, its `;` at `semi`; else undefined. */
function knownEntity(text: string, amp: number, semi: number): string | undefined {
  if (semi - amp === 5 && text.startsWith('quot', amp + 1)) return '"';
  if (semi - amp === 4 && text.startsWith('amp', amp + 1)) return '&';
  return undefined;
}

/**
 * The HTML entities of a field decoded, left to right as a global regex would (`&(amp|…);`): from each `&` to the
 * next `;`, by indexOf (a replace with a callback cost a tenth of a line's parse).
 */
function decodeEntities(text: string): string {
  let amp = text.indexOf('&');
  if (amp === -1) return text;
  let out = '';
  let copied = 0;
  // The `;` after the `&` at hand: found once for every `&` before it (a run of `&` was quadratic).
  let semi = -1;
  while (amp !== -1) {
    if (semi <= amp) semi = text.indexOf(';', amp + 1);
    if (semi === -1) break;
    // `&quot;` (every quoted ETag) and `&amp;` read without a slice or a regex.
    const known = knownEntity(text, amp, semi);
    const name = known === undefined ? text.slice(amp + 1, semi) : '';
    if (known === undefined && !ENTITY.test(name)) {
      amp = text.indexOf('&', amp + 1);
      continue;
    }
    out += text.slice(copied, amp) + (known ?? entity(text.slice(amp, semi + 1), name));
    copied = semi + 1;
    amp = text.indexOf('&', copied);
  }
  return out + text.slice(copied);
}

/** A raw field → its value: one outer pair of quotes removed (`""0x8D…""` keeps one pair), entities decoded. */
export function decodeAnalyticsField(raw: string): string {
  const inner = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
  return decodeEntities(inner);
}

/** decodeAnalyticsField(rawField(line, at, i)), slicing the line once (a quoted field sliced twice was a string more). */
function decodedField(line: string, at: Int32Array, i: number): string {
  const s = at[i]!;
  const e = at[i + 1]! - 1;
  const quoted = e - s >= 2 && line.charCodeAt(s) === 34 && line.charCodeAt(e - 1) === 34;
  return decodeEntities(quoted ? line.slice(s + 1, e - 1) : line.slice(s, e));
}

/** The documented encoding: HTML-encode and quote a value holding `"`, `;`, `&` or a line break. */
export function encodeAnalyticsField(value: string): string {
  if (!/[";&\r\n]/.test(value)) return value;
  const encoded = value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
  return `"${encoded}"`;
}

/** The fields a line's entry is made of (toEntry) and checked by: the others are not decoded. */
const READ_FIELDS = [1, 2, 3, 4, 7, 8, 9, 11, 12, 13, 15, 21, 24, 25, 26, 27, 29, 30, 32, 35];

/**
 * A line's decoded fields by index, one array for every line (each line sets every READ_FIELDS slot; toEntry reads
 * them before the next line): an array grown slot by slot to index 35 was a third of what a line's parse allocated.
 */
const DECODED: Array<string | undefined> = new Array<string | undefined>(36).fill(undefined);

/**
 * The entry of a line's decoded fields, made in one literal (adding two dozen keys one by one regrew the object's
 * property store at each step): a field the line leaves empty is undefined.
 */
function toEntry(f: Array<string | undefined>, time: string, source: SourceLocation): LogEntry {
  const objectKey = f[12] || undefined;
  const statusText = f[3] || undefined;
  const key = splitObjectKey(objectKey);
  const lastModified = toIsoUtc(f[25]);
  return {
    time,
    operation: f[2]!,
    status: statusOf(f[4])!,
    statusText,
    errorCode: errorCodeOf(statusText),
    authType: f[7] || undefined,
    // v2.0 names the OAuth caller; v1.0 only has the requester account.
    requester: f[35] || f[30] || f[8] || undefined,
    identity: identityOf({ authType: f[7], upn: f[35], objectId: f[30], appId: f[32], account: f[8] }) || undefined,
    url: f[11] || undefined,
    objectKey,
    account: f[9] || key.account || undefined,
    container: key.container || undefined,
    blob: key.blob || undefined,
    requestId: f[13] || undefined,
    callerIp: f[15] || undefined,
    contentLength: numberOf(f[21]),
    etag: quoteEtag(f[24] || undefined) || undefined,
    lastModified: lastModified || undefined,
    conditionsUsed: parseConditionsUsed(f[26]),
    userAgent: f[27] || undefined,
    clientRequestId: f[29] || undefined,
    source,
  };
}

/**
 * Can `bounds` be the split of `text`? They start at 0, end one past its end, and each other one follows a `;`, in
 * order: bounds from a line of characters of several bytes (split by its bytes) end elsewhere, and bounds of another
 * line (a caller's stale state) are all but sure to miss a `;`. Such bounds are not taken: the line is split here.
 */
function boundsFit(text: string, bounds: ArrayLike<number>): boolean {
  const n = bounds.length;
  if (n < 2 || n > BOUNDS.length || bounds[0] !== 0 || bounds[n - 1] !== text.length + 1) return false;
  for (let i = 1; i < n - 1; i++)
    if (bounds[i]! <= bounds[i - 1]! || text.charCodeAt(bounds[i]! - 1) !== 59) return false;
  return true;
}

/**
 * Parses one `$logs` line; a malformed or truncated line is an issue, never a throw. `bounds`: where its fields start
 * and one past its end, as splitBounds would find them, when a caller split it already (the stats fast path, whose
 * scanner splits every line), taken when they fit the line (boundsFit), else it is split here.
 */
export function parseAnalyticsLine(
  line: string,
  lineNo?: number,
  file?: string,
  bounds?: ArrayLike<number>,
): ParseResult<LogEntry> {
  const where = { file, line: lineNo };
  const text = line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
  const given = bounds !== undefined && boundsFit(text, bounds);
  if (given) BOUNDS.set(bounds);
  const count = given ? bounds.length - 1 : splitBounds(text, BOUNDS, BOUNDS.length);
  const version = rawField(text, BOUNDS, 0);
  const expected = FIELD_COUNT.get(version);
  if (expected === undefined)
    return fail(`not a Storage Analytics log line (version "${version.slice(0, 10)}" is not 1.0 or 2.0)`, {
      ...where,
      path: 'version-number',
    });
  if (count !== expected)
    return fail(`$logs ${version} line has ${count} fields, expected ${expected} (truncated or malformed)`, where);
  const f = DECODED;
  for (const i of READ_FIELDS) f[i] = i < count ? decodedField(text, BOUNDS, i) : undefined;
  const time = toIsoUtc(f[1]);
  if (time === undefined) return fail(`not a time: "${f[1]}"`, { ...where, path: 'request-start-time' });
  if (!f[2]) return fail('is empty', { ...where, path: 'operation-type' });
  if (statusOf(f[4]) === undefined)
    return fail(`not an HTTP status: "${f[4]}"`, { ...where, path: 'http-status-code' });
  return ok(toEntry(f, time, { kind: 'analytics-log', file, line: lineNo }));
}
