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
  compact,
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

const FIELD_COUNT: Record<string, number> = { '1.0': 30, '2.0': 38 };

/** A `;` that closes an HTML entity (`&amp;`) is part of the value, not a delimiter. */
const ENTITY_BEFORE = /&(?:amp|quot|lt|gt|apos|#\d+|#x[0-9a-f]+)$/i;

/** Splits a line into raw fields (quotes kept), toggling on every `"`. */
export function splitAnalyticsLine(line: string): string[] {
  const fields: string[] = [];
  let start = 0;
  let quoted = false;
  // The last `&` seen: an entity can close only with one in the same field (the regex runs only then).
  let amp = -1;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 34) quoted = !quoted;
    else if (c === 38) amp = i;
    else if (c === 59 && !quoted && !(amp >= start && ENTITY_BEFORE.test(line.slice(Math.max(start, i - 10), i)))) {
      fields.push(line.slice(start, i));
      start = i + 1;
    }
  }
  fields.push(line.slice(start));
  return fields;
}

const NAMED: Record<string, string> = { amp: '&', quot: '"', lt: '<', gt: '>', apos: "'" };

function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(amp|quot|lt|gt|apos|#\d+|#x[0-9a-f]+);/gi, (whole, name: string) => {
    const lower = name.toLowerCase();
    if (!lower.startsWith('#')) return NAMED[lower] ?? whole;
    const code = lower.startsWith('#x') ? parseInt(lower.slice(2), 16) : parseInt(lower.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** A raw field → its value: one outer pair of quotes removed (`""0x8D…""` keeps one pair), entities decoded. */
export function decodeAnalyticsField(raw: string): string {
  const inner = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
  return decodeEntities(inner);
}

/** The documented encoding: HTML-encode and quote a value holding `"`, `;`, `&` or a line break. */
export function encodeAnalyticsField(value: string): string {
  if (!/[";&\r\n]/.test(value)) return value;
  const encoded = value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
  return `"${encoded}"`;
}

function toEntry(f: string[], source: SourceLocation): LogEntry {
  const objectKey = f[12] || undefined;
  const statusText = f[3];
  return compact<LogEntry>({
    time: toIsoUtc(f[1])!,
    operation: f[2]!,
    status: statusOf(f[4])!,
    statusText,
    errorCode: errorCodeOf(statusText),
    authType: f[7],
    // v2.0 names the OAuth caller; v1.0 only has the requester account.
    requester: f[35] || f[30] || f[8],
    identity: identityOf({ authType: f[7], upn: f[35], objectId: f[30], appId: f[32], account: f[8] }),
    url: f[11],
    objectKey,
    ...splitObjectKey(objectKey),
    account: f[9] || splitObjectKey(objectKey).account,
    requestId: f[13],
    callerIp: f[15],
    contentLength: numberOf(f[21]),
    etag: quoteEtag(f[24] || undefined),
    lastModified: toIsoUtc(f[25]),
    conditionsUsed: parseConditionsUsed(f[26]),
    userAgent: f[27],
    clientRequestId: f[29],
    source,
  });
}

/** Parses one `$logs` line; a malformed or truncated line is an issue, never a throw. */
export function parseAnalyticsLine(line: string, lineNo?: number, file?: string): ParseResult<LogEntry> {
  const where = { file, line: lineNo };
  const raw = splitAnalyticsLine(line.replace(/\r$/, ''));
  const version = raw[0]!;
  const expected = FIELD_COUNT[version];
  if (expected === undefined)
    return fail(`not a Storage Analytics log line (version "${version.slice(0, 10)}" is not 1.0 or 2.0)`, {
      ...where,
      path: 'version-number',
    });
  if (raw.length !== expected)
    return fail(`$logs ${version} line has ${raw.length} fields, expected ${expected} (truncated or malformed)`, where);
  const f = raw.map(decodeAnalyticsField);
  if (toIsoUtc(f[1]) === undefined) return fail(`not a time: "${f[1]}"`, { ...where, path: 'request-start-time' });
  if (!f[2]) return fail('is empty', { ...where, path: 'operation-type' });
  if (statusOf(f[4]) === undefined)
    return fail(`not an HTTP status: "${f[4]}"`, { ...where, path: 'http-status-code' });
  return ok(toEntry(f, { kind: 'analytics-log', file, line: lineNo }));
}
