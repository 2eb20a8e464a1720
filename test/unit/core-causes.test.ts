import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { causeFromResponse } from '../../src/core/cause-from-response.js';
import { CAUSE_CODES, causeInfo } from '../../src/core/causes.js';

const ROOT = resolve(import.meta.dirname, '../..');
const SPEC_CODES = [
  'stale-etag',
  'create-only-on-existing',
  'if-none-match-current',
  'not-modified-since',
  'modified-since',
  'lease-id-missing',
  'lease-id-mismatch',
  'lease-not-present',
  'tags-condition',
  'append-position',
  'max-size',
  'sequence-number',
  'source-condition',
  'blob-not-found',
  'multiple-conditions',
  'conditions-hold-now',
  'sdk-injected-if-match',
  'lease-state-conflict',
  'target-condition',
  'snapshot-read-only',
];

describe('causes', () => {
  it('CauseCode is exactly the documented list of causes', () => {
    expect([...CAUSE_CODES].sort()).toEqual([...SPEC_CODES].sort());
  });

  it.each([...CAUSE_CODES])('%s has a title, an explanation, fix steps and docs/causes/%s.md', (code) => {
    const info = causeInfo[code];
    expect(info.title.length).toBeGreaterThan(10);
    expect(info.fix.length).toBeGreaterThan(0);
    expect(info.docs).toBe(`docs/causes/${code}.md`);
    const page = resolve(ROOT, info.docs);
    expect(existsSync(page)).toBe(true);
    const text = readFileSync(page, 'utf8');
    expect(text).toMatch(/cnm (inspect|replay|diagnose)/);
    expect(text).toContain('@azure/storage-blob');
  });

  const url = 'https://acct.blob.core.windows.net/c/b';
  it.each([
    [412, 'LeaseIdMissing', {}, 'GET', 'lease-id-missing'],
    [412, 'LeaseIdMismatchWithBlobOperation', {}, 'PUT', 'lease-id-mismatch'],
    [412, 'LeaseIdMismatchWithContainerOperation', {}, 'DELETE', 'lease-id-mismatch'],
    [412, 'LeaseNotPresentWithBlobOperation', {}, 'PUT', 'lease-not-present'],
    [412, 'LeaseLost', {}, 'PUT', 'lease-not-present'],
    [409, 'BlobAlreadyExists', { 'if-none-match': '*' }, 'PUT', 'create-only-on-existing'],
    [412, 'AppendPositionConditionNotMet', {}, 'PUT', 'append-position'],
    [412, 'MaxBlobSizeConditionNotMet', {}, 'PUT', 'max-size'],
    [412, 'SequenceNumberConditionNotMet', {}, 'PUT', 'sequence-number'],
    [412, 'SourceConditionNotMet', {}, 'PUT', 'source-condition'],
    [412, 'TargetConditionNotMet', { 'if-match': '"0x1"' }, 'PUT', 'target-condition'],
    [409, 'LeaseAlreadyPresent', {}, 'PUT', 'lease-state-conflict'],
    [409, 'LeaseIdMismatchWithLeaseOperation', {}, 'PUT', 'lease-state-conflict'],
    [409, 'LeaseIsBrokenAndCannotBeRenewed', {}, 'PUT', 'lease-state-conflict'],
    [409, 'LeaseNotPresentWithLeaseOperation', {}, 'PUT', 'lease-state-conflict'],
    [400, 'MultipleConditionHeadersNotSupported', {}, 'PUT', 'multiple-conditions'],
    [404, 'BlobNotFound', {}, 'GET', 'blob-not-found'],
    [412, 'ConditionNotMet', { 'if-match': '"0x1"' }, 'PUT', 'stale-etag'],
    [412, 'ConditionNotMet', { 'If-Match': '"0x1"', range: 'bytes=0-99' }, 'GET', 'sdk-injected-if-match'],
    [412, 'ConditionNotMet', { 'x-ms-range': 'bytes=0-99', 'if-match': '"0x1"' }, 'GET', 'sdk-injected-if-match'],
    [412, 'ConditionNotMet', { 'if-unmodified-since': 'Tue, 24 Nov 2026 18:00:00 GMT' }, 'PUT', 'modified-since'],
    [412, 'ConditionNotMet', { 'if-none-match': '*' }, 'PUT', 'create-only-on-existing'],
    [412, 'ConditionNotMet', { 'if-none-match': '"0x1"' }, 'PUT', 'if-none-match-current'],
    [304, 'ConditionNotMet', { 'if-none-match': '"0x1"' }, 'GET', 'if-none-match-current'],
    [304, undefined, { 'if-modified-since': 'Tue, 24 Nov 2026 18:00:00 GMT' }, 'HEAD', 'not-modified-since'],
    [412, 'ConditionNotMet', { 'x-ms-if-tags': `"a" = 'b'` }, 'PUT', 'tags-condition'],
    [412, 'ConditionNotMet', { 'x-ms-source-if-match': '"0x1"' }, 'PUT', 'source-condition'],
  ] as const)('causeFromResponse(%i, %s, %j on %s) → %s', (status, errorCode, headers, method, cause) => {
    expect(causeFromResponse(status, errorCode, { method, url, headers: { ...headers } })?.code).toBe(cause);
  });

  it('an unrelated error has no cause', () => {
    expect(causeFromResponse(500, 'InternalError', { method: 'GET', url, headers: {} })).toBeUndefined();
    // A code that is also an object key is no code cnm knows: a 500 with it has no cause, a 412 the 412's.
    expect(causeFromResponse(500, 'constructor', { method: 'GET', url, headers: {} })).toBeUndefined();
    expect(causeFromResponse(412, '__proto__', { method: 'PUT', url, headers: { 'if-match': '"0x1"' } })?.code).toBe(
      causeFromResponse(412, undefined, { method: 'PUT', url, headers: { 'if-match': '"0x1"' } })?.code,
    );
  });
});
