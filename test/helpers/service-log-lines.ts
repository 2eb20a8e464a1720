/**
 * The service's own logs of real requests: Storage Analytics `$logs` lines (1.0 and 2.0) and Azure Monitor
 * resource-log records (PT1H.json), written from the requests Azurite served — read back from its --debug log —
 * with the documented field layout (learn.microsoft.com/rest/api/storageservices/storage-analytics-log-format,
 * learn.microsoft.com/azure/storage/blobs/monitor-blob-storage-reference). Azurite writes neither, so this is
 * how a test gets `$logs` and resource logs of the very events it caused. What the service renders rather than
 * copies is rendered as it does: If-Match as the date of the ETag it names, Last-Modified as RFC 850 text in
 * `$logs` and US-locale text in resource logs, no lease header at all.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DEV_KEY } from '../../src/core/connection-string.js';
import { classifyOperation } from '../../src/core/operation.js';
import type { Capture } from '../../src/core/types.js';
import { azuriteClientIp, createAzuriteLogParser } from '../../src/parse/azurite-log.js';
import { encodeAnalyticsField } from '../../src/parse/storage-analytics-log.js';

/** One request as the service would log it: a real capture from Azurite's log, and who sent it. */
export interface ServedRequest {
  capture: Capture;
  callerIp?: string;
}

/** Every request/response pair in an Azurite --debug log, in the order Azurite answered them. */
export function servedRequests(debugLog: string): ServedRequest[] {
  const parser = createAzuriteLogParser(debugLog);
  const out: ServedRequest[] = [];
  const take = (results: ReturnType<typeof parser.push>) => {
    for (const r of results)
      if (r.ok && r.value.response) out.push({ capture: r.value, callerIp: azuriteClientIp(r.value) });
  };
  readFileSync(debugLog, 'utf8')
    .split('\n')
    .forEach((line, i) => take(parser.push(line, i + 1)));
  take(parser.end());
  return out.sort((a, b) => (a.capture.request.time ?? '').localeCompare(b.capture.request.time ?? ''));
}

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** `Tuesday, 09-Aug-11 21:13:26 GMT`: how `$logs` writes last-modified-time and the dates in conditions-used. */
function rfc850(ms: number): string {
  const d = new Date(ms);
  return (
    `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${two(d.getUTCFullYear() % 100)} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} GMT`
  );
}

/** `12/12/2023 12:12:19 PM`: resource logs' lastModifiedTime. */
function usLocale(ms: number): string {
  const d = new Date(ms);
  const h = d.getUTCHours();
  return (
    `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${h % 12 === 0 ? 12 : h % 12}:` +
    `${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`
  );
}

/** The Last-Modified of every ETag a response produced: the service logs a condition's ETag as that date. */
function etagDates(served: readonly ServedRequest[]): Map<string, number> {
  const dates = new Map<string, number>();
  for (const { capture } of served) {
    const h = capture.response!.headers;
    const lm = h['last-modified'] ? Date.parse(h['last-modified']) : NaN;
    if (h.etag && !Number.isNaN(lm) && !dates.has(h.etag)) dates.set(h.etag, lm);
  }
  return dates;
}

/** conditions-used: `If-Match=<date>;If-None-Match=…` (observed rendering; the date of the ETag named). */
function conditionsUsed(c: Capture, dates: Map<string, number>): string {
  const h = c.request.headers;
  const asDate = (etag: string) => (etag.trim() === '*' ? '*' : dates.has(etag) ? rfc850(dates.get(etag)!) : undefined);
  const parts: string[] = [];
  for (const [name, value] of [
    ['If-Match', h['if-match'] && asDate(h['if-match'])],
    ['If-None-Match', h['if-none-match'] && asDate(h['if-none-match'])],
    ['If-Modified-Since', h['if-modified-since'] && rfc850(Date.parse(h['if-modified-since']))],
    ['If-Unmodified-Since', h['if-unmodified-since'] && rfc850(Date.parse(h['if-unmodified-since']))],
  ] as const)
    if (value) parts.push(`${name}=${value}`);
  return parts.join(';');
}

interface Fields {
  time: string;
  operation: string;
  status: number;
  statusText: string;
  url: string;
  objectKey: string;
  account: string;
  requestId: string;
  callerIp: string;
  version: string;
  etag?: string;
  lastModified?: number;
  conditions: string;
  userAgent: string;
  clientRequestId: string;
}

function fieldsOf({ capture, callerIp }: ServedRequest, dates: Map<string, number>): Fields {
  const req = capture.request;
  const res = capture.response!;
  const url = new URL(req.url);
  const [account = '', ...key] = url.pathname.slice(1).split('/').map(decodeURIComponent);
  const lm = res.headers['last-modified'] ? Date.parse(res.headers['last-modified']) : NaN;
  return {
    time: req.time!,
    operation: classifyOperation(req).name,
    status: res.status,
    statusText: res.status < 400 ? 'Success' : (res.headers['x-ms-error-code'] ?? 'ClientOtherError'),
    url: req.url,
    objectKey: `/${account}/${key.join('/')}`,
    account,
    requestId: res.headers['x-ms-request-id'] ?? '',
    callerIp: callerIp ?? '',
    version: req.headers['x-ms-version'] ?? '',
    etag: res.headers.etag,
    lastModified: Number.isNaN(lm) ? undefined : lm,
    conditions: conditionsUsed(capture, dates),
    userAgent: req.headers['user-agent'] ?? '',
    clientRequestId: req.headers['x-ms-client-request-id'] ?? '',
  };
}

/** One `$logs` line, format 1.0 (30 fields) or 2.0 (38: the OAuth fields, empty for a Shared Key request). */
function analyticsLine(f: Fields, version: '1.0' | '2.0'): string {
  const q = (v: string) => (v === '' ? '' : `"${v.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"`);
  const fields = [
    version,
    f.time.replace(/\.(\d{3})Z$/, '.$10000Z'),
    f.operation,
    f.statusText,
    String(f.status),
    '5',
    '4',
    'authenticated',
    f.account,
    f.account,
    'blob',
    q(f.url),
    q(f.objectKey),
    f.requestId,
    '0',
    f.callerIp,
    f.version,
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    f.etag ? q(f.etag) : '',
    f.lastModified === undefined ? '' : rfc850(f.lastModified),
    encodeAnalyticsField(f.conditions),
    q(f.userAgent),
    '',
    q(f.clientRequestId),
  ];
  if (version === '2.0') fields.push('', '', '', '', '', '', '', '');
  return fields.join(';');
}

export function analyticsLog(served: readonly ServedRequest[], version: '1.0' | '2.0'): string {
  const dates = etagDates(served);
  return served.map((s) => analyticsLine(fieldsOf(s, dates), version)).join('\n') + '\n';
}

/** The hash resource logs record for a Shared Key request: which key signed it, never the key. */
const TOKEN_HASH = `key1(${createHash('sha256').update(DEV_KEY).digest('hex').toUpperCase()})`;

/** PT1H.json: one resource-log record a line. */
export function resourceLog(served: readonly ServedRequest[]): string {
  const dates = etagDates(served);
  return (
    served
      .map((s) => {
        const f = fieldsOf(s, dates);
        const properties: Record<string, unknown> = {
          accountName: f.account,
          userAgentHeader: f.userAgent,
          clientRequestId: f.clientRequestId,
          serviceType: 'blob',
          objectKey: f.objectKey,
          metricResponseType: f.status < 400 ? 'Success' : 'ClientOtherError',
        };
        if (f.etag) properties.etag = f.etag;
        if (f.lastModified !== undefined) properties.lastModifiedTime = usLocale(f.lastModified);
        if (f.conditions) properties.conditionsUsed = f.conditions;
        return JSON.stringify({
          time: f.time.replace(/\.(\d{3})Z$/, '.$10000Z'),
          resourceId: `/subscriptions/x/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/${f.account}/blobServices/default`,
          category: /^(Get|List)/.test(f.operation) ? 'StorageRead' : 'StorageWrite',
          operationName: f.operation,
          operationVersion: f.version,
          schemaVersion: '1.0',
          statusCode: f.status,
          statusText: f.statusText,
          durationMs: 5,
          callerIpAddress: f.callerIp,
          correlationId: f.requestId,
          identity: { type: 'AccountKey', tokenHash: TOKEN_HASH },
          location: 'eastus',
          properties,
          uri: f.url,
          protocol: 'HTTP',
          resourceType: 'Microsoft.Storage/storageAccounts/blobServices',
        });
      })
      .join('\n') + '\n'
  );
}
