import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isFailedConditional } from '../../src/lib/index.js';
import { selectCaptures } from '../../src/parse/select.js';

const capture = (status: number, headers: Record<string, string>) => ({
  request: { method: 'PUT', url: 'https://a.blob.core.windows.net/c/b', headers },
  response: { status, headers: {} },
});

describe('which failed requests are condition failures: one answer for the capture policy and replay', () => {
  it.each([
    ['412 without any condition header (a lease write)', 412, {}, true],
    ['304 on a conditional read', 304, { 'if-none-match': '"0x1"' }, true],
    ['409 BlobAlreadyExists from If-None-Match: *', 409, { 'if-none-match': '*' }, true],
    ['409 LeaseAlreadyPresent from an acquire (x-ms-lease-action)', 409, { 'x-ms-lease-action': 'acquire' }, true],
    ['409 from a write carrying a lease id', 409, { 'x-ms-lease-id': 'L1' }, true],
    ['bare 409 ContainerAlreadyExists (createIfNotExists)', 409, {}, false],
    ['404 without conditions', 404, {}, false],
    ['200 with If-Match', 200, { 'if-match': '"0x1"' }, false],
  ])('%s → %s', (_label, status, headers, expected) => {
    expect(isFailedConditional(status, headers)).toBe(expected);
    expect(selectCaptures([capture(status, headers)]).length > 0).toBe(expected);
  });

  it('agree on every status and header set (property)', () => {
    const header = fc.constantFrom(
      'if-match',
      'If-None-Match',
      'x-ms-if-tags',
      'x-ms-lease-id',
      'x-ms-lease-action',
      'x-ms-source-if-match',
      'content-type',
      'x-ms-meta-a',
    );
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 599 }), fc.uniqueArray(header, { maxLength: 4 }), (status, names) => {
        const headers = Object.fromEntries(names.map((n) => [n, 'v']));
        expect(selectCaptures([capture(status, headers)]).length > 0).toBe(isFailedConditional(status, headers));
      }),
    );
  });
});
