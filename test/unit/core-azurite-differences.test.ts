import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { azuriteExpectation } from '../../src/core/azurite-differences.js';
import { evaluateConditions } from '../../src/core/evaluate.js';
import type { BlobState, CapturedRequest } from '../../src/core/types.js';

const ETAG = '"0x8DC0000000000A"';
const OLD = '"0x8DC00000000009"';
const URL = 'https://acct.blob.core.windows.net/c/b';
const SRC = { 'x-ms-copy-source': 'https://acct.blob.core.windows.net/c/src' };
const LEASE_ID = '11111111-2222-3333-4444-555555555555';
const blob = (over: Partial<BlobState> = {}): BlobState => ({
  exists: true,
  etag: ETAG,
  lastModified: '2026-11-24T18:00:00Z',
  lease: { state: 'available', status: 'unlocked' },
  tags: { k: 'v' },
  ...over,
});
const leased = blob({ lease: { state: 'leased', status: 'locked', duration: 'infinite', id: LEASE_ID } });
const AT = 'Tue, 24 Nov 2026 18:00:00 GMT';

function azurite(method: string, query: string, headers: Record<string, string>, state: BlobState) {
  const req: CapturedRequest = { method, url: URL + query, headers };
  return {
    azure: evaluateConditions(req, state).expected,
    azurite: azuriteExpectation(req, state, evaluateConditions(req, state).expected),
  };
}

describe('azuriteExpectation (Azurite 3.35)', () => {
  it.each([
    [
      'AZ-1: HEAD + If-Match on a missing blob → Azure 404, Azurite 412',
      'HEAD',
      '',
      { 'if-match': ETAG },
      { exists: false },
      412,
      'ConditionNotMet',
    ],
    [
      'AZ-1: Set Metadata + specific If-Match on a missing blob → Azurite 412',
      'PUT',
      '?comp=metadata',
      { 'if-match': ETAG },
      { exists: false },
      412,
      'ConditionNotMet',
    ],
    [
      'AZ-2: Snapshot + If-None-Match = current → Azure 412, Azurite 304',
      'PUT',
      '?comp=snapshot',
      { 'if-none-match': ETAG },
      blob(),
      304,
      'ConditionNotMet',
    ],
    [
      'AZ-2: Copy + x-ms-source-if-modified-since not modified → Azurite 304',
      'PUT',
      '',
      { ...SRC, 'x-ms-source-if-modified-since': AT },
      blob({ source: blob() }),
      304,
      'ConditionNotMet',
    ],
    [
      'AZ-3: Copy + stale x-ms-source-if-match → Azurite 412 ConditionNotMet',
      'PUT',
      '',
      { ...SRC, 'x-ms-source-if-match': OLD },
      blob({ source: blob() }),
      412,
      'ConditionNotMet',
    ],
    [
      'AZ-4: If-Match holds + x-ms-if-tags fails → Azure 412, Azurite 200',
      'PUT',
      '?comp=metadata',
      { 'if-match': ETAG, 'x-ms-if-tags': `"k" = 'x'` },
      blob(),
      200,
      undefined,
    ],
    [
      'AZ-5: Set Blob Tags + stale x-ms-blob-if-match → Azure 412, Azurite 204',
      'PUT',
      '?comp=tags',
      { 'x-ms-blob-if-match': OLD },
      blob(),
      204,
      undefined,
    ],
    [
      'AZ-6: GET + If-None-Match: * → Azurite 400 UnsatisfiableCondition',
      'GET',
      '',
      { 'if-none-match': '*' },
      blob(),
      400,
      'UnsatisfiableCondition',
    ],
    [
      'AZ-7: Set Metadata + If-None-Match: * on an existing blob → Azurite 200',
      'PUT',
      '?comp=metadata',
      { 'if-none-match': '*' },
      blob(),
      200,
      undefined,
    ],
    [
      'AZ-8: leased + If-None-Match: * + no id on Put Blob → Azure 412 LeaseIdMissing, Azurite 409',
      'PUT',
      '',
      { 'if-none-match': '*' },
      leased,
      409,
      'BlobAlreadyExists',
    ],
    [
      'AZ-9: leased + stale If-Match + no id → Azure LeaseIdMissing, Azurite ConditionNotMet',
      'PUT',
      '?comp=metadata',
      { 'if-match': OLD },
      leased,
      412,
      'ConditionNotMet',
    ],
    [
      'AZ-11: copy onto a fixed lease → Azure 412 InfiniteLeaseDurationRequired, Azurite 202',
      'PUT',
      '',
      { ...SRC, 'x-ms-lease-id': LEASE_ID },
      blob({ lease: { state: 'leased', status: 'locked', duration: 'fixed', id: LEASE_ID } }),
      202,
      undefined,
    ],
    [
      'AZ-12: Put Blob + If-Match: * on a missing blob → Azure 412, Azurite 201',
      'PUT',
      '',
      { 'if-match': '*' },
      { exists: false },
      201,
      undefined,
    ],
    [
      'AZ-13: If-Match: W/ with the current value → Azurite 412',
      'GET',
      '',
      { 'if-match': `W/${ETAG}` },
      blob(),
      412,
      'ConditionNotMet',
    ],
    [
      'AZ-21: GET + If-Match "stale", "current" (spaced list) → Azure 200, Azurite 412',
      'GET',
      '',
      { 'if-match': `${OLD}, ${ETAG}` },
      blob(),
      412,
      'ConditionNotMet',
    ],
    [
      'AZ-22: Put Page, leased, no id, If-Match + If-Modified-Since → Azure 400, Azurite 412 LeaseIdMissing',
      'PUT',
      '?comp=page',
      { 'if-match': ETAG, 'if-modified-since': AT },
      leased,
      412,
      'LeaseIdMissing',
    ],
    [
      'AZ-23: Copy from a missing source with If-Match + If-Modified-Since → Azure 400, Azurite 404 BlobNotFound',
      'PUT',
      '',
      { ...SRC, 'if-match': ETAG, 'if-modified-since': AT },
      blob({ source: { exists: false } }),
      404,
      'BlobNotFound',
    ],
    [
      'AZ-28: Seal Blob with an append position that is not its length → Azure 412, Azurite 200',
      'PUT',
      '?comp=seal',
      { 'x-ms-blob-condition-appendpos': '1' },
      blob({ contentLength: 5 }),
      200,
      undefined,
    ],
    [
      'AZ-20: Put Blob with a lease id on a missing blob → Azure 412, Azurite 201',
      'PUT',
      '',
      { 'x-ms-lease-id': LEASE_ID },
      { exists: false },
      201,
      undefined,
    ],
    [
      'AZ-29: GET + x-ms-if-tags "__proto__" = \'y\' on a blob tagged __proto__=y → Azure 200, Azurite 412',
      'GET',
      '',
      { 'x-ms-if-tags': `"__proto__" = 'y'` },
      blob({ tags: Object.fromEntries([['__proto__', 'y']]) }),
      412,
      'ConditionNotMet',
    ],
    [
      'AZ-29: GET + x-ms-if-tags "__proto__" <> \'y\' on a blob tagged __proto__=y → Azure 412, Azurite 200',
      'GET',
      '',
      { 'x-ms-if-tags': `"__proto__" <> 'y'` },
      blob({ tags: Object.fromEntries([['__proto__', 'y']]) }),
      200,
      undefined,
    ],
    [
      'AZ-29: Set Metadata + x-ms-if-tags "toString" >= \'f\' on a blob without it → Azure 412, Azurite 200',
      'PUT',
      '?comp=metadata',
      { 'x-ms-if-tags': `"toString" >= 'f'` },
      blob(),
      200,
      undefined,
    ],
    [
      'AZ-29: Copy + x-ms-source-if-tags "constructor" > \'a\' on a source without it → Azure 412, Azurite 202',
      'PUT',
      '',
      { ...SRC, 'x-ms-source-if-tags': `"constructor" > 'a'` },
      blob({ source: blob() }),
      202,
      undefined,
    ],
    [
      'AZ-29: Copy + x-ms-source-if-tags "__proto__" = \'y\' on a source tagged so → Azure 202, Azurite 412',
      'PUT',
      '',
      { ...SRC, 'x-ms-source-if-tags': `"__proto__" = 'y'` },
      blob({ source: blob({ tags: Object.fromEntries([['__proto__', 'y']]) }) }),
      412,
      'ConditionNotMet',
    ],
    [
      'AZ-5: Set Blob Tags + x-ms-if-tags "constructor" > \'a\' (no tag check on Azurite at all) → Azurite 204',
      'PUT',
      '?comp=tags',
      { 'x-ms-if-tags': `"constructor" > 'a'` },
      blob(),
      204,
      undefined,
    ],
    [
      'AZ-4: Set Metadata + current If-Match + "constructor" > \'a\' (tags never read when If-Match is sent) → Azurite 200',
      'PUT',
      '?comp=metadata',
      { 'if-match': ETAG, 'x-ms-if-tags': `"constructor" > 'a'` },
      blob(),
      200,
      undefined,
    ],
  ] as const)('%s', (name, method, query, headers, state, status, errorCode) => {
    const { azure, azurite: got } = azurite(method, query, { ...headers }, state);
    expect(got).toEqual({
      status,
      ...(errorCode ? { errorCode } : {}),
      differenceId: name.slice(0, name.indexOf(':')),
    });
    expect(got!.status !== azure.status || got!.errorCode !== azure.errorCode).toBe(true);
  });

  it.each([
    ['a stale If-Match on a write', 'PUT', '?comp=metadata', { 'if-match': OLD }, blob()],
    ['Put Blob + If-None-Match: * on an existing unleased blob', 'PUT', '', { 'if-none-match': '*' }, blob()],
    ['a leased blob written without an id and no conditions', 'PUT', '?comp=metadata', {}, leased],
    ['GET with If-None-Match = current', 'GET', '', { 'if-none-match': ETAG }, blob()],
    [
      'write with If-Match + If-None-Match (both 400)',
      'PUT',
      '?comp=metadata',
      { 'if-match': ETAG, 'if-none-match': OLD },
      blob(),
    ],
    ['a plain GET of a missing blob (both 404)', 'GET', '', {}, { exists: false }],
    ['x-ms-if-tags on an ordinary tag ("k" = \'v\')', 'GET', '', { 'x-ms-if-tags': `"k" = 'v'` }, blob()],
    [
      'x-ms-if-tags "constructor" = \'x\' (false on both)',
      'GET',
      '',
      { 'x-ms-if-tags': `"constructor" = 'x'` },
      blob(),
    ],
  ] as const)('no difference for %s', (_name, method, query, headers, state) => {
    expect(azurite(method, query, { ...headers }, state as BlobState).azurite).toBeUndefined();
  });

  it('AZ-14 (version gate) only when the API-version check is on', () => {
    const req = { method: 'GET', url: URL, headers: { 'x-ms-version': '2026-04-06' } };
    const azure = evaluateConditions(req, blob()).expected;
    expect(azuriteExpectation(req, blob(), azure)).toBeUndefined();
    expect(azuriteExpectation(req, blob(), azure, { skipApiVersionCheck: false })).toEqual({
      status: 400,
      errorCode: 'InvalidHeaderValue',
      differenceId: 'AZ-14',
    });
  });

  it('every id the model can return is documented in docs/azurite-differences.md', () => {
    const doc = readFileSync(resolve(import.meta.dirname, '../../docs/azurite-differences.md'), 'utf8');
    const src = ['azurite-differences.ts', 'azurite/validators.ts', 'azurite/tags.ts']
      .map((f) => readFileSync(resolve(import.meta.dirname, '../../src/core', f), 'utf8'))
      .join('\n');
    for (const id of new Set(src.match(/AZ-\d+/g))) expect(doc).toContain(`| ${id} |`);
  });
});
