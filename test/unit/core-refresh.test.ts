import { describe, expect, it } from 'vitest';
import { evaluateConditions } from '../../src/core/evaluate.js';
import { refreshConditions } from '../../src/core/refresh.js';
import type { BlobState, CapturedRequest } from '../../src/core/types.js';

const ETAG = '"0x8DC0000000000A"';
const OLD = '"0x8DC00000000009"';
const URL = 'https://acct.blob.core.windows.net/c/b';
const LM = '2026-11-24T18:00:00.700Z';
const state = (over: Partial<BlobState> = {}): BlobState => ({
  exists: true,
  etag: ETAG,
  lastModified: LM,
  lease: { state: 'available', status: 'unlocked' },
  contentLength: 42,
  sequenceNumber: 7,
  ...over,
});
const req = (headers: Record<string, string>, query = '', method = 'PUT'): CapturedRequest => ({
  method,
  url: URL + query,
  headers,
});

describe('refreshConditions', () => {
  it.each([
    ['a stale If-Match becomes the current ETag', req({ 'If-Match': OLD }, '?comp=metadata'), 'if-match', ETAG],
    [
      'If-Unmodified-Since becomes Last-Modified (whole seconds)',
      req({ 'if-unmodified-since': 'Mon, 23 Nov 2026 00:00:00 GMT' }, '?comp=metadata'),
      'if-unmodified-since',
      'Tue, 24 Nov 2026 18:00:00 GMT',
    ],
    [
      'If-None-Match: * on an existing blob becomes If-Match: <current> (overwrite intent)',
      req({ 'if-none-match': '*' }),
      'if-match',
      ETAG,
    ],
    [
      'a stale append position becomes the current length',
      req({ 'x-ms-blob-condition-appendpos': '10' }, '?comp=appendblock'),
      'x-ms-blob-condition-appendpos',
      '42',
    ],
    [
      'a stale sequence-number-eq becomes the current number',
      req({ 'x-ms-if-sequence-number-eq': '3' }, '?comp=page'),
      'x-ms-if-sequence-number-eq',
      '7',
    ],
    [
      'x-ms-blob-if-match on Set Blob Tags is refreshed too',
      req({ 'x-ms-blob-if-match': OLD }, '?comp=tags'),
      'x-ms-blob-if-match',
      ETAG,
    ],
  ] as const)('%s, and the refreshed request holds', (_name, r, header, value) => {
    const out = refreshConditions(r, state());
    expect(out.request.headers[header]).toBe(value);
    expect(out.changes.some((c) => c.header === header)).toBe(true);
    expect(evaluateConditions(out.request, state()).verdict).toBe('would-succeed');
  });

  it('If-None-Match: * is removed when it becomes If-Match', () => {
    const out = refreshConditions(req({ 'if-none-match': '*' }), state());
    expect(out.request.headers['if-none-match']).toBeUndefined();
    expect(out.changes.map((c) => c.header)).toEqual(['if-none-match', 'if-match']);
  });

  it('If-Match on a blob that was deleted becomes If-None-Match: * for a create', () => {
    const out = refreshConditions(req({ 'if-match': OLD }), { exists: false });
    expect(out.request.headers).toEqual({ 'if-none-match': '*' });
    expect(evaluateConditions(out.request, { exists: false }).verdict).toBe('would-succeed');
  });

  it('refreshes the copy source from state.source', () => {
    const out = refreshConditions(
      req({ 'x-ms-copy-source': 'https://a/c/s', 'x-ms-source-if-match': OLD }),
      state({ source: state({ etag: '"0xS"' }) }),
    );
    expect(out.request.headers['x-ms-source-if-match']).toBe('"0xS"');
  });

  it('never invents a lease id, and says so', () => {
    const leased = state({ lease: { state: 'leased', status: 'locked', duration: 'infinite' } });
    const out = refreshConditions(req({ 'if-match': OLD }, '?comp=metadata'), leased);
    expect(out.request.headers['x-ms-lease-id']).toBeUndefined();
    expect(out.notes.join(' ')).toContain('never reports');
    const withId = refreshConditions(req({ 'x-ms-lease-id': 'abc' }, '?comp=metadata'), leased);
    expect(withId.request.headers['x-ms-lease-id']).toBe('abc');
    expect(withId.notes.join(' ')).toContain('cannot know');
  });

  it('leaves If-Modified-Since and If-None-Match <etag> alone (refreshing would make them fail)', () => {
    const out = refreshConditions(
      req({ 'if-none-match': OLD, 'if-modified-since': 'Mon, 23 Nov 2026 00:00:00 GMT' }),
      state(),
    );
    expect(out.changes).toEqual([]);
    expect(out.notes).toHaveLength(2);
  });

  it('does not change the input request', () => {
    const r = req({ 'if-match': OLD });
    refreshConditions(r, state());
    expect(r.headers).toEqual({ 'if-match': OLD });
  });
});
