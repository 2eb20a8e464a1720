import { describe, expect, it } from 'vitest';
import { explainCapture } from '../../src/core/explain-capture.js';
import type { BlobState, Capture } from '../../src/core/types.js';

const ETAG = '"0x8DC0000000000A"';
const OLD = '"0x8DC00000000009"';
const URL = 'https://acct.blob.core.windows.net/c/b';
const state = (over: Partial<BlobState> = {}): BlobState => ({
  exists: true,
  etag: ETAG,
  lastModified: '2026-11-24T18:00:00Z',
  lease: { state: 'available', status: 'unlocked' },
  ...over,
});

function capture(method: string, headers: Record<string, string>, status?: number, errorCode?: string): Capture {
  return {
    request: { method, url: URL, headers },
    ...(status ? { response: { status, headers: errorCode ? { 'x-ms-error-code': errorCode } : {} } } : {}),
  };
}

describe('explainCapture', () => {
  it.each([
    [
      'a 412 whose If-Match now matches → conditions-hold-now, would-succeed',
      capture('PUT', { 'if-match': ETAG }, 412, 'ConditionNotMet'),
      state(),
      'conditions-hold-now',
      'would-succeed',
    ],
    [
      'a 412 LeaseIdMissing whose lease is gone now → conditions-hold-now',
      capture('PUT', {}, 412, 'LeaseIdMissing'),
      state(),
      'conditions-hold-now',
      'would-succeed',
    ],
    [
      'a 409 BlobAlreadyExists on a blob deleted since → conditions-hold-now',
      capture('PUT', { 'if-none-match': '*' }, 409, 'BlobAlreadyExists'),
      { exists: false },
      'conditions-hold-now',
      'would-succeed',
    ],
    [
      'a 304 that would now be 200 → conditions-hold-now',
      capture('GET', { 'if-none-match': OLD }, 304, 'ConditionNotMet'),
      state(),
      'conditions-hold-now',
      'would-succeed',
    ],
    [
      'a ranged GET with a stale If-Match → sdk-injected-if-match',
      capture('GET', { 'if-match': OLD, 'x-ms-range': 'bytes=4194304-8388607' }, 412, 'ConditionNotMet'),
      state(),
      'sdk-injected-if-match',
      'would-fail',
    ],
    [
      'a Range GET with a stale If-Match → sdk-injected-if-match',
      capture('GET', { 'If-Match': OLD, Range: 'bytes=0-99' }, 412),
      state(),
      'sdk-injected-if-match',
      'would-fail',
    ],
    [
      'a plain PUT with a stale If-Match that still fails → stale-etag',
      capture('PUT', { 'if-match': OLD }, 412, 'ConditionNotMet'),
      state(),
      'stale-etag',
      'would-fail',
    ],
    [
      'a successful capture that still holds → no cause',
      capture('PUT', { 'if-match': ETAG }, 201),
      state(),
      undefined,
      'would-succeed',
    ],
    [
      'a capture without a response is evaluated as is',
      capture('PUT', { 'if-match': OLD }),
      state(),
      'stale-etag',
      'would-fail',
    ],
  ] as const)('%s', (_name, cap, st, cause, verdict) => {
    const ev = explainCapture(cap, st);
    expect(ev.cause?.code).toBe(cause);
    expect(ev.verdict).toBe(verdict);
    if (cause) expect(ev.fix.length).toBeGreaterThan(0);
  });

  it('keeps what the service answered in `recorded`', () => {
    const ev = explainCapture(capture('PUT', { 'if-match': ETAG }, 412, 'ConditionNotMet'), state());
    expect(ev.recorded).toEqual({ status: 412, errorCode: 'ConditionNotMet' });
    expect(ev.expected.status).toBe(201);
    expect(ev.cause?.explanation).toContain('412 ConditionNotMet');
  });

  it('notes when the answer now differs from the recorded one', () => {
    const ev = explainCapture(
      capture('PUT', { 'if-match': OLD }, 412, 'ConditionNotMet'),
      state({ lease: { state: 'leased', status: 'locked' } }),
    );
    expect(ev.expected.errorCode).toBe('LeaseIdMissing');
    expect(ev.notes.join(' ')).toContain('it would answer 412 LeaseIdMissing');
    const ev2 = explainCapture(capture('PUT', { 'if-none-match': '*' }, 412, 'ConditionNotMet'), state());
    expect(ev2.notes.join(' ')).toContain(
      'the service answered 412 ConditionNotMet then; against this state it would answer 409 BlobAlreadyExists',
    );
  });
});
