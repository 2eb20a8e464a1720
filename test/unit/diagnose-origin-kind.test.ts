/**
 * originKind (the kind of a failure's origin without its story, which cnm stats asks of every failure) against
 * classifyOrigin (the story diagnose tells): on random service-log histories of one blob they agree whenever
 * originKind answers, and it answers for the ETag and date failures it is meant for.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { callerMatch, compareCallers } from '../../src/core/diagnose/caller.js';
import { classifyOrigin } from '../../src/core/diagnose/origin.js';
import { originKind } from '../../src/core/diagnose/origin-kind.js';
import type { Observed } from '../../src/core/diagnose/types.js';
import type { ConditionsUsed } from '../../src/core/types.js';

const T0 = Date.UTC(2026, 10, 24, 18, 0, 0);
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** How $logs renders a date condition (RFC 850), and now and then RFC 1123. */
function logDate(second: number, rfc1123: boolean): string {
  const d = new Date(T0 + second * 1000);
  if (rfc1123) return d.toUTCString();
  return (
    `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${two(d.getUTCFullYear() % 100)} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} GMT`
  );
}

/** The .NET-ticks ETag Azure gives a write of that second. */
function etagOf(second: number): string {
  return `"0x${(BigInt(T0 + second * 1000) * 10000n + 621355968000000000n).toString(16).toUpperCase()}"`;
}

const KEYS = ['/acct/c/blob.json', '/acct/c/other.json', '/acct/ehub/ns/hub/$default/ownership/0'];
const OPERATIONS = [
  'PutBlob',
  'PutBlockList',
  'SetBlobMetadata',
  'DeleteBlob',
  'GetBlob',
  'GetBlobProperties',
  'CopyBlob',
  'AppendBlock',
  'SetBlobTags',
  'AcquireBlobLease',
  'BreakBlobLease',
  'SetBlobSequenceNumber',
  'UndeleteBlob',
];
const CODES = [
  undefined,
  'ConditionNotMet',
  'BlobAlreadyExists',
  'TargetConditionNotMet',
  'LeaseIdMissing',
  'LeaseLost',
  'AppendPositionConditionNotMet',
  'SequenceNumberConditionNotMet',
  'BlobNotFound',
  'constructor',
];

const date = fc.record({ second: fc.integer({ min: 0, max: 12 }), rfc1123: fc.boolean() });
const conditions: fc.Arbitrary<ConditionsUsed | undefined> = fc.option(
  fc.record(
    {
      ifMatch: date.map((d) => logDate(d.second, d.rfc1123)),
      ifNoneMatch: fc.oneof(
        fc.constant('*'),
        date.map((d) => logDate(d.second, d.rfc1123)),
      ),
      ifModifiedSince: date.map((d) => logDate(d.second, d.rfc1123)),
      ifUnmodifiedSince: date.map((d) => logDate(d.second, d.rfc1123)),
    },
    { requiredKeys: [] },
  ),
  { nil: undefined },
);

interface Request {
  ms: number;
  operation: string;
  status: number;
  code: string | undefined;
  key: string;
  client: string | undefined;
  ip: string | undefined;
  ua: string | undefined;
  identity: string | undefined;
  written: { etagSecond: number | undefined; modifiedSecond: number | undefined };
  conditions: ConditionsUsed | undefined;
}

/** One request as a service log records it: no headers; times, ids and callers from small pools so they collide. */
const request: fc.Arbitrary<Request> = fc.record({
  ms: fc.integer({ min: 0, max: 12_000 }),
  operation: fc.constantFrom(...OPERATIONS),
  // Mostly successes: a failure is classified by the writes before it.
  status: fc.oneof(
    { arbitrary: fc.constantFrom(200, 201, 202), weight: 4 },
    { arbitrary: fc.constantFrom(0, 304, 404, 409, 412), weight: 1 },
  ),
  code: fc.constantFrom(...CODES),
  key: fc.oneof({ arbitrary: fc.constant(KEYS[0]!), weight: 8 }, { arbitrary: fc.constantFrom(...KEYS), weight: 1 }),
  client: fc.constantFrom(undefined, 'c-1', 'c-2'),
  ip: fc.constantFrom(undefined, '10.0.0.1:5000', '10.0.0.1:5001', '10.0.0.2:5000'),
  ua: fc.constantFrom(undefined, 'worker-a/1.0', 'worker-b/1.0'),
  identity: fc.constantFrom(undefined, 'account key (acct)', 'alice@contoso.com', 'bob@contoso.com'),
  // A write's ETag and Last-Modified name the same second, as Azure's do; now and then they differ or are missing.
  written: fc.oneof(
    { arbitrary: fc.integer({ min: 0, max: 12 }).map((s) => ({ etagSecond: s, modifiedSecond: s })), weight: 3 },
    {
      arbitrary: fc.record({
        etagSecond: fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }),
        modifiedSecond: fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }),
      }),
      weight: 1,
    },
  ),
  conditions,
});

function observed(r: Request, order: number): Observed {
  return {
    time: new Date(T0 + r.ms).toISOString(),
    order,
    operation: r.operation,
    blobKey: r.key,
    status: r.status,
    errorCode: r.status >= 400 ? r.code : undefined,
    clientRequestId: r.client,
    caller: r.ip,
    callerIp: r.ip,
    userAgent: r.ua,
    identity: r.identity,
    etag: r.written.etagSecond === undefined ? undefined : etagOf(r.written.etagSecond),
    lastModified:
      r.written.modifiedSecond === undefined ? undefined : new Date(T0 + r.written.modifiedSecond * 1000).toISOString(),
    conditionsUsed: r.conditions,
    source: { kind: 'analytics-log', file: '000000.log', line: order + 1 },
  };
}

/** A failure the kind is meant for: an ETag or date condition that failed. */
const failure = request.map((r): Request => ({ ...r, status: 412, code: 'ConditionNotMet' }));

describe('originKind', () => {
  it('gives the kind classifyOrigin gives, whenever it answers', () => {
    let answered = 0;
    let runs = 0;
    fc.assert(
      fc.property(fc.array(request, { maxLength: 10 }), fc.oneof(failure, request), fc.nat(10), (rs, f, at) => {
        const history = rs.map((r, i) => observed(r, i < at ? i : i + 1));
        const failed = observed(f, Math.min(at, rs.length));
        runs++;
        const kind = originKind(failed, history);
        if (kind === undefined) return;
        answered++;
        expect(kind).toBe(classifyOrigin(failed, history).origin.kind);
      }),
      { numRuns: 10_000 },
    );
    // Most random failures are ETag or date ones: the test is not passing by answering nothing.
    expect(answered / runs).toBeGreaterThan(0.6);
  });

  it('reads nothing of a request that cannot have changed the blob (what cnm stats leaves out of a history)', () => {
    // As StatsRecord.inert of a $logs line: a read (by its verb), or no success, with a logged status.
    const inert = (o: Observed) =>
      (/^(?:Get|List|Query|Head|Find)/.test(o.operation) || o.status < 200 || o.status >= 300) && o.status !== 0;
    let dropped = 0;
    fc.assert(
      fc.property(fc.array(request, { maxLength: 10 }), fc.oneof(failure, request), fc.nat(10), (rs, f, at) => {
        const history = rs.map((r, i) => observed(r, i < at ? i : i + 1));
        const failed = observed(f, Math.min(at, rs.length));
        const told = history.filter((o) => !inert(o));
        dropped += history.length - told.length;
        expect(originKind(failed, told)).toBe(originKind(failed, history));
      }),
      { numRuns: 10_000 },
    );
    // Reads and failures were there to drop: the test is not passing on histories of writes alone.
    expect(dropped).toBeGreaterThan(10_000);
  });

  it('tells callers apart as compareCallers does, without its sentence', () => {
    const who = fc.record({
      identity: fc.constantFrom(undefined, 'account key (acct)', 'SAS', 'alice@contoso.com', 'bob@contoso.com'),
      callerIp: fc.constantFrom(undefined, '10.0.0.1:5000', '10.0.0.1:5001', '10.0.0.2', '[::1]:443', '::1'),
      userAgent: fc.constantFrom(undefined, 'worker-a/1.0', 'worker-b/1.0'),
    });
    const at = (w: { identity?: string; callerIp?: string; userAgent?: string }): Observed => ({
      ...w,
      order: 0,
      operation: 'PutBlob',
      status: 201,
      source: { kind: 'analytics-log' },
    });
    fc.assert(
      fc.property(who, who, (a, b) => {
        expect(callerMatch(at(a), at(b))).toBe(compareCallers(at(a), at(b)).match);
      }),
      { numRuns: 3000 },
    );
  });

  it('answers the ETag failures of service logs, and leaves leases, state conditions and captures to the classifier', () => {
    const ok = (ms: number, ip: string, second: number): Observed => ({
      ...observed(
        {
          ms,
          operation: 'PutBlob',
          status: 201,
          code: undefined,
          key: KEYS[0]!,
          client: undefined,
          ip,
          ua: undefined,
          identity: undefined,
          written: { etagSecond: second, modifiedSecond: second },
          conditions: undefined,
        },
        ms,
      ),
    });
    const history = [ok(1000, '10.0.0.1:1', 1), ok(3000, '10.0.0.2:1', 3)];
    const failed: Observed = {
      ...ok(5000, '10.0.0.1:2', 5),
      status: 412,
      errorCode: 'ConditionNotMet',
      etag: undefined,
      lastModified: undefined,
      conditionsUsed: { ifMatch: logDate(1, false) },
    };
    expect(originKind(failed, history)).toBe('other-writer');
    expect(classifyOrigin(failed, history).origin.kind).toBe('other-writer');
    expect(originKind({ ...failed, errorCode: 'LeaseIdMissing' }, history)).toBeUndefined();
    expect(originKind({ ...failed, errorCode: 'AppendPositionConditionNotMet' }, history)).toBeUndefined();
    const captured: Observed = {
      ...failed,
      capture: { request: { method: 'PUT', url: 'https://acct.blob.core.windows.net/c/blob.json', headers: {} } },
    };
    expect(originKind(captured, history)).toBeUndefined();
  });

  it('reads a logged code that is also an object key (`constructor`) as an unknown code, without throwing', () => {
    const failed = observed(
      {
        ms: 0,
        operation: 'PutBlob',
        status: 412,
        code: 'constructor',
        key: KEYS[0]!,
        client: undefined,
        ip: undefined,
        ua: undefined,
        identity: undefined,
        written: { etagSecond: undefined, modifiedSecond: undefined },
        conditions: undefined,
      },
      0,
    );
    expect(classifyOrigin(failed, []).origin.kind).toBe('unknown');
    expect(originKind(failed, [])).toBe('unknown');
  });
});
