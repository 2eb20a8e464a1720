/**
 * Operation families beyond the everyday writes: each is named, and judged by the conditional headers the REST spec
 * gives it (Azure/azure-rest-api-specs, blob-storage 2021-10-04 — Blob_Undelete, Blob_SetExpiry,
 * Blob_SetImmutabilityPolicy, Blob_DeleteImmutabilityPolicy, Blob_SetLegalHold, PageBlob_CopyIncremental,
 * AppendBlob_Seal) and the live-recorded SDK tests (Azure/azure-sdk-for-net AppendBlobClientTests.cs
 * SealAsync_AccessConditionsFailed; BlobBaseClientTests.cs StartCopyFromUriAsync_Error and
 * SyncCopyFromUriAsync_Error). An operation cnm cannot name has none of its conditions judged: rules from another
 * operation would read a failure that is not there.
 */
import { describe, expect, it } from 'vitest';
import { evaluateConditions } from '../../src/core/evaluate.js';
import type { BlobState, CapturedRequest } from '../../src/core/types.js';

const URL = 'https://acct.blob.core.windows.net/c/b';
const STALE = '"0x8DEADBEEF000000"';
const state = (over: Partial<BlobState> = {}): BlobState => ({
  exists: true,
  containerExists: true,
  etag: '"0x8DE2A1B2C3D4E5F"',
  lastModified: 'Tue, 24 Nov 2026 18:00:00 GMT',
  contentLength: 5,
  ...over,
});
const put = (query: string, headers: Record<string, string>, method = 'PUT'): CapturedRequest => ({
  method,
  url: `${URL}${query}`,
  headers,
});
const judged = (req: CapturedRequest, s = state()) => {
  const e = evaluateConditions(req, s);
  return { operation: e.operation.name, verdict: e.verdict, expected: e.expected };
};
const notTaken = (req: CapturedRequest, header: string) =>
  evaluateConditions(req, state()).conditions.find((c) => c.header === header)?.explanation;

describe('operations whose REST spec takes no conditional header', () => {
  it.each([
    ['?comp=undelete', 'UndeleteBlob', 'PUT'],
    ['?comp=expiry', 'SetBlobExpiry', 'PUT'],
    ['?comp=legalhold', 'SetLegalHold', 'PUT'],
    ['?comp=immutabilityPolicies', 'DeleteImmutabilityPolicy', 'DELETE'],
  ])('%s (%s): a stale If-Match is not evaluated, and nothing fails', (query, name, method) => {
    const req = put(query, { 'if-match': STALE }, method);
    expect(judged(req)).toEqual({ operation: name, verdict: 'would-succeed', expected: { status: 200 } });
    expect(notTaken(req, 'if-match')).toMatch(new RegExp(`^${name} does not take if-match`));
  });

  it('Undelete Blob of a blob that reads as missing: undecided (a soft-deleted blob reads as missing), not 404', () => {
    const e = evaluateConditions(put('?comp=undelete', {}), state({ exists: false }));
    expect(e.verdict).toBe('undecided');
    expect(e.undecided).toEqual([expect.stringMatching(/^existence: cnm cannot see soft-deleted blobs/)]);
  });
});

describe('operations that take some conditions', () => {
  it('Set Immutability Policy takes If-Unmodified-Since alone', () => {
    const old = 'Mon, 23 Nov 2026 18:00:00 GMT';
    expect(judged(put('?comp=immutabilityPolicies', { 'if-unmodified-since': old }))).toEqual({
      operation: 'SetImmutabilityPolicy',
      verdict: 'would-fail',
      expected: { status: 412, errorCode: 'ConditionNotMet' },
    });
    expect(judged(put('?comp=immutabilityPolicies', { 'if-match': STALE })).verdict).toBe('would-succeed');
  });

  it('Incremental Copy Blob takes the destination conditions', () => {
    const req = put('?comp=incrementalcopy', { 'if-match': STALE, 'x-ms-copy-source': `${URL}?snapshot=s` });
    // PageBlob_CopyIncremental answers 202 when it starts.
    expect(judged(put('?comp=incrementalcopy', { 'x-ms-copy-source': `${URL}?snapshot=s` })).expected).toEqual({
      status: 202,
    });
    expect(judged(req)).toEqual({
      operation: 'IncrementalCopyBlob',
      verdict: 'would-fail',
      expected: { status: 412, errorCode: 'ConditionNotMet' },
    });
  });

  it('Seal Blob takes the append position (not the max size)', () => {
    expect(judged(put('?comp=seal', { 'x-ms-blob-condition-appendpos': '1' }))).toEqual({
      operation: 'SealBlob',
      verdict: 'would-fail',
      expected: { status: 412, errorCode: 'AppendPositionConditionNotMet' },
    });
    expect(judged(put('?comp=seal', { 'x-ms-blob-condition-appendpos': '5' })).verdict).toBe('would-succeed');
    const maxSize = put('?comp=seal', { 'x-ms-blob-condition-maxsize': '1' });
    expect(judged(maxSize).verdict).toBe('would-succeed');
    expect(notTaken(maxSize, 'x-ms-blob-condition-maxsize')).toMatch(/^SealBlob does not take/);
  });
});

describe('a copy from a source that does not exist', () => {
  const missingSource = state({ source: { exists: false } });
  it('Copy Blob answers 404 BlobNotFound; Copy Blob From URL 404 CannotVerifyCopySource', () => {
    const source = { 'x-ms-copy-source': `${URL}-source` };
    expect(judged(put('', source), missingSource).expected).toEqual({ status: 404, errorCode: 'BlobNotFound' });
    expect(judged(put('', { ...source, 'x-ms-requires-sync': 'true' }), missingSource).expected).toEqual({
      status: 404,
      errorCode: 'CannotVerifyCopySource',
    });
  });
});

describe('an operation cnm cannot name', () => {
  it.each([
    ['PUT', '?comp=frobnicate'],
    ['POST', '?comp=frobnicate'],
    ['PUT', '?restype=container&comp=undelete'],
  ])('%s %s: undecided, none of its conditions judged, the headers named', (method, query) => {
    const e = evaluateConditions(put(query, { 'if-match': STALE, 'x-ms-lease-id': 'x' }, method), state());
    expect(e.verdict).toBe('undecided');
    expect(e.conditions).toEqual([]);
    expect(e.notes.join(' ')).toMatch(/cnm does not know the operation .* \(if-match, x-ms-lease-id\)/);
  });
});

describe('Abort Copy Blob and the destination lease', () => {
  const abort = (headers: Record<string, string> = {}) =>
    put('?comp=copy&copyid=0c4e6f6a-0000-0000-0000-000000000000', { 'x-ms-copy-action': 'abort', ...headers });
  const leased = (duration: 'infinite' | 'fixed') =>
    state({ lease: { state: 'leased', status: 'locked', duration, id: '11111111-1111-1111-1111-111111111111' } });
  it('needs the lease id on an infinite lease, not on a fixed one; a wrong id fails either way', () => {
    expect(judged(abort(), leased('infinite'))).toEqual({
      operation: 'AbortCopyBlob',
      verdict: 'would-fail',
      expected: { status: 412, errorCode: 'LeaseIdMissing' },
    });
    // Blob_AbortCopyFromURL answers 204 (the REST spec's response).
    expect(judged(abort(), leased('fixed'))).toMatchObject({ verdict: 'would-succeed', expected: { status: 204 } });
    const wrong = abort({ 'x-ms-lease-id': '22222222-2222-2222-2222-222222222222' });
    expect(judged(wrong, leased('fixed')).expected).toEqual({
      status: 412,
      errorCode: 'LeaseIdMismatchWithBlobOperation',
    });
  });
});
