/**
 * Every source, one vocabulary: a service-log entry and a capture both become an `Observed` request, so the
 * timeline can mix a `$logs` line with an SDK log of the same blob. Pure.
 */
import { classifyOperation } from '../operation.js';
import type { Capture, LogEntry } from '../types.js';
import type { Observed } from './types.js';

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** `/account/container/blob` from a URL, host-style or path-style (emulator). */
export function blobKeyOfUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const parsed = URL.canParse(url)
    ? new URL(url)
    : url.startsWith('/')
      ? new URL(url, 'http://127.0.0.1:10000')
      : undefined;
  if (!parsed) return undefined;
  const path = parsed.pathname.split('/').slice(1).map(decode);
  const pathStyle =
    /^(?:\d+\.\d+\.\d+\.\d+|localhost|\[.*\])$/.test(parsed.hostname) ||
    ['10000', '10001', '10002'].includes(parsed.port);
  const [account, container, ...rest] = pathStyle ? path : [parsed.hostname.split('.')[0]!, ...path];
  if (!account || !container || rest.length === 0 || rest.join('/') === '') return undefined;
  return `/${account.toLowerCase()}/${container}/${rest.join('/')}`;
}

function blobKeyOfEntry(e: LogEntry): string | undefined {
  if (e.account && e.container && e.blob) return `/${e.account.toLowerCase()}/${e.container}/${e.blob}`;
  return blobKeyOfUrl(e.url);
}

export function fromLogEntry(e: LogEntry, order: number): Observed {
  return {
    time: e.time,
    order,
    requestId: e.requestId,
    clientRequestId: e.clientRequestId,
    operation: e.operation,
    method: e.method,
    url: e.url,
    blobKey: blobKeyOfEntry(e),
    status: e.status,
    errorCode: e.errorCode,
    caller: e.requester ? `${e.requester}${e.callerIp ? ` @ ${e.callerIp}` : ''}` : e.callerIp,
    callerIp: e.callerIp,
    identity: e.identity,
    userAgent: e.userAgent,
    etag: e.etag,
    lastModified: e.lastModified,
    conditionsUsed: e.conditionsUsed,
    source: e.source,
  };
}

function toIso(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/**
 * Which credential a captured request carried, named without its secret: the Shared Key's account (the
 * `SharedKey <account>:<signature>` scheme, learn.microsoft.com/rest/api/storageservices/authorize-with-shared-key),
 * a bearer token, or a SAS (its `sig` query parameter).
 */
function credentialOfCapture(c: Capture): string | undefined {
  const auth = c.request.headers['authorization'];
  const key = auth && /^SharedKey(?:Lite)?\s+([^:\s]+):/i.exec(auth)?.[1];
  if (key) return `account key (${key})`;
  if (auth && /^Bearer\s/i.test(auth)) return 'OAuth bearer token';
  const url = URL.canParse(c.request.url) ? new URL(c.request.url) : undefined;
  return url?.searchParams.has('sig') ? 'SAS' : undefined;
}

/** `caller`: who sent it, when the source logs it beside the capture (Azurite's ClientIP). */
export function fromCapture(c: Capture, order: number, caller?: string): Observed {
  const req = c.request.headers;
  const res = c.response?.headers ?? {};
  const ip = req['x-forwarded-for'] ?? caller;
  return {
    time: c.request.time ?? toIso(res['date']),
    order,
    requestId: res['x-ms-request-id'],
    clientRequestId: req['x-ms-client-request-id'] ?? res['x-ms-client-request-id'],
    operation: classifyOperation(c.request).name,
    method: c.request.method,
    url: c.request.url,
    blobKey: blobKeyOfUrl(c.request.url),
    status: c.response?.status ?? 0,
    errorCode: res['x-ms-error-code'],
    caller: ip,
    callerIp: ip,
    identity: credentialOfCapture(c),
    userAgent: req['user-agent'],
    etag: res['etag'],
    lastModified: toIso(res['last-modified']),
    capture: c,
    source: c.source ?? { kind: 'capture' },
  };
}

/** Does `o` carry `id` as its x-ms-request-id or x-ms-client-request-id? */
export function carriesId(o: Observed, id: string): boolean {
  const wanted = id.trim().toLowerCase();
  return o.requestId?.toLowerCase() === wanted || o.clientRequestId?.toLowerCase() === wanted;
}

const FAILED = new Set([304, 409, 412]);

/**
 * The request a user means by `id`. A server id names one attempt; a client request id names a retry chain
 * (every attempt shares it: the SDK's retry policy re-sends the same request, Azure/azure-sdk-for-js
 * sdk/storage/storage-common/src/policies/StorageRetryPolicyV2.ts): take the last attempt that failed a condition,
 * else the last.
 */
export function pickTarget(all: readonly Observed[], id: string): { target?: Observed; chain: Observed[] } {
  const hits = all.filter((o) => carriesId(o, id));
  if (hits.length === 0) return { chain: [] };
  const exact = hits.filter((o) => o.requestId?.toLowerCase() === id.trim().toLowerCase());
  const pool = sortObserved(exact.length > 0 ? exact : hits);
  const failed = pool.filter((o) => FAILED.has(o.status) || o.status >= 400);
  const target = (failed.length > 0 ? failed : pool).at(-1)!;
  const chain = target.clientRequestId
    ? sortObserved(all.filter((o) => o !== target && o.clientRequestId === target.clientRequestId))
    : [];
  return { target, chain };
}

/** Oldest first; entries without a time keep their place in the source. */
export function sortObserved(list: readonly Observed[]): Observed[] {
  return [...list].sort((a, b) => {
    if (a.time && b.time && a.time !== b.time) return a.time < b.time ? -1 : 1;
    return a.order - b.order;
  });
}
