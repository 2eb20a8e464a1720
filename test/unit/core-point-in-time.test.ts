/**
 * Snapshots and versions (judged against themselves, read-only), From-URL destinations (TargetConditionNotMet),
 * Get Block List's x-ms-if-tags, Get Page Ranges' If-Match and If-None-Match.
 */
import { describe, expect, it } from 'vitest';
import { causeFromResponse } from '../../src/core/cause-from-response.js';
import { parseBlobRef } from '../../src/core/blob-ref.js';
import { evaluateConditions } from '../../src/core/evaluate.js';
import { explainCapture } from '../../src/core/explain-capture.js';
import type { BlobState } from '../../src/core/types.js';

const BASE = 'https://acct.blob.core.windows.net/cont/b';
const SNAP = '2026-11-24T18:00:00.0000000Z';
const SNAP_ETAG = '"0x8DC00000000005"';

const snapshotState: BlobState = {
  exists: true,
  etag: SNAP_ETAG,
  lastModified: '2026-11-24T17:00:00.000Z',
  snapshot: SNAP,
  tags: { env: 'prod' },
};

describe('snapshots and versions', () => {
  it('a blob reference keeps ?snapshot= and ?versionid= (and they are not a SAS)', () => {
    const s = parseBlobRef(`${BASE}?snapshot=${encodeURIComponent(SNAP)}`);
    expect(s.ok && s.value.snapshot).toBe(SNAP);
    expect(s.ok && s.value.sas).toBeUndefined();
    const v = parseBlobRef(`${BASE}?versionId=2026-11-24T18:00:00.1234567Z`);
    expect(v.ok && v.value.versionId).toBe('2026-11-24T18:00:00.1234567Z');
  });

  it("a read of a snapshot with the snapshot's own ETag holds (judged against the snapshot)", () => {
    const ev = evaluateConditions(
      { method: 'GET', url: `${BASE}?snapshot=${SNAP}`, headers: { 'if-match': SNAP_ETAG } },
      snapshotState,
    );
    expect(ev.verdict).toBe('would-succeed');
    expect(ev.expected.status).toBe(200);
  });

  it.each([
    ['PUT', '&comp=metadata', 'SetBlobMetadata'],
    ['PUT', '', 'PutBlob'],
    ['PUT', '&comp=properties', 'SetBlobProperties'],
  ])('%s%s on a snapshot → 400 snapshot-read-only', (method, query, op) => {
    const ev = evaluateConditions({ method, url: `${BASE}?snapshot=${SNAP}${query}`, headers: {} }, snapshotState);
    expect(ev.operation.name).toBe(op);
    expect(ev.expected.status).toBe(400);
    expect(ev.cause?.code).toBe('snapshot-read-only');
    expect(ev.notes.join(' ')).toMatch(/unconfirmed/);
  });

  it('a lease on a snapshot → 400, reported as a lease step that went wrong', () => {
    const headers = { 'x-ms-lease-action': 'acquire', 'x-ms-lease-duration': '-1' };
    const ev = evaluateConditions(
      { method: 'PUT', url: `${BASE}?snapshot=${SNAP}&comp=lease`, headers },
      snapshotState,
    );
    expect(ev.expected).toEqual({ status: 400, errorCode: 'InvalidOperation' });
    expect(ev.cause?.code).toBe('lease-state-conflict');
  });

  it.each([
    ['DELETE', ''],
    ['PUT', '&comp=tier'],
    ['GET', '&comp=tags'],
  ])('%s%s on a snapshot is allowed', (method, query) => {
    const headers: Record<string, string> = query === '&comp=tier' ? { 'x-ms-access-tier': 'Cool' } : {};
    const ev = evaluateConditions({ method, url: `${BASE}?snapshot=${SNAP}${query}`, headers }, snapshotState);
    expect(ev.verdict).toBe('would-succeed');
  });

  it('Set Blob Tags on a version is allowed, on a snapshot it is not', () => {
    const v = evaluateConditions({ method: 'PUT', url: `${BASE}?versionid=v1&comp=tags`, headers: {} }, snapshotState);
    expect(v.verdict).toBe('would-succeed');
    const s = evaluateConditions(
      { method: 'PUT', url: `${BASE}?snapshot=${SNAP}&comp=tags`, headers: {} },
      snapshotState,
    );
    expect(s.expected.status).toBe(400);
  });
});

describe('From-URL destinations', () => {
  const current: BlobState = { exists: true, etag: '"0x8DC0000000000A"', lastModified: '2026-11-24T18:00:00.000Z' };
  const source = 'https://acct.blob.core.windows.net/c/src';

  it('Put Blob From URL with a stale destination If-Match → 412 TargetConditionNotMet (target-condition)', () => {
    const headers = { 'x-ms-copy-source': source, 'x-ms-blob-type': 'BlockBlob', 'if-match': '"0x1"' };
    const ev = evaluateConditions({ method: 'PUT', url: BASE, headers }, current);
    expect(ev.operation.name).toBe('PutBlobFromURL');
    expect(ev.expected).toEqual({ status: 412, errorCode: 'TargetConditionNotMet' });
    expect(ev.cause?.code).toBe('target-condition');
  });

  it('a stale source condition stays SourceConditionNotMet', () => {
    const headers = { 'x-ms-copy-source': source, 'x-ms-blob-type': 'BlockBlob', 'x-ms-source-if-match': '"0x1"' };
    const ev = evaluateConditions({ method: 'PUT', url: BASE, headers }, { ...current, source: current });
    expect(ev.expected).toEqual({ status: 412, errorCode: 'SourceConditionNotMet' });
  });

  it('a recorded TargetConditionNotMet maps to target-condition', () => {
    expect(causeFromResponse(412, 'TargetConditionNotMet', { method: 'PUT', url: BASE, headers: {} })?.code).toBe(
      'target-condition',
    );
  });

  // Azure/azure-sdk-for-go blob client tests, recorded against live Azure: TestBlobStartCopyDestIfMatchFalse,
  // …DestIfNoneMatchFalse, …DestIfModifiedSinceFalse expect TargetConditionNotMet; …SourceIfNoneMatchFalse expects
  // SourceConditionNotMet.
  it.each([
    [{ 'if-match': '"0x1"' }],
    [{ 'if-none-match': '"0x8DC0000000000A"' }],
    [{ 'if-modified-since': 'Tue, 24 Nov 2026 18:00:10 GMT' }],
  ])('Copy Blob with a failing destination condition %o → 412 TargetConditionNotMet', (h) => {
    const headers = { 'x-ms-copy-source': source, ...h };
    const ev = evaluateConditions({ method: 'PUT', url: BASE, headers }, current);
    expect(ev.operation.name).toBe('CopyBlob');
    expect(ev.expected).toEqual({ status: 412, errorCode: 'TargetConditionNotMet' });
    expect(ev.cause?.code).toBe('target-condition');
  });

  it('Copy Blob with If-None-Match: * on an existing destination stays 409 BlobAlreadyExists', () => {
    const headers = { 'x-ms-copy-source': source, 'if-none-match': '*' };
    expect(evaluateConditions({ method: 'PUT', url: BASE, headers }, current).expected).toEqual({
      status: 409,
      errorCode: 'BlobAlreadyExists',
    });
  });
});

describe('Get Block List and Get Page Ranges', () => {
  const state: BlobState = {
    exists: true,
    etag: '"0x8DC0000000000A"',
    lastModified: '2026-11-24T18:00:00.000Z',
    tags: { env: 'dev' },
  };

  it('Get Block List judges x-ms-if-tags (the SDK sends it, the service evaluates it)', () => {
    const ev = evaluateConditions(
      { method: 'GET', url: `${BASE}?comp=blocklist`, headers: { 'x-ms-if-tags': `"env" = 'prod'` } },
      state,
    );
    expect(ev.expected).toEqual({ status: 412, errorCode: 'ConditionNotMet' });
    expect(ev.cause?.code).toBe('tags-condition');
  });

  it('Get Page Ranges with a matching If-None-Match → 304 (a GET)', () => {
    const ev = evaluateConditions(
      {
        method: 'GET',
        url: `${BASE}?comp=pagelist`,
        headers: { 'if-none-match': state.etag!, 'x-ms-range': 'bytes=0-511' },
      },
      state,
    );
    expect(ev.expected.status).toBe(304);
  });

  it("a stale If-Match on Get Page Ranges is the caller's, not sdk-injected-if-match", () => {
    const request = {
      method: 'GET',
      url: `${BASE}?comp=pagelist`,
      headers: { 'if-match': '"0x1"', 'x-ms-range': 'bytes=0-511' },
    };
    const ev = explainCapture({ request, response: { status: 412, headers: {} } }, state);
    expect(ev.cause?.code).toBe('stale-etag');
    expect(causeFromResponse(412, 'ConditionNotMet', request)?.code).toBe('stale-etag');
  });

  it('a ranged Get Blob with a stale If-Match stays sdk-injected-if-match', () => {
    const request = { method: 'GET', url: BASE, headers: { 'if-match': '"0x1"', 'x-ms-range': 'bytes=0-511' } };
    expect(explainCapture({ request, response: { status: 412, headers: {} } }, state).cause?.code).toBe(
      'sdk-injected-if-match',
    );
  });
});

describe('unquoted tag keys', () => {
  const state: BlobState = {
    exists: true,
    etag: '"0x1"',
    lastModified: '2026-11-24T18:00:00.000Z',
    tags: { tag1: 'a' },
  };

  it.each([
    [`tag1 = 'a'`, 'would-succeed'],
    [`tag1 = 'b'`, 'would-fail'],
  ])('%s is judged as if quoted, Azure’s answer marked unconfirmed', (expr, verdict) => {
    const ev = evaluateConditions({ method: 'GET', url: BASE, headers: { 'x-ms-if-tags': expr } }, state);
    expect(ev.verdict).toBe(verdict);
    expect(ev.notes.join(' ')).toMatch(/"tag1" is not in double quotes.*unconfirmed/);
  });
});
