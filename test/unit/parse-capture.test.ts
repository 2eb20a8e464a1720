import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCapture, parseCaptureJson, parseCaptureLine } from '../../src/parse/capture.js';
import { formatIssue } from '../../src/core/issue.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/captures/${name}`, import.meta.url), 'utf8');

describe('capture JSON (docs/formats.md)', () => {
  it('the SPEC example parses; header names are lower-cased, values verbatim', () => {
    const result = parseCaptureJson(fixture('request.json'), 'request.json');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.request).toEqual({
      method: 'PUT',
      url: 'https://acct.blob.core.windows.net/c/blob.json?comp=metadata',
      headers: {
        'if-match': '"0x8DC0A1B2C3D4E5F"',
        'x-ms-lease-id': '9c4b0b39-1b5e-4f3a-9a55-5d4a0c6b7f10',
        'x-ms-version': '2025-01-05',
      },
      time: '2026-11-24T18:00:00.123Z',
    });
    expect(result.value.response).toEqual({
      status: 412,
      headers: {
        'x-ms-request-id': '470b9e55-201e-0137-5c45-cdd293000000',
        'x-ms-error-code': 'ConditionNotMet',
        date: 'Tue, 24 Nov 2026 18:00:00 GMT',
      },
    });
    expect(result.value.source).toEqual({ kind: 'capture', file: 'request.json' });
  });

  it.each([
    ['missing request.url', 'request-missing-url.json', 'request-missing-url.json:2 request.url: is required'],
    ['a trailing comma', 'request-bad-json.json', /^request-bad-json\.json:5: not valid JSON/],
    [
      'a status that is no number',
      'request-bad-status.json',
      'request-bad-status.json:4 response.status: must be an HTTP status code',
    ],
  ])('%s → an issue naming file, line and JSON path', (_name, file, expected) => {
    const result = parseCaptureJson(fixture(file), file);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(formatIssue(result.issue)).toMatch(expected);
  });

  it.each([
    ['no request', {}, 'request', 'is required'],
    [
      'empty method',
      { request: { method: ' ', url: 'https://a.blob.core.windows.net/c/b' } },
      'request.method',
      'must not be empty',
    ],
    ['relative url', { request: { method: 'GET', url: '/c/b' } }, 'request.url', 'must be an absolute URL'],
    [
      'headers as a string',
      { request: { method: 'GET', url: 'https://a/c', headers: 'x' } },
      'request.headers',
      'must be an object',
    ],
    [
      'bad time',
      { request: { method: 'GET', url: 'https://a/c', time: 'soon' } },
      'request.time',
      'must be an ISO 8601 time',
    ],
    [
      'status 999',
      { request: { method: 'GET', url: 'https://a/c' }, response: { status: 999 } },
      'response.status',
      'must be an HTTP status code',
    ],
    ['not an object', [1, 2], undefined, 'must be a capture object'],
  ])('%s → issue at %s', (_name, value, path, message) => {
    const result = parseCapture(value);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issue.path).toBe(path);
      expect(result.issue.message).toContain(message);
    }
  });

  it('an array of strings is a repeated header, joined with ", "; the response is optional; method is upper-cased', () => {
    const result = parseCapture({
      request: {
        method: 'put',
        url: 'https://a.blob.core.windows.net/c/b',
        headers: { 'Content-Length': '2', 'X-A': ['1', '2'], 'X-B': [] },
      },
    });
    expect(result).toEqual({
      ok: true,
      value: {
        request: {
          method: 'PUT',
          url: 'https://a.blob.core.windows.net/c/b',
          headers: { 'content-length': '2', 'x-a': '1, 2', 'x-b': '' },
        },
        source: { kind: 'capture' },
      },
    });
  });

  it.each([
    ['a number', 5],
    ['a boolean', true],
    ['null', null],
    ['an object', { etag: '"0x1"' }],
    ['an array holding a number', ['"0x1"', 2]],
  ])('a header value that is %s → an issue at request.headers.<name>, not a silent string', (_label, value) => {
    const result = parseCapture({ request: { method: 'PUT', url: 'https://a/c/b', headers: { 'If-Match': value } } });
    expect(result).toMatchObject({
      ok: false,
      issue: { path: 'request.headers.If-Match', message: expect.stringMatching(/must be a string/) },
    });
  });

  it('a bad response header value is an issue at response.headers.<name>, and the capture file line is named', () => {
    const text =
      '{\n  "request": {"method": "PUT", "url": "https://a/c/b"},\n  "response": {"status": 412,\n    "headers": {"x-ms-error-code": 412}}\n}';
    const result = parseCaptureJson(text, 'r.json');
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(formatIssue(result.issue)).toMatch(/^r\.json:4 response\.headers\.x-ms-error-code: must be a string/);
  });

  it.each(['get', 'Head', 'PUT', 'post', 'delete', 'options', 'patch'])(
    'method %s is one Blob Storage uses → accepted, upper-cased',
    (method) => {
      const result = parseCapture({ request: { method, url: 'https://a/c/b' } });
      expect(result.ok && result.value.request.method).toBe(method.toUpperCase());
    },
  );

  it.each(['FETCH', 'CONNECT', 'TRACE', 'PUTT', 'GET /c/b'])(
    'method %s is not one Blob Storage uses → an issue at request.method',
    (method) => {
      const result = parseCapture({ request: { method, url: 'https://a/c/b' } });
      expect(result).toMatchObject({
        ok: false,
        issue: {
          path: 'request.method',
          message: expect.stringMatching(
            /HTTP method Blob Storage uses \(GET, HEAD, PUT, POST, DELETE, OPTIONS, PATCH\)/,
          ),
        },
      });
    },
  );

  it.each([
    ['412.5', 412.5],
    ['"412.0"', '412.0'],
    ['99', 99],
    ['600', 600],
    ['true', true],
    ['null', null],
    ['"4xx"', '4xx'],
    ['missing', undefined],
  ])('response.status %s → an issue at response.status: a whole number from 100 to 599', (_label, status) => {
    const result = parseCapture({ request: { method: 'GET', url: 'https://a/c' }, response: { status } });
    expect(result).toMatchObject({
      ok: false,
      issue: { path: 'response.status', message: expect.stringMatching(/whole number from 100 to 599/) },
    });
  });

  it('a numeric status string is accepted as the number', () => {
    const result = parseCapture({ request: { method: 'GET', url: 'https://a/c' }, response: { status: '304' } });
    expect(result.ok && result.value.response?.status).toBe(304);
  });
});

describe('NDJSON line of a capture', () => {
  it('keeps its line number in the source', () => {
    const result = parseCaptureLine('{"request":{"method":"GET","url":"https://a/c"}}', 12, 'c.ndjson');
    expect(result.ok && result.value.source).toEqual({ kind: 'ndjson', file: 'c.ndjson', line: 12 });
  });

  it('a truncated line is an issue with its line number', () => {
    const result = parseCaptureLine('{"request":{"meth', 3, 'c.ndjson');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(formatIssue(result.issue)).toMatch(/^c\.ndjson:3: not a JSON object/);
  });
});

describe('capture schema properties', () => {
  it('arbitrary JSON never throws', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(() => parseCapture(value)).not.toThrow();
        expect(() => parseCapture({ request: value, response: value })).not.toThrow();
        expect(() => parseCaptureJson(JSON.stringify(value))).not.toThrow();
      }),
    );
  });

  it('whatever JSON sits in method, a header value or status: never throws, and what is accepted is a known method, string headers and an integer status from 100 to 599', () => {
    const methods = new Set(['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'PATCH']);
    const anything = fc.oneof(
      fc.jsonValue(),
      fc.constantFrom('get', 'Put', 'PATCH', 'x', '200', '412', '0412'),
      fc.integer(),
      fc.double(),
    );
    fc.assert(
      fc.property(anything, anything, anything, (method, value, status) => {
        const capture = {
          request: { method, url: 'https://a/c/b', headers: { 'If-Match': value } },
          response: { status, headers: { Date: value } },
        };
        let result: ReturnType<typeof parseCapture> | undefined;
        expect(() => (result = parseCapture(capture))).not.toThrow();
        if (!result?.ok) return;
        expect(methods.has(result.value.request.method)).toBe(true);
        for (const v of Object.values({ ...result.value.request.headers, ...result.value.response?.headers }))
          expect(typeof v).toBe('string');
        const s = result.value.response!.status;
        expect(Number.isInteger(s) && s >= 100 && s <= 599).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('arbitrary text never throws', () => {
    fc.assert(fc.property(fc.string(), (text) => void expect(() => parseCaptureJson(text)).not.toThrow()));
  });

  it('header names are case-insensitive: any casing gives the same lower-cased map', () => {
    const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,20}$/);
    const flipCase = (s: string, flips: boolean[]) =>
      [...s].map((c, i) => (flips[i % flips.length] ? c.toUpperCase() : c.toLowerCase())).join('');
    fc.assert(
      fc.property(fc.dictionary(name, fc.string()), fc.array(fc.boolean(), { minLength: 1 }), (headers, flips) => {
        const lowerUnique = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
        const recased = Object.fromEntries(Object.entries(lowerUnique).map(([k, v]) => [flipCase(k, flips), v]));
        const request = (h: Record<string, string>) => ({ request: { method: 'GET', url: 'https://a/c', headers: h } });
        const a = parseCapture(request(lowerUnique));
        const b = parseCapture(request(recased));
        expect(a.ok && b.ok).toBe(true);
        if (a.ok && b.ok) expect(b.value.request.headers).toEqual(a.value.request.headers);
      }),
    );
  });
});
