/**
 * A workload with known answers for `cnm stats`, written as the same events in every format cnm reads: `$logs`
 * 1.0 and 2.0 lines and PT1H.json resource-log records (through service-log-lines.ts, the documented layouts) and
 * NDJSON captures. Nine hours from 2026-11-24T00:00Z; the 05:00 hour is empty; a deploy at 04:00 halves the rate.
 *
 * Every active hour holds 100 requests:
 * - 40 on the hot blob /acct/app/orders/hot.json, written by two callers with If-Match: before the deploy 10 PutBlob
 *   succeed and 10 fail 412 ConditionNotMet (the other writer changed it first), after it 15 succeed and 5 fail;
 *   the other 20 are GetBlob;
 * - 4 on an Event Hubs ownership blob: a claim, a renewal with If-Match, and 2 claims that fail 412 (expected
 *   contention);
 * - 56 GetBlob of item blobs, one of them answered 304 to an If-None-Match.
 */
import type { Capture } from '../../src/core/types.js';
import { analyticsLog, resourceLog, type ServedRequest } from './service-log-lines.js';

export const START = '2026-11-24T00:00:00Z';
export const UNTIL = '2026-11-24T09:00:00Z';
export const DEPLOY = '2026-11-24T04:00:00Z';
const HOURS = [0, 1, 2, 3, 4, 6, 7, 8];
export const HOT = '/acct/app/orders/hot.json';
export const OWNERSHIP = '/acct/checkpoints/ns.servicebus.windows.net/hub/$default/ownership/0';

/** What stats must answer for the whole range. */
export const EXPECTED = {
  requests: 800,
  conditional: 192,
  failures: 76,
  notModified: 8,
  expectedContention: 16,
  before: { requests: 400, failures: 40 },
  after: { requests: 400, failures: 20 },
  hot: { requests: 320, failures: 60, writers: 2 },
  ownership: { requests: 32, failures: 16, writers: 1 },
};

const WRITERS = [
  { ip: '10.0.0.1', userAgent: 'orders-writer/1.0 (a)' },
  { ip: '10.0.0.2', userAgent: 'orders-writer/1.0 (b)' },
];
const PROCESSOR = { ip: '10.0.0.9', userAgent: 'azsdk-js-eventhubs-checkpointstore-blob/1.0.0' };
const READER = { ip: '10.0.0.5', userAgent: 'reader/2.0' };

const pad = (n: number, w: number) => String(n).padStart(w, '0');

class Builder {
  readonly served: ServedRequest[] = [];
  private etagN = 0;
  private t = 0;
  constructor(private hourMs: number) {}

  private etag(): string {
    return `"0x8DC0A1B2C${pad(++this.etagN, 6)}"`;
  }

  /** One request 30 s after the previous one in the hour. */
  add(
    who: { ip: string; userAgent: string },
    method: string,
    path: string,
    status: number,
    o: { ifMatch?: string; ifNoneMatch?: string; code?: string; produces?: boolean } = {},
  ): string | undefined {
    const time = new Date(this.hourMs + this.t++ * 30_000 + 123).toISOString();
    const id = `${pad(this.hourMs / 3_600_000, 8)}-0000-4000-8000-${pad(this.served.length, 12)}`;
    const etag = o.produces ? this.etag() : undefined;
    const headers: Record<string, string> = {
      'user-agent': who.userAgent,
      'x-ms-client-request-id': `c-${id}`,
      'x-ms-version': '2025-01-05',
      ...(o.ifMatch ? { 'if-match': o.ifMatch } : {}),
      ...(o.ifNoneMatch ? { 'if-none-match': o.ifNoneMatch } : {}),
    };
    const res: Record<string, string> = { 'x-ms-request-id': id };
    if (o.code) res['x-ms-error-code'] = o.code;
    if (etag) Object.assign(res, { etag, 'last-modified': new Date(Date.parse(time) - 1000).toUTCString() });
    const capture: Capture = {
      request: { method, url: `http://127.0.0.1:10000${path}`, headers, time },
      response: { status, headers: res },
    };
    this.served.push({ capture, callerIp: `${who.ip}:5${pad(this.served.length % 1000, 4)}` });
    return etag;
  }
}

function hour(h: number): ServedRequest[] {
  const b = new Builder(Date.parse(START) + h * 3_600_000);
  const failures = h < 4 ? 10 : 5;
  const [a, other] = WRITERS as [(typeof WRITERS)[0], (typeof WRITERS)[0]];
  let current = b.add(READER, 'GET', HOT, 200, { produces: true })!;
  // A pair: one writer replaces the blob, the other then writes with the ETag it read before: 412.
  for (let i = 0; i < failures; i++) {
    const stale = current;
    current = b.add(a, 'PUT', HOT, 201, { ifMatch: current, produces: true })!;
    b.add(other, 'PUT', HOT, 412, { ifMatch: stale, code: 'ConditionNotMet' });
    b.add(READER, 'GET', HOT, 200, { produces: true });
  }
  for (let i = 0; i < 20 - 2 * failures; i++) {
    current = b.add(WRITERS[i % 2]!, 'PUT', HOT, 201, { ifMatch: current, produces: true })!;
  }
  // 20 reads of the hot blob in all: the first, one after each pair, the rest here.
  for (let i = 1 + failures; i < 20; i++) b.add(READER, 'GET', HOT, 200, { produces: true });
  let claim = b.add(PROCESSOR, 'PUT', `${OWNERSHIP}?comp=metadata`, 200, { produces: true })!;
  const old = claim;
  claim = b.add(PROCESSOR, 'PUT', `${OWNERSHIP}?comp=metadata`, 200, { ifMatch: claim, produces: true })!;
  b.add(PROCESSOR, 'PUT', `${OWNERSHIP}?comp=metadata`, 412, { ifMatch: old, code: 'ConditionNotMet' });
  b.add(PROCESSOR, 'PUT', `${OWNERSHIP}?comp=metadata`, 412, { ifMatch: old, code: 'ConditionNotMet' });
  void claim;
  const item = b.add(READER, 'GET', `/acct/app/items/h${h}-0.json`, 200, { produces: true })!;
  b.add(READER, 'GET', `/acct/app/items/h${h}-0.json`, 304, { ifNoneMatch: item });
  for (let i = 1; i < 55; i++) b.add(READER, 'GET', `/acct/app/items/h${h}-${i}.json`, 200, { produces: true });
  return b.served;
}

/** Every request of the workload, oldest first. */
function workload(): ServedRequest[] {
  return HOURS.flatMap(hour);
}

/** A few requests before the range (counted as outside it) and malformed lines (skipped and counted). */
const EARLY = new Builder(Date.parse(START) - 3_600_000);
EARLY.add(READER, 'GET', HOT, 200, { produces: true });
EARLY.add(READER, 'GET', HOT, 200, { produces: true });
export const OUTSIDE = 2;
const MALFORMED = ['2.0;2026-11-24T01:00:00.0000000Z;PutBlob;truncated', '1.0;not-a-time', '2.0;;;'];
/** And a failure whose version only looks like one (`2.5`, `1.5`), its fields all there: skipped too. */
export const MALFORMED_LINES = MALFORMED.length + 1;

export function analyticsText(version: '1.0' | '2.0'): string {
  const lines = analyticsLog([...EARLY.served, ...workload()], version)
    .trimEnd()
    .split('\n');
  // Malformed lines in the middle of the file, where a real truncated write would leave them.
  const failure = lines.find((l) => l.includes(';412;'))!;
  lines.splice(300, 0, ...MALFORMED, failure.replace(/^(\d)\.0;/, '$1.5;'));
  return lines.join('\n') + '\n';
}

export function resourceText(): string {
  return resourceLog([...EARLY.served, ...workload()]);
}

export function ndjsonText(): string {
  return (
    [...EARLY.served, ...workload()]
      .map((s) =>
        JSON.stringify({
          ...s.capture,
          request: {
            ...s.capture.request,
            headers: { ...s.capture.request.headers, 'x-forwarded-for': s.callerIp!.split(':')[0] },
          },
        }),
      )
      .join('\n') + '\n'
  );
}
