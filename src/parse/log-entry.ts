/** Field helpers shared by the three service-log parsers ($logs line, resource-log record, Log Analytics row). */
import type { ConditionsUsed } from './types.js';

/** Any parseable time → ISO 8601 UTC with milliseconds (so times from all sources compare as strings). */
export function toIsoUtc(value: unknown): string | undefined {
  return (typeof value === 'string' ? serviceLogTime(value) : undefined) ?? anyTimeToIsoUtc(value);
}

/** `2026-11-24T18:00:00.1234567Z` ($logs, resource logs): the fraction cut to milliseconds, as Date.parse does. */
const ISO_UTC = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.(\d{1,9}))?Z$/;
/** `Tuesday, 24-Nov-26 18:00:00 GMT` (RFC 850, $logs' last-modified-time): two-digit years 00–49 are 20xx. */
const RFC_850 =
  /^[A-Z][a-z]{2,8}, (0[1-9]|1\d|2[0-8])-(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)-(\d\d) ((?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d) GMT$/;
const MONTHS = 'JanFebMarAprMayJunJulAugSepOctNovDec';

/**
 * The two time shapes a `$logs` line holds, read without Date.parse (three a line cost a fifth of its parse): only
 * where the text alone gives the answer (a day of the month up to 28, every field in range), else undefined and
 * the general path decides. test/unit/log-entry-time.test.ts holds them to Date.parse.
 */
export function serviceLogTime(value: string): string | undefined {
  if (ISO_UTC.test(value)) {
    // The fraction is what lies between the seconds and the Z (none: `…:00Z`), cut or padded to three digits.
    const fraction = value.length > 20 ? value.slice(20, -1) : '';
    return fraction.length >= 3 ? `${value.slice(0, 23)}Z` : `${value.slice(0, 19)}.${(fraction + '000').slice(0, 3)}Z`;
  }
  if (!RFC_850.test(value)) return undefined;
  // After the weekday the shape is fixed: `, dd-Mon-yy hh:mm:ss GMT` (24 characters), read by offset.
  const c = value.length - 24;
  const yy = value.slice(c + 9, c + 11);
  const month = MONTHS.indexOf(value.slice(c + 5, c + 8)) / 3 + 1;
  const year = yy < '50' ? `20${yy}` : `19${yy}`;
  return `${year}-${month < 10 ? '0' : ''}${month}-${value.slice(c + 2, c + 4)}T${value.slice(c + 12, c + 20)}.000Z`;
}

/** toIsoUtc's general path: any shape Date.parse reads, US-locale resource-log dates, zoneless text as UTC. */
export function anyTimeToIsoUtc(value: unknown): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const us = usLocaleToIso(value.trim());
  if (us) return us;
  // Strings without a zone would be read as local time; service logs are UTC.
  const zoned = /(?:Z|GMT|UTC|[+-]\d\d:?\d\d)$/i.test(value.trim()) ? value : `${value.trim()}Z`;
  const ms = Date.parse(zoned);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

const US_LOCALE = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d\d):(\d\d)(?: ?([AP]M))?$/i;

/** Resource-log `lastModifiedTime` is US-locale text (`12/12/2023 12:12:19 PM`) in real records, taken as UTC. */
function usLocaleToIso(value: string): string | undefined {
  const m = US_LOCALE.exec(value);
  if (!m) return undefined;
  const [, month, day, year, hour, min, sec, ampm] = m;
  let h = Number(hour) % (ampm ? 12 : 24);
  if (ampm?.toUpperCase() === 'PM') h += 12;
  const ms = Date.UTC(Number(year), Number(month) - 1, Number(day), h, Number(min), Number(sec));
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

// A Map, not an object literal: a logged key such as `constructor` or `__proto__` is no condition.
const CONDITION_KEYS = new Map<string, keyof ConditionsUsed>([
  ['if-match', 'ifMatch'],
  ['if-none-match', 'ifNoneMatch'],
  ['if-modified-since', 'ifModifiedSince'],
  ['if-unmodified-since', 'ifUnmodifiedSince'],
]);

/** The condition names conditions-used can hold, lower-case (parseConditionsUsed's keys). */
export const CONDITION_NAMES: readonly string[] = [...CONDITION_KEYS.keys()];

/**
 * `If-Match=Thursday, 30-Jun-22 12:07:25 GMT;If-None-Match=…` → values verbatim. The service renders
 * If-Match/If-None-Match as dates, not ETags (seen in real logs; not documented), so nothing here is an ETag.
 */
export function parseConditionsUsed(text: string | undefined): ConditionsUsed | undefined {
  if (!text) return undefined;
  let used: ConditionsUsed | undefined;
  // Part by part (a split made an array a line), each part's `=` looked for in the part alone: a field of a million
  // `;` is read in one pass (an indexOf for `=` runs to the text's end, once per part when there is none).
  for (let from = 0; from <= text.length;) {
    let to = text.indexOf(';', from);
    if (to === -1) to = text.length;
    let eq = from;
    while (eq < to && text.charCodeAt(eq) !== 61) eq++;
    const key = eq > from && eq < to ? CONDITION_KEYS.get(text.slice(from, eq).trim().toLowerCase()) : undefined;
    if (key) (used ??= {})[key] = text.slice(eq + 1, to).trim();
    from = to + 1;
  }
  return used;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function parts(account: string | undefined, container: string | undefined, rest: string[]) {
  const blob = rest.join('/');
  return { account: account || undefined, container: container || undefined, blob: blob || undefined };
}

/**
 * `/account/container/blob/name` → parts; the blob name keeps its slashes. Since service version
 * 2012-02-12 a copy source's key is a URL instead (CopyBlobSource; x-ms-copy-source takes a URL since then:
 * learn.microsoft.com/rest/api/storageservices/copy-blob), also split here.
 */
export function splitObjectKey(key: string | undefined): { account?: string; container?: string; blob?: string } {
  if (key?.startsWith('/')) {
    // `/account/container/blob/name`, read by indexOf (a split and a join cost a tenth of a $logs line's parse).
    const first = key.indexOf('/', 1);
    if (first === -1) return { account: key.slice(1) || undefined, container: undefined, blob: undefined };
    const second = key.indexOf('/', first + 1);
    const container = second === -1 ? key.slice(first + 1) : key.slice(first + 1, second);
    const blob = second === -1 ? '' : key.slice(second + 1);
    return { account: key.slice(1, first) || undefined, container: container || undefined, blob: blob || undefined };
  }
  if (!key || !URL.canParse(key)) return {};
  const url = new URL(key);
  const path = url.pathname.slice(1).split('/').map(safeDecode);
  // Emulator URLs are path-style: http://127.0.0.1:10000/devstoreaccount1/container/blob.
  const pathStyle = /^(?:\d+\.\d+\.\d+\.\d+|localhost|\[.*\])$/.test(url.hostname);
  if (pathStyle) return parts(path[0], path[1], path.slice(2));
  return parts(url.hostname.split('.')[0], path[0], path.slice(1));
}

/** Metric-style buckets (Success, SASClientOtherError…) are not error codes; anything else is the service's code. */
const GENERIC_STATUS =
  /^(?:Anonymous|SAS|OAuth)?(?:Success|ThrottlingError|ClientTimeoutError|ServerTimeoutError|ClientOtherError|ServerOtherError|NetworkError|AuthorizationError|ServerBusyError|NetworkFailure)$/;

export function errorCodeOf(statusText: string | undefined): string | undefined {
  return statusText && !GENERIC_STATUS.test(statusText) ? statusText : undefined;
}

/** `412` → 412; `Unknown` (interrupted request) → 0; anything else → undefined. */
export function statusOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value !== 'string') return undefined;
  if (value.length === 3 && isDigit(value, 0) && isDigit(value, 1) && isDigit(value, 2)) return Number(value);
  if (/^\d{3}$/.test(value.trim())) return Number(value);
  return value.trim().toLowerCase() === 'unknown' ? 0 : undefined;
}

function isDigit(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c >= 48 && c <= 57;
}

export function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : undefined;
}

export interface IdentityFields {
  /** $logs authentication-type, resource-log identity.type, StorageBlobLogs AuthenticationType. */
  authType?: string;
  upn?: string;
  objectId?: string;
  appId?: string;
  /** The requester account of a Shared Key request ($logs requester-account-name). */
  account?: string;
  /** Resource logs' identity.tokenHash / AuthenticationHash: which key or SAS signed it (a SHA-256, no secret). */
  hash?: string;
}

/**
 * Who authenticated, named as far as the log does: an Entra principal first; else the credential kind, with the
 * key or SAS hash resource logs record (learn.microsoft.com/azure/storage/blobs/monitor-blob-storage-reference,
 * `identity.tokenHash`) or the requester account a `$logs` Shared Key line records.
 */
export function identityOf(f: IdentityFields): string | undefined {
  // Most requests are not an Entra principal's: no list made for them (this runs for every line parsed).
  if (f.upn || f.objectId || f.appId) {
    const principal = [f.upn, f.objectId && `object id ${f.objectId}`, f.appId && `app id ${f.appId}`];
    return principal.filter(Boolean).join(', ');
  }
  const type = (f.authType ?? '').toLowerCase();
  if (type === 'authenticated' || type === 'accountkey')
    return `account key${f.hash ? ` ${f.hash}` : f.account ? ` (${f.account})` : ''}`;
  if (type === 'sas') return `SAS${f.hash ? ` ${f.hash}` : ''}`;
  if (type === 'anonymous') return 'anonymous';
  return f.authType ? `${f.authType}${f.hash ? ` ${f.hash}` : ''}` : undefined;
}

/** Drops empty strings and undefined so entries compare and print cleanly. */
export function compact<T extends object>(obj: T): T {
  // A plain loop: this runs for every log entry parsed, and entries/fromEntries cost several times more.
  const out: Record<string, unknown> = {};
  const values = obj as Record<string, unknown>;
  for (const k in values) {
    const v = values[k];
    if (v !== undefined && v !== '') out[k] = v;
  }
  return out as T;
}
