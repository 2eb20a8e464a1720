/**
 * The origin classifier, pure: what made a condition false, from the blob's requests. The real races are in
 * test/integration/diagnose-origin-stories.test.ts; these are the cases a race on Azurite cannot stage (another
 * caller's identity from Entra fields, lease changes, an unanswered attempt, missing log lines, contention paths).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareCallers } from '../../src/core/diagnose/caller.js';
import { fromLogEntry } from '../../src/core/diagnose/observed.js';
import { classifyOrigin } from '../../src/core/diagnose/origin.js';
import type { Observed, OriginKind } from '../../src/core/diagnose/types.js';
import { parseAnalyticsLine } from '../../src/parse/storage-analytics-log.js';
import { parseResourceLogLine } from '../../src/parse/resource-log.js';

const KEY = '/acct/c/blob.json';
const T0 = Date.UTC(2026, 10, 24, 18, 0, 0);
let order = 0;

/** A request as a capture-format source records it (headers known). */
function req(
  ms: number,
  operation: string,
  status: number,
  o: {
    id?: string;
    client?: string;
    ua?: string;
    ip?: string;
    etag?: string;
    code?: string;
    headers?: Record<string, string>;
    response?: Record<string, string>;
  } = {},
): Observed {
  const time = new Date(T0 + ms).toISOString();
  return {
    time,
    order: order++,
    requestId: o.id,
    clientRequestId: o.client,
    operation,
    blobKey: KEY,
    status,
    errorCode: o.code,
    caller: o.ip,
    callerIp: o.ip,
    userAgent: o.ua,
    etag: o.etag,
    lastModified: o.etag ? new Date(Math.floor((T0 + ms) / 1000) * 1000).toISOString() : undefined,
    capture: {
      request: { method: 'PUT', url: `https://acct.blob.core.windows.net/c/blob.json`, headers: o.headers ?? {}, time },
      response: { status, headers: { ...(o.id ? { 'x-ms-request-id': o.id } : {}), ...(o.response ?? {}) } },
    },
    source: { kind: 'ndjson', file: 'captures.ndjson', line: order },
  };
}

/** The same request as a service log records it: no headers, If-Match rendered as a date. */
function logged(o: Observed, ifMatchDate?: string): Observed {
  const { capture: _c, ...rest } = o;
  return {
    ...rest,
    ...(ifMatchDate ? { conditionsUsed: { ifMatch: ifMatchDate } } : {}),
    source: { kind: 'analytics-log' },
  };
}

const A = { ua: 'worker-a/1.0 sdk', ip: '10.0.0.1' };
const B = { ua: 'worker-b/1.0 sdk', ip: '10.0.0.2' };

describe('lease origins', () => {
  it('a Change of the lease id, then a write with the old id → lease-changed, certain when the ids are recorded', () => {
    const acquire = req(-20_000, 'AcquireBlobLease', 201, {
      ...A,
      id: 'acq',
      headers: { 'x-ms-lease-duration': '-1', 'x-ms-proposed-lease-id': 'L1' },
      response: { 'x-ms-lease-id': 'L1' },
    });
    const change = req(-5_000, 'ChangeBlobLease', 200, {
      ...B,
      id: 'chg',
      headers: { 'x-ms-lease-id': 'L1', 'x-ms-proposed-lease-id': 'L2' },
      response: { 'x-ms-lease-id': 'L2' },
    });
    const failed = req(0, 'PutBlob', 412, {
      ...A,
      id: 'f',
      code: 'LeaseIdMismatchWithBlobOperation',
      headers: { 'x-ms-lease-id': 'L1' },
    });
    const { origin, leases } = classifyOrigin(failed, [acquire, change]);
    expect(origin).toMatchObject({ kind: 'lease-changed', confidence: 'certain', by: { requestId: 'chg' } });
    expect(leases).toMatchObject([
      { action: 'acquire', leaseId: 'L1', duration: -1 },
      { action: 'change', previousLeaseId: 'L1', leaseId: 'L2' },
    ]);
  });

  it('LeaseIdMissing while another caller holds an infinite lease → other-writer, certain, by its Acquire', () => {
    const acquire = req(-3_000, 'AcquireBlobLease', 201, {
      ...B,
      id: 'acq',
      headers: { 'x-ms-lease-duration': '-1' },
      response: { 'x-ms-lease-id': 'L9' },
    });
    const failed = req(0, 'PutBlob', 412, { ...A, id: 'f', code: 'LeaseIdMissing' });
    const { origin } = classifyOrigin(failed, [acquire]);
    expect(origin).toMatchObject({
      kind: 'other-writer',
      confidence: 'certain',
      by: { requestId: 'acq', userAgent: B.ua },
    });
    expect(origin.summary).toMatch(/leased by AcquireBlobLease .* worker-b\/1\.0 .* sent no lease id/);
  });

  it('a lease acquired 3 s before a write that found none, no Break or Release in the logs → unknown, saying what is missing', () => {
    const acquire = logged(req(-3_000, 'AcquireBlobLease', 201, { ...A, id: 'acq' }));
    const failed = logged(req(0, 'PutBlob', 412, { ...A, id: 'f', code: 'LeaseNotPresentWithBlobOperation' }));
    const { origin } = classifyOrigin(failed, [acquire]);
    expect(origin.kind).toBe('unknown');
    expect(origin.summary).toMatch(/too soon to expire.*Break or Release of it is missing/);
    expect(origin.wouldDecide).toMatch(/StorageRead and StorageWrite/);
  });

  it('a renew keeps a 15 s lease alive: acquired 20 s before but renewed 5 s before → not expired', () => {
    const acquire = req(-20_000, 'AcquireBlobLease', 201, {
      ...A,
      headers: { 'x-ms-lease-duration': '15' },
      response: { 'x-ms-lease-id': 'L1' },
    });
    const renew = req(-5_000, 'RenewBlobLease', 200, { ...A, headers: { 'x-ms-lease-id': 'L1' } });
    const brk = req(-1_000, 'BreakBlobLease', 202, { ...B, id: 'brk', headers: { 'x-ms-lease-break-period': '0' } });
    const failed = req(0, 'PutBlob', 412, {
      ...A,
      code: 'LeaseNotPresentWithBlobOperation',
      headers: { 'x-ms-lease-id': 'L1' },
    });
    expect(classifyOrigin(failed, [acquire, renew, brk]).origin).toMatchObject({
      kind: 'lease-broken',
      by: { requestId: 'brk' },
    });
    const lapsed = req(25_000, 'PutBlob', 412, {
      ...A,
      code: 'LeaseNotPresentWithBlobOperation',
      headers: { 'x-ms-lease-id': 'L1' },
    });
    expect(classifyOrigin(lapsed, [acquire, renew]).origin).toMatchObject({
      kind: 'lease-expired',
      confidence: 'certain',
    });
  });
});

describe('ETag origins', () => {
  it('an attempt of the same request got no response and nothing else changed the blob → own-earlier-attempt, likely', () => {
    const first = req(-400, 'PutBlob', 0, { ...A, client: 'c1', headers: { 'if-match': '"E0"' } });
    first.capture!.response = undefined;
    const failed = req(0, 'PutBlob', 412, {
      ...A,
      id: 'f',
      client: 'c1',
      code: 'ConditionNotMet',
      headers: { 'if-match': '"E0"' },
    });
    const { origin } = classifyOrigin(failed, [first]);
    expect(origin).toMatchObject({
      kind: 'own-earlier-attempt',
      confidence: 'likely',
      by: { clientRequestId: 'c1', status: 0 },
    });
    expect(origin.wouldDecide).toMatch(/shows whether it was applied/);
  });

  it('no client request ids: the same write with the same date condition from the same caller 2 s earlier → own-earlier-attempt, likely', () => {
    const made = logged(req(-60_000, 'PutBlob', 201, { ...B, etag: '"E0"' }));
    const first = logged(
      req(-2_000, 'PutBlob', 201, { ...A, id: 'w1', etag: '"E1"' }),
      'Tuesday, 24-Nov-26 17:59:00 GMT',
    );
    const failed = logged(
      req(0, 'PutBlob', 412, { ...A, id: 'f', code: 'ConditionNotMet' }),
      'Tuesday, 24-Nov-26 17:59:00 GMT',
    );
    const { origin } = classifyOrigin(failed, [made, first]);
    expect(origin).toMatchObject({ kind: 'own-earlier-attempt', confidence: 'likely', by: { requestId: 'w1' } });
    expect(origin.wouldDecide).toMatch(/x-ms-client-request-id/);
  });

  it('If-None-Match: * after the same request already created the blob (a lost create response) → own-earlier-attempt, certain', () => {
    const first = req(-300, 'PutBlob', 201, {
      ...A,
      id: 'w1',
      client: 'c1',
      etag: '"E1"',
      headers: { 'if-none-match': '*' },
    });
    const failed = req(0, 'PutBlob', 409, {
      ...A,
      id: 'f',
      client: 'c1',
      code: 'BlobAlreadyExists',
      headers: { 'if-none-match': '*' },
    });
    expect(classifyOrigin(failed, [first]).origin).toMatchObject({
      kind: 'own-earlier-attempt',
      confidence: 'certain',
    });
  });

  it('If-None-Match: * on a blob another caller created → other-writer, certain, by the create', () => {
    const made = req(-300, 'PutBlob', 201, { ...B, id: 'mk', etag: '"E1"' });
    const failed = req(0, 'PutBlob', 409, {
      ...A,
      id: 'f',
      code: 'BlobAlreadyExists',
      headers: { 'if-none-match': '*' },
    });
    expect(classifyOrigin(failed, [made]).origin).toMatchObject({
      kind: 'other-writer',
      confidence: 'certain',
      by: { requestId: 'mk' },
    });
  });

  it('a logged date whose only write is still the current one → unknown: a write is missing from the logs', () => {
    const made = logged(req(-2_000, 'PutBlob', 201, { ...B, etag: '"E1"' }));
    const failed = logged(req(0, 'PutBlob', 412, { ...A, code: 'ConditionNotMet' }), 'Tuesday, 24-Nov-26 17:59:58 GMT');
    const { origin } = classifyOrigin(failed, [made]);
    expect(origin.kind).toBe('unknown');
    expect(origin.summary).toMatch(/still current at the failure/);
  });

  it('a stale If-Match and no write in the sources → unknown, naming the logs that would show the writer', () => {
    const failed = req(0, 'PutBlob', 412, { ...A, code: 'ConditionNotMet', headers: { 'if-match': '"E0"' } });
    const { origin } = classifyOrigin(failed, []);
    expect(origin.kind).toBe('unknown');
    expect(origin.wouldDecide).toMatch(/StorageWrite/);
  });

  it('a 304 on If-None-Match: nothing else involved', () => {
    const failed = req(0, 'GetBlob', 304, { ...A, code: 'ConditionNotMet', headers: { 'if-none-match': '"E0"' } });
    expect(classifyOrigin(failed, []).origin.summary).toMatch(/no other request made it fail/);
  });
});

describe('expected contention wraps the origin', () => {
  it('an Event Hubs ownership claim lost to another processor → expected-contention, naming it', () => {
    const key = '/acct/checkpoints/ns.servicebus.windows.net/hub/$default/ownership/3';
    const other = { ...req(-200, 'SetBlobMetadata', 200, { ...B, id: 'claim', etag: '"E1"' }), blobKey: key };
    const failed = {
      ...req(0, 'SetBlobMetadata', 412, { ...A, id: 'f', code: 'ConditionNotMet', headers: { 'if-match': '"E0"' } }),
      blobKey: key,
    };
    const read = { ...req(-500, 'GetBlobProperties', 200, { ...A, etag: '"E0"' }), blobKey: key };
    const { origin } = classifyOrigin(failed, [read, other]);
    expect(origin).toMatchObject({ kind: 'expected-contention', by: { requestId: 'claim' } });
    expect(origin.summary).toMatch(/^Event Hubs partition ownership claim/);
  });

  it('a Terraform state lock another run holds (409 LeaseAlreadyPresent) → expected-contention', () => {
    const key = '/acct/tfstate/prod.terraform.tfstate';
    const lock = {
      ...req(-60_000, 'AcquireBlobLease', 201, { ...B, id: 'lock', headers: { 'x-ms-lease-duration': '-1' } }),
      blobKey: key,
    };
    const failed = { ...req(0, 'AcquireBlobLease', 409, { ...A, id: 'f', code: 'LeaseAlreadyPresent' }), blobKey: key };
    expect(classifyOrigin(failed, [lock]).origin).toMatchObject({
      kind: 'expected-contention',
      by: { requestId: 'lock' },
    });
  });
});

describe('who: the identity service logs record', () => {
  const v2 =
    '2.0;2026-11-24T17:59:59.0000000Z;PutBlob;Success;201;5;5;bearer;acct;acct;blob;"https://acct.blob.core.windows.net/c/blob.json";"/acct/c/blob.json";aaaa1111-201e-0137-5c45-cdd293000000;0;10.0.0.9:443;2025-01-05;1;1;1;1;1;;;"&quot;0x8DECE5F6A1B2C30&quot;";Tuesday, 24-Nov-26 17:59:59 GMT;;"deployer/3.0";;"11111111-0000-4000-8000-000000000001";e5981635-dcf0-4279-ab7b-ca1cbdf4a5c7;72f988bf-86f1-41af-91ab-2d7cd011db47;691458b9-1327-4635-9f55-ed83a7f1b41c;https://storage.azure.com/;https://sts.windows.net/x/;deploy@contoso.com;;';
  const failedLine =
    '2.0;2026-11-24T18:00:00.0000000Z;PutBlob;ConditionNotMet;412;5;5;authenticated;acct;acct;blob;"https://acct.blob.core.windows.net/c/blob.json";"/acct/c/blob.json";bbbb2222-201e-0137-5c45-cdd293000000;0;10.0.0.4:443;2025-01-05;1;1;1;1;1;;;;;"If-Match=Tuesday, 24-Nov-26 17:58:00 GMT";"worker/1.0";;"22222222-0000-4000-8000-000000000002";;;;;;;;';
  const first =
    '2.0;2026-11-24T17:58:00.0000000Z;PutBlob;Success;201;5;5;authenticated;acct;acct;blob;"https://acct.blob.core.windows.net/c/blob.json";"/acct/c/blob.json";cccc3333-201e-0137-5c45-cdd293000000;0;10.0.0.4:443;2025-01-05;1;1;1;1;1;;;"&quot;0x8DECE5F6A1B2C20&quot;";Tuesday, 24-Nov-26 17:58:00 GMT;;"worker/1.0";;"33333333-0000-4000-8000-000000000003";;;;;;;;';
  const parse = (l: string, i: number) => {
    const r = parseAnalyticsLine(l, i);
    if (!r.ok) throw new Error(r.issue.message);
    return fromLogEntry(r.value, i);
  };

  it('$logs 2.0: the other writer is named by its UPN, object id and app id', () => {
    const { origin } = classifyOrigin(parse(failedLine, 3), [parse(first, 1), parse(v2, 2)]);
    expect(origin).toMatchObject({ kind: 'other-writer', confidence: 'likely' });
    expect(origin.by).toMatchObject({
      requestId: 'aaaa1111-201e-0137-5c45-cdd293000000',
      identity:
        'deploy@contoso.com, object id e5981635-dcf0-4279-ab7b-ca1cbdf4a5c7, app id 691458b9-1327-4635-9f55-ed83a7f1b41c',
      userAgent: 'deployer/3.0',
    });
  });

  it('resource logs: requester UPN, else the SAS hash that signed it', () => {
    const rec = (identity: object) =>
      JSON.stringify({ time: '2026-11-24T18:00:00Z', operationName: 'PutBlob', statusCode: 201, identity });
    const upn = parseResourceLogLine(rec({ type: 'OAuth', requester: { upn: 'a@contoso.com', objectId: 'o1' } }));
    const sas = parseResourceLogLine(rec({ type: 'SAS', tokenHash: 'key1(AB),SasSignature(CD)' }));
    expect(upn.ok && upn.value.identity).toBe('a@contoso.com, object id o1');
    expect(sas.ok && sas.value.identity).toBe('SAS key1(AB),SasSignature(CD)');
  });

  it('callers: a principal tells callers apart; a shared key never makes two of them the same', () => {
    const keyA = {
      ...req(0, 'PutBlob', 201),
      identity: 'account key (acct)',
      userAgent: undefined,
      callerIp: undefined,
    };
    const keyB = { ...keyA };
    expect(compareCallers(keyA, keyB).match).toBe('unknown');
    expect(compareCallers({ ...keyA, identity: 'a@x.com' }, { ...keyB, identity: 'b@x.com' }).match).toBe('different');
    expect(compareCallers({ ...keyA, callerIp: '10.0.0.1:5' }, { ...keyB, callerIp: '10.0.0.1:9' }).match).toBe('same');
  });
});

const KINDS: OriginKind[] = [
  'other-writer',
  'own-earlier-attempt',
  'reused-etag',
  'lease-expired',
  'lease-broken',
  'lease-released',
  'lease-changed',
  'expected-contention',
  'unknown',
];
const OPS = [
  'PutBlob',
  'SetBlobMetadata',
  'GetBlobProperties',
  'AcquireBlobLease',
  'RenewBlobLease',
  'BreakBlobLease',
  'ReleaseBlobLease',
  'ChangeBlobLease',
];
const CODES = [
  'ConditionNotMet',
  'LeaseNotPresentWithBlobOperation',
  'LeaseIdMismatchWithBlobOperation',
  'LeaseIdMissing',
  'LeaseAlreadyPresent',
  'BlobAlreadyExists',
  undefined,
];

describe('the classifier on any history', () => {
  it('always answers: a known kind, `by` one of the requests it was given, evidence, and `certain` never for unknown', () => {
    const event = fc.record({
      ms: fc.integer({ min: -120_000, max: 0 }),
      op: fc.constantFrom(...OPS),
      ok: fc.boolean(),
      who: fc.constantFrom(A, B, {}),
      etag: fc.constantFrom('"E0"', '"E1"', '"E2"'),
      client: fc.constantFrom('c1', 'c2', undefined),
      lease: fc.constantFrom('L1', 'L2', undefined),
      logged: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(event, { maxLength: 25 }),
        fc.constantFrom(...CODES),
        fc.constantFrom('"E0"', '"E1"'),
        fc.boolean(),
        (h, code, sent, isLogged) => {
          const others = h.map((e, i) => {
            const o = req(e.ms, e.op, e.ok ? 201 : 412, {
              ...e.who,
              id: `r${i}`,
              client: e.client,
              etag: e.ok ? e.etag : undefined,
              headers: e.lease ? { 'x-ms-lease-id': e.lease, 'x-ms-lease-duration': '15' } : {},
              response: e.lease ? { 'x-ms-lease-id': e.lease } : {},
            });
            return e.logged ? logged(o, 'Tuesday, 24-Nov-26 17:59:30 GMT') : o;
          });
          const f = req(1, 'PutBlob', code === 'BlobAlreadyExists' ? 409 : 412, {
            ...A,
            id: 'target',
            client: 'c1',
            code,
            headers: { 'if-match': sent, 'x-ms-lease-id': 'L1' },
          });
          const failed = isLogged ? logged(f, 'Tuesday, 24-Nov-26 17:59:30 GMT') : f;
          const { origin, leases } = classifyOrigin(failed, others);
          expect(KINDS).toContain(origin.kind);
          expect(origin.evidence.length).toBeGreaterThan(0);
          if (origin.by) expect(others.map((o) => o.requestId)).toContain(origin.by.requestId);
          if (origin.kind === 'unknown' && origin.confidence === 'certain')
            expect(origin.summary).toMatch(/no other request/);
          for (const a of origin.alternatives ?? []) expect(KINDS).toContain(a.kind);
          expect(leases.every((l) => ['acquire', 'renew', 'change', 'release', 'break'].includes(l.action))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
