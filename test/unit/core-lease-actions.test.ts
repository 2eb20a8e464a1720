/**
 * Every cell of Microsoft's lease outcome tables, one test each:
 * "Outcomes of lease operations on blobs by lease state" (learn.microsoft.com/rest/api/storageservices/lease-blob)
 * and "… on containers by lease state" (learn.microsoft.com/rest/api/storageservices/lease-container). The error
 * codes are the ones Azure/azure-storage-net's LeaseTests.cs (Blob/Container{Acquire,Renew,Change,Release,Break}
 * LeaseStateTests, run against live Azure) expects; cells it does not cover are marked unconfirmed in the report.
 * The expectations are written out here, not read from the engine's table, so a wrong cell fails.
 */
import { describe, expect, it } from 'vitest';
import { evaluateConditions } from '../../src/core/evaluate.js';
import type { BlobState, LeaseState } from '../../src/core/types.js';

const A = '11111111-2222-3333-4444-555555555555';
const B = '99999999-2222-3333-4444-555555555555';
const X = '77777777-2222-3333-4444-555555555555';
const BLOB = 'https://acct.blob.core.windows.net/c/b?comp=lease';
const CONTAINER = 'https://acct.blob.core.windows.net/c?restype=container&comp=lease';

type Action = 'acquire' | 'renew' | 'change' | 'release' | 'break';
type Id = 'A' | 'B' | 'none';
type Expect = number | string;

function state(lease: LeaseState, kind: 'blob' | 'container'): BlobState {
  return {
    kind,
    exists: true,
    etag: '"0x8DC0000000000A"',
    lastModified: '2026-11-24T18:00:00.000Z',
    lease: {
      state: lease,
      status: lease === 'leased' || lease === 'breaking' ? 'locked' : 'unlocked',
      ...(lease === 'leased' ? { duration: 'fixed' as const } : {}),
      // The id the lease has or had; an available blob has none.
      ...(lease === 'available' ? {} : { id: A }),
    },
  };
}

function headers(action: Action, id: Id): Record<string, string> {
  const value = id === 'A' ? A : id === 'B' ? B : undefined;
  const h: Record<string, string> = { 'x-ms-lease-action': action };
  if (action === 'acquire') {
    h['x-ms-lease-duration'] = '30';
    if (value) h['x-ms-proposed-lease-id'] = value;
  } else if (action !== 'break') {
    h['x-ms-lease-id'] = value ?? B;
    if (action === 'change') h['x-ms-proposed-lease-id'] = X;
  }
  return h;
}

const STATES: LeaseState[] = ['available', 'leased', 'expired', 'breaking', 'broken'];
const MISMATCH = 'LeaseIdMismatchWithLeaseOperation';
const NOT_PRESENT = 'LeaseNotPresentWithLeaseOperation';

/** [action, id, outcome per state in STATES order]: a number is the success status, a string the 409 code. */
const TABLE: [Action, Id, Expect[]][] = [
  // LeaseTests BlobAcquireLeaseStateTests: leased → LeaseAlreadyPresent; breaking same id →
  // LeaseIsBreakingAndCannotBeAcquired, other → LeaseAlreadyPresent; broken/released → success.
  ['acquire', 'A', [201, 201, 201, 'LeaseIsBreakingAndCannotBeAcquired', 201]],
  ['acquire', 'B', [201, 'LeaseAlreadyPresent', 201, 'LeaseAlreadyPresent', 201]],
  ['acquire', 'none', [201, 'LeaseAlreadyPresent', 201, 'LeaseAlreadyPresent', 201]],
  // BlobRenewLeaseStateTests: available → mismatch; expired → renews; breaking/broken same id → broken code.
  ['renew', 'A', [MISMATCH, 200, 200, 'LeaseIsBrokenAndCannotBeRenewed', 'LeaseIsBrokenAndCannotBeRenewed']],
  ['renew', 'B', [MISMATCH, MISMATCH, MISMATCH, MISMATCH, MISMATCH]],
  // BlobChangeLeaseStateTests: available/broken → not present; breaking → cannot be changed / mismatch.
  ['change', 'A', [NOT_PRESENT, 200, NOT_PRESENT, 'LeaseIsBreakingAndCannotBeChanged', NOT_PRESENT]],
  ['change', 'B', [NOT_PRESENT, MISMATCH, NOT_PRESENT, MISMATCH, NOT_PRESENT]],
  // BlobReleaseLeaseStateTests: available → mismatch; the right id releases from every other state.
  ['release', 'A', [MISMATCH, 200, 200, 200, 200]],
  ['release', 'B', [MISMATCH, MISMATCH, MISMATCH, MISMATCH, MISMATCH]],
  // BlobBreakLeaseStateTests: available/released → not present; breaking and broken break again.
  ['break', 'none', [NOT_PRESENT, 202, 202, 202, 202]],
];

const CELLS = TABLE.flatMap(([action, id, outcomes]) =>
  STATES.map((s, i) => ({ action, id, state: s, expected: outcomes[i]! })),
);

describe.each([
  ['blob', BLOB],
  ['container', CONTAINER],
] as const)('%s lease outcome table (learn.microsoft.com/rest/api/storageservices/lease-%s)', (kind, url) => {
  it.each(CELLS)('$action with id $id on a $state lease → $expected', ({ action, id, state: s, expected }) => {
    const ev = evaluateConditions({ method: 'PUT', url, headers: headers(action, id) }, state(s, kind));
    if (typeof expected === 'number') {
      expect(ev.verdict).toBe('would-succeed');
      expect(ev.expected).toEqual({ status: expected });
    } else {
      expect(ev.verdict).toBe('would-fail');
      expect(ev.expected).toEqual({ status: 409, errorCode: expected });
      expect(ev.cause?.code).toBe('lease-state-conflict');
      expect(ev.fix[0]).toMatch(/acquire|wait|lease/i);
    }
  });
});

describe('lease actions: what the tables leave to the id, and the request headers', () => {
  const leasedNoId: BlobState = { ...state('leased', 'blob'), lease: { state: 'leased', status: 'locked' } };

  it('is undecided when the cell depends on an id Azure never reports', () => {
    const ev = evaluateConditions({ method: 'PUT', url: BLOB, headers: headers('renew', 'A') }, leasedNoId);
    expect(ev.verdict).toBe('undecided');
    expect(ev.undecided?.[0]).toMatch(/never reports the lease id/);
  });

  it('renew on a broken lease fails whichever the id: would-fail, the other code noted', () => {
    const broken: BlobState = { ...state('broken', 'blob'), lease: { state: 'broken', status: 'unlocked' } };
    const ev = evaluateConditions({ method: 'PUT', url: BLOB, headers: headers('renew', 'A') }, broken);
    expect(ev.expected).toEqual({ status: 409, errorCode: 'LeaseIsBrokenAndCannotBeRenewed' });
    expect(ev.notes.join(' ')).toMatch(/not the lease's.*LeaseIdMismatchWithLeaseOperation/);
  });

  it('decides without the id where both ids give the same answer', () => {
    const available: BlobState = { ...state('available', 'blob') };
    const ev = evaluateConditions({ method: 'PUT', url: BLOB, headers: headers('release', 'A') }, available);
    expect(ev.expected).toEqual({ status: 409, errorCode: MISMATCH });
  });

  it('a change whose proposed id already is the lease id succeeds (idempotent change)', () => {
    const h = { 'x-ms-lease-action': 'change', 'x-ms-lease-id': B, 'x-ms-proposed-lease-id': A };
    expect(evaluateConditions({ method: 'PUT', url: BLOB, headers: h }, state('leased', 'blob')).expected).toEqual({
      status: 200,
    });
  });

  it.each([
    [{ 'x-ms-lease-action': 'acquire', 'x-ms-lease-duration': '10' }, 'x-ms-lease-duration', 'InvalidHeaderValue'],
    [{ 'x-ms-lease-action': 'acquire', 'x-ms-lease-duration': '61' }, 'x-ms-lease-duration', 'InvalidHeaderValue'],
    [{ 'x-ms-lease-action': 'acquire' }, 'x-ms-lease-duration', 'MissingRequiredHeader'],
    [
      { 'x-ms-lease-action': 'acquire', 'x-ms-lease-duration': '-1', 'x-ms-proposed-lease-id': 'not-a-guid' },
      'x-ms-proposed-lease-id',
      'InvalidHeaderValue',
    ],
    [
      { 'x-ms-lease-action': 'break', 'x-ms-lease-break-period': '61' },
      'x-ms-lease-break-period',
      'InvalidHeaderValue',
    ],
    [{ 'x-ms-lease-action': 'renew' }, 'x-ms-lease-id', 'MissingRequiredHeader'],
    [{ 'x-ms-lease-action': 'change', 'x-ms-lease-id': A }, 'x-ms-proposed-lease-id', 'MissingRequiredHeader'],
    [{ 'x-ms-lease-action': 'steal' }, 'x-ms-lease-action', 'InvalidHeaderValue'],
  ])('%o → 400 on %s', (h, header, code) => {
    const ev = evaluateConditions({ method: 'PUT', url: BLOB, headers: h }, state('leased', 'blob'));
    expect(ev.expected).toEqual({ status: 400, errorCode: code });
    expect(ev.cause?.header).toBe(header);
  });

  it('durations -1, 15 and 60 and break periods 0 and 60 are accepted', () => {
    for (const d of ['-1', '15', '60']) {
      const h = { 'x-ms-lease-action': 'acquire', 'x-ms-lease-duration': d };
      expect(evaluateConditions({ method: 'PUT', url: BLOB, headers: h }, state('available', 'blob')).verdict).toBe(
        'would-succeed',
      );
    }
    for (const p of ['0', '60']) {
      const h = { 'x-ms-lease-action': 'break', 'x-ms-lease-break-period': p };
      expect(evaluateConditions({ method: 'PUT', url: BLOB, headers: h }, state('leased', 'blob')).expected).toEqual({
        status: 202,
      });
    }
  });

  it('a failing If-Match is judged before the lease state (412, not 409)', () => {
    const h = { ...headers('acquire', 'B'), 'if-match': '"0x1"' };
    expect(evaluateConditions({ method: 'PUT', url: BLOB, headers: h }, state('leased', 'blob')).expected).toEqual({
      status: 412,
      errorCode: 'ConditionNotMet',
    });
  });

  it('a lease action on a missing blob is 404 BlobNotFound', () => {
    const ev = evaluateConditions({ method: 'PUT', url: BLOB, headers: headers('acquire', 'A') }, { exists: false });
    expect(ev.expected).toEqual({ status: 404, errorCode: 'BlobNotFound' });
  });
});
