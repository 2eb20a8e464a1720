import { describe, expect, it } from 'vitest';
import { judge } from '../../src/core/diagnose/judge.js';
import type { Observed } from '../../src/core/diagnose/types.js';

const url = 'https://acct.blob.core.windows.net/releases/manifest.json';
const etag = '"0x8DC0A1B2C3D4E5F"';

function failed(errorCode: string, headers: Record<string, string>): Observed {
  return {
    time: '2026-11-24T18:00:00.000Z',
    order: 1,
    requestId: 'r1',
    operation: 'PutBlob',
    status: 412,
    errorCode,
    source: { kind: 'azurite-log' },
    capture: {
      request: { method: 'PUT', url, headers: { 'x-ms-blob-type': 'BlockBlob', ...headers } },
      response: { status: 412, headers: { 'x-ms-error-code': errorCode } },
    },
  };
}

describe('diagnose: a lease failure judged from logs, where the lease state is not recorded', () => {
  const atFailure = {
    exists: true,
    etag,
    lastModified: '2026-11-24T17:59:59.000Z',
    basis: 'the last success before the failure',
  };
  const timeline = { note: '' };

  it.each([
    [
      'LeaseNotPresentWithBlobOperation',
      { 'x-ms-lease-id': '5f07b90d-fc28-429a-9f84-05452aeedd5f' },
      'lease-not-present',
    ],
    ['LeaseIdMissing', { 'if-match': etag }, 'lease-id-missing'],
    [
      'LeaseIdMismatchWithBlobOperation',
      { 'x-ms-lease-id': '11111111-2222-3333-4444-555555555555' },
      'lease-id-mismatch',
    ],
  ])('412 %s → cause from the recorded code, never "conditions hold now"', (code, headers, cause) => {
    const j = judge(failed(code, headers), atFailure, timeline);
    expect(j.cause?.code).toBe(cause);
    expect(j.notes.join(' ')).toMatch(/lease ids and lease state are not logged/);
  });

  it('a ConditionNotMet whose ETag matches the rebuilt state still reads as a race (conditions hold now)', () => {
    const j = judge(failed('ConditionNotMet', { 'if-match': etag }), atFailure, timeline);
    expect(j.cause?.code).toBe('conditions-hold-now');
  });
});
